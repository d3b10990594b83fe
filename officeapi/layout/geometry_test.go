package layout

import (
	"math"
	"strings"
	"testing"
)

// The 版头's geometry (GB/T 9704 7.2): the mark's top 35 mm below the
// 版心's top, red, centred; the 发文字号 centred two blank lines below it;
// the red line as wide as the 版心, 4 mm below the number; the title two
// lines below it.
func TestHeadGeometry(t *testing.T) {
	t.Parallel()
	p := compose(notice())
	first := p.pages[0]
	var mark, number []glyph
	for _, g := range first.glyphs {
		switch {
		case g.face == xiaoBiaoSong && g.red:
			mark = append(mark, g)
		case g.r == '皖' || number != nil && len(number) < len([]rune("皖政办〔2026〕12号")):
			number = append(number, g)
		}
	}
	if string(runesOf(mark)) != "安徽省人民政府办公厅文件" {
		t.Fatalf("mark %q", string(runesOf(mark)))
	}
	sz := mark[0].size * pt
	if markTop := mark[0].y - 0.88*sz; math.Abs(markTop-(top+35)) > 0.01 {
		t.Errorf("the mark's top is %.2f mm from the page's top, want %.2f (35 mm below the 版心's)", markTop, top+35)
	}
	if l, r := mark[0].x-left, left+blockW-(mark[len(mark)-1].x+sz); math.Abs(l-r) > 0.01 {
		t.Errorf("the mark is not centred: %.2f mm left, %.2f right", l, r)
	}
	if string(runesOf(number)) != "皖政办〔2026〕12号" {
		t.Fatalf("number %q", string(runesOf(number)))
	}
	markBottom := top + 35 + sz
	if gap := number[0].y - 0.88*size3*pt - markBottom; gap < 2*pitch-0.5 || gap > 3*pitch {
		t.Errorf("the number is %.1f mm below the mark, want two blank lines (≥ %.1f)", gap, 2*pitch)
	}
	var redLine *rule
	for i, r := range first.rules {
		if r.red {
			redLine = &first.rules[i]
		}
	}
	if redLine == nil {
		t.Fatal("no red line")
	}
	if redLine.x1 != left || redLine.x2 != left+blockW {
		t.Errorf("the red line spans %.1f–%.1f mm, want the 版心 %.1f–%.1f", redLine.x1, redLine.x2, left, left+blockW)
	}
	if d := redLine.y - (number[0].y + 0.12*size3*pt); math.Abs(d-4) > 0.01 {
		t.Errorf("the red line is %.2f mm below the number, want 4", d)
	}
}

// 版记 (7.4): at the foot of the last page, a thick rule above and below
// (0.35 mm) and a thin one between 抄送 and 印发 (0.25 mm), all as wide as
// the 版心, the last on the 版心's bottom edge.
func TestColophonRules(t *testing.T) {
	t.Parallel()
	p := compose(notice())
	last := p.pages[len(p.pages)-1]
	var thick []float64
	thin := 0
	for _, r := range last.rules {
		if r.red {
			continue
		}
		if r.x1 != left || r.x2 != left+blockW {
			t.Errorf("a 版记 rule spans %.1f–%.1f", r.x1, r.x2)
		}
		switch r.thick {
		case 0.35:
			thick = append(thick, r.y)
		case 0.25:
			thin++
		}
	}
	if len(thick) != 2 || thin != 1 || thick[1] != top+blockH {
		t.Fatalf("版记 rules: thick at %v, %d thin; want two thick (the last at %.0f mm) and one thin", thick, thin, top+blockH)
	}
	for i, pg := range p.pages[:len(p.pages)-1] {
		if len(pg.rules) > 0 && i > 0 {
			t.Errorf("page %d has rules: the 版记 belongs on the last page", i+1)
		}
	}
}

func runesOf(gs []glyph) []rune {
	out := make([]rune, len(gs))
	for i, g := range gs {
		out[i] = g.r
	}
	return out
}

// BenchmarkRender10Pages: a 10-page 通知, laid out and written with its
// fonts parsed and subset (the files are read once per process).
func BenchmarkRender10Pages(b *testing.B) {
	f := SystemFonts()
	d := notice()
	d.Body = strings.Repeat(bodyHTML, 13)
	if _, err := Render(d, f); err != nil {
		b.Skip(err)
	}
	pages := len(compose(d).pages)
	for b.Loop() {
		if _, err := Render(d, f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(pages), "pages/doc")
}
