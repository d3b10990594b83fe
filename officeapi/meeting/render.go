package meeting

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"unicode/utf8"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/pdf"
	"github.com/tdewolff/canvas/renderers/rasterizer"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/meeting/seating"
)

// The printed forms are drawn with github.com/tdewolff/canvas (PDF, and
// PNG through its rasterizer) in the office's document fonts
// (layout.Fonts: 黑体 for names, 宋体 for everything else), loaded by
// layout.Family with the checks the 公文 layout makes.

const (
	mmPerPt = 25.4 / 72
	// A4 landscape: a name card is a sheet folded in half along its long
	// side into a tent, each face 297 × 105 mm.
	cardW, cardH = 297.0, 210.0
	// A3 landscape for the seat chart.
	chartW, chartH = 420.0, 297.0
)

// faces are the two typefaces a form uses.
type faces struct{ name, text *canvas.FontFamily }

func loadFaces(f layout.Fonts) (faces, error) {
	name, err := f.Hei.Family("黑体")
	if err != nil {
		return faces{}, err
	}
	text, err := f.Song.Family("宋体")
	if err != nil {
		return faces{}, err
	}
	return faces{name: name, text: text}, nil
}

// NameCardsPDF prints one 席卡 per seated person, in the order they are
// set out (seating.Plan.NameCards). Each A4 landscape sheet folds along
// its middle into a tent: the name large on both faces, the upper face
// upside down so that, folded, it reads from both sides; a dashed fold
// line between them, and the seat, small, at the foot of each face.
func NameCardsPDF(plan seating.Plan, fonts layout.Fonts) ([]byte, error) {
	fs, err := loadFaces(fonts)
	if err != nil {
		return nil, err
	}
	cards := plan.NameCards()
	var buf bytes.Buffer
	out := pdf.New(&buf, cardW, cardH, nil)
	out.SetInfo("席卡", "", "", "", "Zhengwu")
	out.SetLang("zh-CN")
	for i, c := range cards {
		if i > 0 {
			out.NewPage(cardW, cardH)
		}
		ctx := canvas.NewContext(out)
		face := func() { drawCardFace(ctx, fs, c) }
		face()
		// The upper face: the lower one turned half a turn about the
		// fold's centre, so it stands upright on the other side.
		ctx.Push()
		ctx.ComposeView(canvas.Identity.RotateAbout(180, cardW/2, cardH/2))
		face()
		ctx.Pop()
		ctx.SetStrokeColor(color.Gray{Y: 0x99})
		ctx.SetStrokeWidth(0.2)
		ctx.SetDashes(0, 3, 2)
		ctx.DrawPath(10, cardH/2, canvas.Line(cardW-20, 0))
		ctx.SetDashes(0)
	}
	if len(cards) == 0 {
		ctx := canvas.NewContext(out)
		ctx.DrawText(cardW/2, cardH/2, canvas.NewTextLine(fs.text.Face(14, canvas.Black), "尚未排座", canvas.Center))
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("meeting: name cards: %w", err)
	}
	return buf.Bytes(), nil
}

// drawCardFace draws the lower face (y from 0 to cardH/2): the name
// centred, as large as fits, and the seat label at the foot.
func drawCardFace(ctx *canvas.Context, fs faces, c seating.NameCard) {
	n := max(utf8.RuneCountInString(c.Name), 1)
	// The name fills at most 250 mm across and 70 mm high.
	sizeMM := min(250/float64(n), 70.0)
	face := fs.name.Face(sizeMM/mmPerPt, canvas.Black)
	m := face.Metrics()
	// Centre the glyphs' body (ascent − descent) on the face's middle.
	baseline := cardH/4 - (m.Ascent-m.Descent)/2 + m.Descent*0.5
	ctx.DrawText(cardW/2, baseline, canvas.NewTextLine(face, c.Name, canvas.Center))
	small := fs.text.Face(9, color.Gray{Y: 0x66})
	ctx.DrawText(cardW/2, 6, canvas.NewTextLine(small, c.Label, canvas.Center))
}

// ChartPDF is the seat chart on an A3 landscape page.
func ChartPDF(title string, plan seating.Plan, fonts layout.Fonts) ([]byte, error) {
	fs, err := loadFaces(fonts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	out := pdf.New(&buf, chartW, chartH, nil)
	out.SetInfo(title+"座次图", "", "", "", "Zhengwu")
	out.SetLang("zh-CN")
	drawChart(canvas.NewContext(out), fs, title, plan)
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("meeting: seat chart: %w", err)
	}
	return buf.Bytes(), nil
}

// ChartPNG is the seat chart as a PNG image, dpmm pixels per millimetre
// (4: 1680 × 1188).
func ChartPNG(title string, plan seating.Plan, fonts layout.Fonts, dpmm float64) ([]byte, error) {
	fs, err := loadFaces(fonts)
	if err != nil {
		return nil, err
	}
	c := canvas.New(chartW, chartH)
	ctx := canvas.NewContext(c)
	ctx.SetFillColor(canvas.White)
	ctx.DrawPath(0, 0, canvas.Rectangle(chartW, chartH))
	drawChart(ctx, fs, title, plan)
	img := rasterizer.Draw(c, canvas.DPMM(dpmm), canvas.DefaultColorSpace)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var (
	rostrumFill = color.RGBA{R: 0xfd, G: 0xec, B: 0xc8, A: 0xff}
	fixedFill   = color.RGBA{R: 0xdb, G: 0xea, B: 0xfe, A: 0xff}
	heldFill    = color.RGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	lineGray    = color.Gray{Y: 0x88}
)

// drawChart draws the chart as seen from the audience: the title, the
// rostrum at the top (its back row highest, its front row nearest the
// hall), then the audience's sections side by side, row 1 at the front.
// Each seat is a box with its occupant's name sized to fit.
func drawChart(ctx *canvas.Context, fs faces, title string, plan seating.Plan) {
	const margin, header, gap = 12.0, 26.0, 10.0
	ch := plan.Chart()
	cols, rowsBelow := 0, 0
	for i, s := range plan.Layout.Sections {
		cols += s.SeatsPerRow
		if i > 0 {
			cols++ // the aisle
		}
		rowsBelow = max(rowsBelow, s.Rows)
	}
	for _, n := range plan.Layout.Rostrum {
		cols = max(cols, n)
	}
	rows := len(plan.Layout.Rostrum) + rowsBelow
	cellW := min(30.0, (chartW-2*margin)/float64(max(cols, 1)))
	cellH := min(cellW*0.6, 14.0, (chartH-2*margin-header-2*gap)/float64(max(rows, 1)))

	ctx.DrawText(chartW/2, chartH-margin-8, canvas.NewTextLine(fs.name.Face(20, canvas.Black), title+" 座次图", canvas.Center))
	ctx.DrawText(chartW/2, chartH-margin-16, canvas.NewTextLine(fs.text.Face(10, lineGray), "（面向主席台，自左至右）", canvas.Center))

	top := chartH - margin - header
	box := func(x, y float64, s seating.ChartSeat, fill color.Color) {
		ctx.SetFillColor(fill)
		ctx.SetStrokeColor(lineGray)
		ctx.SetStrokeWidth(0.15)
		ctx.DrawPath(x+0.3, y+0.3, canvas.Rectangle(cellW-0.6, cellH-0.6))
		if s.Occupant == nil {
			return
		}
		n := max(utf8.RuneCountInString(s.Occupant.Name), 2)
		sizeMM := min(cellH*0.55, (cellW-1)*0.9/float64(n))
		face := fs.text.Face(sizeMM/mmPerPt, canvas.Black)
		ctx.DrawText(x+cellW/2, y+cellH/2-sizeMM*0.35, canvas.NewTextLine(face, s.Occupant.Name, canvas.Center))
	}
	fill := func(s seating.ChartSeat, base color.Color) color.Color {
		switch {
		case s.Occupant == nil:
			return canvas.White
		case s.Occupant.Fixed:
			return fixedFill
		case isHeld(s.Occupant.AttendeeID):
			return heldFill
		}
		return base
	}
	// The rostrum: back row at the top, each row centred.
	if len(ch.Rostrum) > 0 {
		label := fs.text.Face(9, lineGray)
		ctx.DrawText(margin, top-cellH*0.6, canvas.NewTextLine(label, "主席台", canvas.Left))
		for i := len(ch.Rostrum) - 1; i >= 0; i-- {
			r := ch.Rostrum[i]
			x0 := (chartW - float64(len(r.Seats))*cellW) / 2
			top -= cellH
			for j, s := range r.Seats {
				box(x0+float64(j)*cellW, top, s, fill(s, rostrumFill))
			}
		}
		top -= gap
	}
	// The audience: sections left to right with an aisle between.
	width := 0.0
	for i, s := range plan.Layout.Sections {
		if i > 0 {
			width += cellW
		}
		width += float64(s.SeatsPerRow) * cellW
	}
	x := (chartW - width) / 2
	for _, sec := range ch.Sections {
		for ri, r := range sec.Rows {
			y := top - float64(ri+1)*cellH
			for j, s := range r.Seats {
				box(x+float64(j)*cellW, y, s, fill(s, canvas.White))
			}
		}
		x += float64(len(sec.Rows[0].Seats)+1) * cellW
	}
}
