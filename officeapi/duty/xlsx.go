package duty

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// XLSX is the summary as a workbook (值班月报): the figures and counts by
// kind, who was on duty, and the items still open, one sheet each.
// excelize writes the Office Open XML; the cells are plain values, so a
// caller's text never becomes a formula.
func (sum Summary) XLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sheets := []struct {
		name string
		rows [][]any
	}{
		{"概况", sum.overview()},
		{"值班人员", sum.dutyRows()},
		{"未办结事项", sum.openRows()},
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return nil, err
		}
		for r, row := range sh.rows {
			cell, err := excelize.CoordinatesToCellName(1, r+1)
			if err != nil {
				return nil, err
			}
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				return nil, err
			}
		}
		if err := f.SetColWidth(sh.name, "A", "F", 16); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (sum Summary) overview() [][]any {
	published := "未发布"
	if sum.Published {
		published = "已发布"
	}
	rows := [][]any{
		{fmt.Sprintf("%s 值班月报", sum.Month)},
		{"值班表", published},
		{"值班记录", sum.Entries},
		{"重要事项", sum.Important},
		{"已报带班领导", sum.Escalated},
		{"带班领导已阅", sum.Acknowledged},
		{"领导批示", sum.Instructed},
		{"未办结", sum.Open},
		{"调班", sum.Swaps},
		{},
		{"类别", "件数", "其中重要"},
	}
	for _, k := range sum.ByKind {
		rows = append(rows, []any{k.Kind, k.Count, k.Important})
	}
	return rows
}

func (sum Summary) dutyRows() [][]any {
	rows := [][]any{{"姓名", "带班", "主班", "副班", "合计"}}
	for _, d := range sum.Duties {
		rows = append(rows, []any{d.Name, d.Leader, d.Main, d.Deputy, d.Total})
	}
	return rows
}

func (sum Summary) openRows() [][]any {
	rows := [][]any{{"值班日", "类别", "来电（来文）单位", "事由", "批示", "重要"}}
	for _, e := range sum.OpenItems {
		important := ""
		if e.Important {
			important = "是"
		}
		rows = append(rows, []any{e.Shift, e.Kind, e.CallerUnit, e.Title, e.Instruction, important})
	}
	return rows
}
