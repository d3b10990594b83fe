package schedule

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/pdf"
	"github.com/xuri/excelize/v2"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
)

// statsTables are the statistics as tables: title, header, rows — what
// both exports write.
func (st Stats) tables() []table {
	leaders := table{title: "按领导统计", header: append([]string{"序号", "领导", "职务", "活动数", "活动天数", "外出天数"}, Types...)}
	for i, r := range st.ByLeader {
		row := []string{strconv.Itoa(i + 1), r.Name, r.Title, strconv.Itoa(r.Count), strconv.Itoa(r.Days), strconv.Itoa(r.DaysAway)}
		for _, t := range Types {
			row = append(row, strconv.Itoa(r.ByType[t]))
		}
		leaders.rows = append(leaders.rows, row)
	}
	types := table{title: "按类型统计", header: []string{"类型", "活动数", "人天"}}
	for _, c := range st.ByType {
		types.rows = append(types.rows, []string{c.Key, strconv.Itoa(c.Count), strconv.Itoa(c.Days)})
	}
	places := table{title: "按地点统计", header: []string{"地点", "活动数", "人天"}}
	for _, c := range st.ByPlace {
		places.rows = append(places.rows, []string{c.Key, strconv.Itoa(c.Count), strconv.Itoa(c.Days)})
	}
	detail := table{title: "活动明细", header: []string{"日期", "时段", "时间", "领导", "类型", "内容", "地点"}}
	for _, e := range st.Entries {
		date := e.Date
		if e.EndDate != "" {
			date += "至" + e.EndDate
		}
		detail.rows = append(detail.rows, []string{date, e.Period, e.Start + "-" + e.End, e.LeaderName, e.Type, e.Content, e.Place})
	}
	return []table{leaders, types, places, detail}
}

type table struct {
	title  string
	header []string
	rows   [][]string
}

// Title is the exports' heading.
func (st Stats) Title() string {
	return fmt.Sprintf("领导活动统计（%s 至 %s）", st.From, st.To)
}

// XLSX writes the statistics as a workbook (excelize): a sheet per table,
// the counts as numbers.
func (st Stats) XLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, t := range st.tables() {
		sheet := t.title
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return nil, err
		}
		rows := append([][]string{{st.Title()}, t.header}, t.rows...)
		for r, row := range rows {
			cells := make([]any, len(row))
			for c, v := range row {
				if n, err := strconv.Atoi(v); err == nil && r > 1 {
					cells[c] = n
				} else {
					cells[c] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
				return nil, err
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(t.header), 2)
		if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
			return nil, err
		}
		_ = f.SetColWidth(sheet, "A", "B", 14)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Page geometry of the PDF export (millimetres, A4 landscape).
const (
	pdfW, pdfH = 297.0, 210.0
	margin     = 15.0
	lineH      = 6.5
)

// PDF writes the statistics as an A4 landscape report with the office's
// Chinese fonts (layout's 宋体 and 黑体 stand-ins): the tables one after
// another, a new page when one is full.
func (s *Service) PDF(st Stats) ([]byte, error) {
	song, err := s.Fonts.Song.Family("宋体")
	if err != nil {
		return nil, err
	}
	hei, err := s.Fonts.Hei.Family("黑体")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	out := pdf.New(&buf, pdfW, pdfH, nil)
	out.SetInfo(st.Title(), "", "", "", "Zhengwu")
	out.SetLang("zh-CN")
	ctx := canvas.NewContext(out)
	body, head, title := song.Face(9.5, canvas.Black), hei.Face(10, canvas.Black), hei.Face(16, canvas.Black)
	y := pdfH - margin
	newPage := func() {
		out.NewPage(pdfW, pdfH)
		ctx = canvas.NewContext(out)
		y = pdfH - margin
	}
	text := func(face *canvas.FontFace, x, y float64, s string) {
		ctx.DrawText(x, y, canvas.NewTextLine(face, s, canvas.Left))
	}
	text(title, margin, y-6, st.Title())
	y -= 14
	text(body, margin, y, fmt.Sprintf("活动共 %d 项，领导活动 %d 人天", st.Total, st.Days))
	y -= lineH * 1.5
	for _, t := range st.tables() {
		widths := columns(t, pdfW-2*margin)
		if y < margin+lineH*4 {
			newPage()
		}
		text(head, margin, y, t.title)
		y -= lineH
		row := func(face *canvas.FontFace, cells []string) {
			x := margin
			for i, c := range cells {
				text(face, x, y, clip(c, widths[i]))
				x += widths[i]
			}
			ctx.SetFillColor(canvas.Gray)
			ctx.DrawPath(margin, y-1.8, canvas.Rectangle(pdfW-2*margin, 0.15))
			ctx.SetFillColor(canvas.Black)
			y -= lineH
		}
		row(head, t.header)
		for _, r := range t.rows {
			if y < margin {
				newPage()
				row(head, t.header)
			}
			row(body, r)
		}
		y -= lineH
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("schedule: pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// columns share the width by the widest text of each column (a CJK
// character counted twice a Latin one).
func columns(t table, width float64) []float64 {
	w := make([]float64, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			w[i] = max(w[i], float64(cells(c)), 4)
		}
	}
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	for i := range w {
		w[i] = w[i] / sum * width
	}
	return w
}

// cells is a text's width in half-width cells.
func cells(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x2E80 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

// clip shortens a text to a column (about 1.7 mm a half-width cell at 9.5 pt).
func clip(s string, width float64) string {
	limit := int(width/1.75) - 1
	if cells(s) <= limit {
		return s
	}
	out, n := []rune{}, 0
	for _, r := range s {
		c := 1
		if r >= 0x2E80 {
			c = 2
		}
		if n+c > limit-2 {
			break
		}
		out, n = append(out, r), n+c
	}
	return string(out) + "…"
}

// Export is the statistics of q as a file (kind "xlsx" or "pdf"), for a
// reader of the schedule; each export is audited (who took the leaders'
// whereabouts away, for which period).
func (s *Service) Export(ctx context.Context, a records.Actor, q StatsQuery, kind string) ([]byte, error) {
	st, err := s.Stats(ctx, a.P, q)
	if err != nil {
		return nil, err
	}
	var data []byte
	switch kind {
	case "xlsx":
		data, err = st.XLSX()
	case "pdf":
		data, err = s.PDF(st)
	default:
		return nil, problem.Invalid(problem.Field("format", "导出格式应为 xlsx 或 pdf", "format must be xlsx or pdf"))
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.d.Trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "schedule.stats.export",
		Target: Collection, Outcome: audit.Success, Details: map[string]any{"format": kind, "from": q.From, "to": q.To,
			"leader": q.Leader, "entries": st.Total}}); err != nil {
		return nil, err
	}
	return data, nil
}
