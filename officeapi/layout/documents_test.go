package layout

import (
	"math"
	"sort"
	"strings"
	"testing"
)

// The geometry of issue 12's Done-when, read back from the PDFs by PDFium
// (text positions and sizes, the paths' bounds and fill colours, the
// images' bounds) for each sample: the single-page, multi-page, upward,
// classified, joint-issuer, with-attachment and 纪要 documents.

// rendered is a sample written and read back.
type rendered struct {
	sample
	pages []pdfPage
}

func renderSamples(t *testing.T) map[string]rendered {
	t.Helper()
	fonts := fontsOrSkip(t)
	out := map[string]rendered{}
	for _, s := range samples() {
		data, err := RenderWith(s.doc, fonts, s.opt)
		if err != nil {
			t.Fatal(err)
		}
		out[s.name] = rendered{s, readPDF(t, data)}
	}
	return out
}

// fromTop is a PDF y (mm from the bottom) as mm from the page's top.
func fromTop(y float64) float64 { return pageH - y }

// gridLine is the 0-based grid line whose 3号 baseline y (mm from the
// top) is on, or -1.
func gridLine(y float64) int {
	for k := range linesPerPage {
		if math.Abs(baseline(k, size3)-y) < 0.2 {
			return k
		}
	}
	return -1
}

// bodyLines are a page's 3号 text lines (the 正文's size), by grid line:
// each its characters left to right.
func bodyLines(t *testing.T, p pdfPage, page int) map[int][]pdfChar {
	t.Helper()
	out := map[int][]pdfChar{}
	for _, c := range p.chars {
		if math.Abs(c.size-size3) > 0.1 {
			continue
		}
		k := gridLine(fromTop(c.y))
		if k < 0 {
			t.Errorf("page %d: %q (3号) at %.2f mm from the top is off the 22-line grid", page, c.r, fromTop(c.y))
			continue
		}
		out[k] = append(out[k], c)
	}
	for _, l := range out {
		sort.Slice(l, func(i, j int) bool { return l[i].x < l[j].x })
	}
	return out
}

func lineText(cs []pdfChar) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}

// charsPerLine counts a line's 字 (a half-width character is half of one).
func countZi(cs []pdfChar) float64 {
	n := 0.0
	for _, c := range cs {
		n += float64(cells(c.r)) / 2
	}
	return n
}

func TestDocumentsGeometry(t *testing.T) {
	docs := renderSamples(t)
	wantPages := map[string]int{"single-page": 1, "multi-page": 3, "upward": 2, "classified": 2, "joint-issuers": 2,
		"with-attachments": 4, "minutes": 2}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			if n := wantPages[name]; len(d.pages) != n {
				t.Fatalf("%d pages, want %d", len(d.pages), n)
			}
			full := 0 // lines of a full 28 字
			for i, p := range d.pages {
				if math.Abs(p.w-pageW) > 0.5 || math.Abs(p.h-pageH) > 0.5 {
					t.Fatalf("page %d is %.1f × %.1f mm, want A4", i+1, p.w, p.h)
				}
				lines := bodyLines(t, p, i+1)
				if len(lines) > linesPerPage {
					t.Errorf("page %d: %d lines", i+1, len(lines))
				}
				for k, l := range lines {
					if n := countZi(l); n > charsPerLine {
						t.Errorf("page %d line %d: %.1f 字, more than 28: %q", i+1, k+1, n, lineText(l))
					}
					// A full line (an indented first line too) ends at the
					// 版心's right edge, to half a 字 when it holds an odd
					// number of half-width characters.
					last := l[len(l)-1]
					if end := last.x + cell*float64(cells(last.r))/2; end >= left+blockW-cell/2-0.3 {
						full++
						if end > left+blockW+0.3 {
							t.Errorf("page %d line %d ends at %.2f mm, beyond the 版心 (%.2f)", i+1, k+1, end, left+blockW)
						}
					}
					if r := []rune(lineText(l)); isClosing(r[0]) {
						t.Errorf("page %d line %d begins with a closing mark: %q", i+1, k+1, lineText(l))
					}
					for _, c := range l {
						if c.x < left-0.01 || c.x+cell*float64(cells(c.r))/2 > left+blockW+0.3 {
							t.Errorf("page %d line %d: %q at %.2f mm is outside the 版心", i+1, k+1, c.r, c.x)
						}
					}
				}
				checkPageNumber(t, p, i+1)
				checkRules(t, d, p, i+1, i == len(d.pages)-1)
			}
			if full == 0 {
				t.Error("no line of a full 28 字")
			}
			checkSeals(t, d)
		})
	}
}

// checkPageNumber: "— n —" in 四号 7 mm below the 版心, one 字 in from the
// right on odd pages and from the left on even ones.
func checkPageNumber(t *testing.T, p pdfPage, n int) {
	t.Helper()
	var dash []pdfChar
	for _, c := range p.chars {
		if c.r == '—' {
			dash = append(dash, c)
		}
	}
	if len(dash) != 2 {
		t.Fatalf("page %d: %d dashes, want the page number's two", n, len(dash))
	}
	w4 := size4 * pt
	if n%2 == 1 {
		if right := dash[1].x + w4; math.Abs(right-(left+blockW-w4)) > 0.3 {
			t.Errorf("odd page %d's number ends at %.2f mm, want %.2f (one 字 in from the right)", n, right, left+blockW-w4)
		}
	} else if math.Abs(dash[0].x-(left+w4)) > 0.3 {
		t.Errorf("even page %d's number begins at %.2f mm, want %.2f (one 字 in from the left)", n, dash[0].x, left+w4)
	}
	if y := fromTop(dash[0].y); y < top+blockH+7 || y > top+blockH+7+w4 {
		t.Errorf("page %d's number at %.1f mm from the top, want its 一字线 7 mm below the 版心 (%.0f)", n, y, top+blockH+7)
	}
}

// checkRules: the red separator line on the first page only, as wide as
// the 版心, of the standard's red, 4 mm below the 发文字号 (and nothing else
// red but the mark); the 版记's black rules on the last page only, the
// last on the 版心's bottom edge.
func checkRules(t *testing.T, d rendered, p pdfPage, n int, last bool) {
	t.Helper()
	var reds, blacks []pdfShape
	for _, s := range p.shapes {
		switch {
		case s.image:
		case s.fill == [3]uint{uint(red[0]), uint(red[1]), uint(red[2])}:
			reds = append(reds, s)
		default:
			blacks = append(blacks, s)
		}
	}
	if n > 1 {
		if len(reds) > 0 {
			t.Errorf("page %d has a red line", n)
		}
	} else {
		if len(reds) != 1 {
			t.Fatalf("page 1: %d red paths, want the separator line", len(reds))
		}
		l := reds[0]
		if math.Abs(l.x1-left) > 0.1 || math.Abs(l.x2-(left+blockW)) > 0.1 {
			t.Errorf("the red line spans %.2f–%.2f mm, want %.2f–%.2f", l.x1, l.x2, left, left+blockW)
		}
		// The 发文字号: the 3号 line just above the red line.
		var numY float64
		for _, c := range p.chars {
			if math.Abs(c.size-size3) < 0.1 && c.y > l.y2 && (numY == 0 || c.y < numY) {
				numY = c.y
			}
		}
		mid := fromTop((l.y1 + l.y2) / 2)
		if gap := mid - (fromTop(numY) + 0.12*size3*pt); math.Abs(gap-4) > 0.1 {
			t.Errorf("the red line is %.2f mm below the 发文字号, want 4", gap)
		}
		if th := l.y2 - l.y1; math.Abs(th-0.5) > 0.1 {
			t.Errorf("the red line is %.2f mm thick", th)
		}
	}
	if !last {
		if len(blacks) > 0 {
			t.Errorf("page %d has %d black rules: the 版记 belongs on the last page", n, len(blacks))
		}
		return
	}
	if len(blacks) < 2 {
		t.Fatalf("the last page has %d black rules, want the 版记's", len(blacks))
	}
	lowest := blacks[0]
	for _, b := range blacks {
		if math.Abs(b.x1-left) > 0.1 || math.Abs(b.x2-(left+blockW)) > 0.1 {
			t.Errorf("a 版记 rule spans %.2f–%.2f mm", b.x1, b.x2)
		}
		if b.y1 < lowest.y1 {
			lowest = b
		}
	}
	if y := fromTop((lowest.y1 + lowest.y2) / 2); math.Abs(y-(top+blockH)) > 0.1 {
		t.Errorf("the 版记's last rule at %.2f mm from the top, want the 版心's bottom %.2f", y, top+blockH)
	}
}

// checkSeals: a sealed document's seal image centred over its 成文日期,
// 42 mm, its top within a line of the text above; the joint issuers' seals
// neither crossing nor leaving the 版心; none on a 纪要.
func checkSeals(t *testing.T, d rendered) {
	t.Helper()
	date := []rune(chineseDate(d.doc.WrittenOn))
	var seals []pdfShape
	var datePage pdfPage
	for _, p := range d.pages {
		for _, s := range p.shapes {
			if s.image {
				seals = append(seals, s)
				datePage = p
			}
		}
	}
	if d.doc.DocType == "纪要" {
		if len(seals) > 0 {
			t.Fatalf("a 纪要 carries %d seals", len(seals))
		}
		return
	}
	if want := 1 + len(d.doc.JointIssuers); len(seals) != want {
		t.Fatalf("%d seals, want %d", len(seals), want)
	}
	// The date: the page's 3号 run of its characters.
	lines := bodyLines(t, datePage, 0)
	var dateLine []pdfChar
	dk := -1
	for k, l := range lines {
		if i := strings.Index(lineText(l), string(date)); i >= 0 {
			dateLine, dk = l[len([]rune(lineText(l)[:i])):][:len(date)], k
		}
	}
	if dateLine == nil {
		t.Fatal("no 成文日期 on the seal's page")
	}
	last := dateLine[len(dateLine)-1]
	dateL, dateR := dateLine[0].x, last.x+cell*float64(cells(last.r))/2
	if math.Abs(dateR-(left+blockW-4*cell)) > 0.3 {
		t.Errorf("the date ends %.2f mm from the 版心's right, want four 字", left+blockW-dateR)
	}
	s := seals[len(seals)-1] // the last seal presses the date
	if cx := (s.x1 + s.x2) / 2; math.Abs(cx-(dateL+dateR)/2) > 0.3 {
		t.Errorf("the seal's centre is at %.2f mm, the date's at %.2f: not centred", cx, (dateL+dateR)/2)
	}
	if w := s.x2 - s.x1; math.Abs(w-sealD) > 0.3 {
		t.Errorf("the seal is %.1f mm across, want %.0f", w, sealD)
	}
	// 署名 and date below the seal's centre (居印章中心偏下), both under it.
	cy := fromTop((s.y1 + s.y2) / 2)
	if mid := top + float64(dk)*pitch; mid-cy <= 0 || mid-cy > pitch/2 { // the two lines' middle
		t.Errorf("the 署名 and date (middle %.1f mm from the top) are not a little below the seal's centre (%.1f)", mid, cy)
	}
	// The topmost seal's top within a line of the text above the 署名.
	rows := (len(d.doc.JointIssuers) + 2) / 2
	firstSig := dk - 1 - rowsApart*(rows-1)
	above := -1
	for k := range lines {
		if k < firstSig && k > above {
			above = k
		}
	}
	topSeal := seals[0]
	for _, s := range seals {
		if s.y2 > topSeal.y2 {
			topSeal = s
		}
	}
	if above >= 0 {
		textBottom := top + float64(above+1)*pitch
		if gap := fromTop(topSeal.y2) - textBottom; gap > pitch || gap < -pitch/2 {
			t.Errorf("the seal's top is %.1f mm below the text above, want within a line", gap)
		}
	} else {
		t.Error("no text above the 署名 on its page")
	}
	for i := range seals {
		if seals[i].x1 < left-0.1 || seals[i].x2 > left+blockW+0.1 {
			t.Errorf("seal %d at %.1f–%.1f mm leaves the 版心", i+1, seals[i].x1, seals[i].x2)
		}
		for j := range i {
			a, b := seals[i], seals[j]
			if math.Hypot((a.x1+a.x2-b.x1-b.x2)/2, (a.y1+a.y2-b.y1-b.y2)/2) <= sealD {
				t.Errorf("seals %d and %d touch or cross", j+1, i+1)
			}
		}
	}
}

// charsOf are a page's characters of the given text, in order, found as
// one run of the page's text order.
func charsOf(p pdfPage, text string) []pdfChar {
	want := []rune(text)
	for i := 0; i+len(want) <= len(p.chars); i++ {
		ok := true
		for j, r := range want {
			if p.chars[i+j].r != r {
				ok = false
				break
			}
		}
		if ok {
			return p.chars[i : i+len(want)]
		}
	}
	return nil
}

// What each kind of document adds to the common geometry.
func TestDocumentsParts(t *testing.T) {
	docs := renderSamples(t)
	right := func(c pdfChar) float64 { return c.x + cell*float64(cells(c.r))/2 }

	t.Run("upward: 文号 left, 签发人 right, on one line", func(t *testing.T) {
		p := docs["upward"].pages[0]
		num, signer := charsOf(p, "皖政办〔2026〕15号"), charsOf(p, "签发人：王建国")
		if num == nil || signer == nil {
			t.Fatalf("no 发文字号 or 签发人 in %q", p.lines)
		}
		if math.Abs(num[0].x-(left+cell)) > 0.1 {
			t.Errorf("the 发文字号 begins at %.2f mm, want one 字 in (%.2f)", num[0].x, left+cell)
		}
		if r := right(signer[len(signer)-1]); math.Abs(r-(left+blockW-cell)) > 0.1 {
			t.Errorf("the 签发人 ends at %.2f mm, want one 字 in from the right (%.2f)", r, left+blockW-cell)
		}
		if num[0].y != signer[0].y {
			t.Errorf("发文字号 and 签发人 on different lines")
		}
	})
	t.Run("classified: 份号, 密级★期限, 紧急程度 top left, a line each", func(t *testing.T) {
		p := docs["classified"].pages[0]
		for k, s := range []string{"000123", "机密★1年", "特急"} {
			cs := charsOf(p, s)
			if cs == nil {
				t.Fatalf("no %q", s)
			}
			if math.Abs(cs[0].x-left) > 0.1 || math.Abs(fromTop(cs[0].y)-baseline(k, size3)) > 0.1 {
				t.Errorf("%q at (%.2f, %.2f), want line %d at the 版心's left", s, cs[0].x, fromTop(cs[0].y), k+1)
			}
		}
	})
	t.Run("joint: marks stacked, the lead issuer first, 文件 centred on them", func(t *testing.T) {
		d := docs["joint-issuers"]
		p := d.pages[0]
		var mark []pdfChar
		for _, c := range p.chars {
			if c.size > 30 { // the mark's 字 are 10 mm and more
				mark = append(mark, c)
			}
		}
		sort.Slice(mark, func(i, j int) bool { return mark[i].x < mark[j].x })
		if len(mark) < 2 {
			t.Fatal("no mark")
		}
		suffix, rest := mark[len(mark)-2:], mark[:len(mark)-2] // 文件: rightmost
		if lineText(suffix) != "文件" {
			t.Fatalf("the mark's rightmost characters are %q, want 文件", lineText(suffix))
		}
		rows := map[float64][]pdfChar{}
		var ys []float64
		for _, c := range rest {
			if rows[c.y] == nil {
				ys = append(ys, c.y)
			}
			rows[c.y] = append(rows[c.y], c)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ys))) // top first
		names := append([]string{d.doc.Issuer}, d.doc.JointIssuers...)
		if len(ys) != len(names) {
			t.Fatalf("the mark has %d rows of names, want %d", len(ys), len(names))
		}
		var nameRows [][]pdfChar
		for _, y := range ys {
			nameRows = append(nameRows, rows[y])
		}
		for i, r := range nameRows {
			if lineText(r) != names[i] {
				t.Errorf("mark row %d is %q, want %q", i+1, lineText(r), names[i])
			}
			if math.Abs(r[0].x-nameRows[0][0].x) > 0.1 {
				t.Errorf("mark row %d begins at %.2f, the first at %.2f", i+1, r[0].x, nameRows[0][0].x)
			}
		}
		mid := (nameRows[0][0].y + nameRows[len(nameRows)-1][0].y) / 2
		if math.Abs(suffix[0].y-mid) > 0.1 {
			t.Errorf("文件 is not centred on the names")
		}
		if top := fromTop(nameRows[0][0].y) - 0.88*nameRows[0][0].size*pt; math.Abs(top-(37+35)) > 0.1 {
			t.Errorf("the mark's top is %.2f mm from the page's top, want 72", top)
		}
	})
	t.Run("attachments: 附件说明, then each on a page of its own", func(t *testing.T) {
		d := docs["with-attachments"]
		var note []pdfChar
		for _, p := range d.pages[:2] {
			if note == nil {
				note = charsOf(p, "附件：1.2026年政务公开工作要点")
			}
		}
		if note == nil || math.Abs(note[0].x-(left+2*cell)) > 0.1 {
			t.Fatal("no 附件说明 two 字 in from the left")
		}
		for i, a := range d.opt.Attachments {
			p := d.pages[len(d.pages)-2+i]
			mark, title := charsOf(p, "附件"+string(rune('1'+i))), charsOf(p, a.Title)
			if mark == nil || title == nil {
				t.Fatalf("attachment %d's page: %q", i+1, p.lines)
			}
			if math.Abs(mark[0].x-left) > 0.1 || math.Abs(fromTop(mark[0].y)-baseline(0, size3)) > 0.1 {
				t.Errorf("附件%d's mark is not at the 版心's top left", i+1)
			}
			if math.Abs(fromTop(title[0].y)-baseline(2, size2)) > 0.1 || math.Abs(title[0].size-size2) > 0.1 {
				t.Errorf("附件%d's title is not on the third line in 二号", i+1)
			}
			end := title[len(title)-1].x + size2*pt
			if c := (title[0].x + end) / 2; math.Abs(c-(left+blockW/2)) > 0.1 {
				t.Errorf("附件%d's title is centred at %.2f mm, want %.2f", i+1, c, left+blockW/2)
			}
		}
		last := d.pages[len(d.pages)-1]
		if charsOf(last, "政府信息公开目录更新情况统计表.xlsx") == nil {
			t.Errorf("the binary attachment's page does not name its file: %q", last.lines)
		}
		if charsOf(last, "印发") == nil {
			t.Error("the 版记 is not after the attachments")
		}
	})
	t.Run("纪要: its mark in red, 署名 two 字 in from the right, no seal", func(t *testing.T) {
		d := docs["minutes"]
		if got := strings.Join(d.pages[0].lines, ""); !strings.Contains(got, "安徽省人民政府常务会议纪要") {
			t.Errorf("no 纪要 mark: %q", got)
		}
		var sig []pdfChar
		for _, p := range d.pages {
			if cs := charsOf(p, d.doc.Signature); cs != nil {
				sig = cs
			}
		}
		if sig == nil || math.Abs(right(sig[len(sig)-1])-(left+blockW-2*cell)) > 0.1 {
			t.Error("the 纪要's 署名 is not two 字 in from the right")
		}
	})
}
