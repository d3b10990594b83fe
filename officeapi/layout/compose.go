package layout

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/shared/richtext"
)

// Geometry of GB/T 9704-2012, in millimetres from the page's top left.
const (
	pageW, pageH = 210.0, 297.0
	top, left    = 37.0, 28.0            // 天头, 订口
	blockW       = 156.0                 // 版心 width
	blockH       = 225.0                 // 版心 height
	linesPerPage = 22                    // 行
	charsPerLine = 28                    // 字
	pitch        = blockH / linesPerPage // one 行: 10.23 mm
	cell         = blockW / charsPerLine // one 字: 5.57 mm
	pt           = 25.4 / 72             // one point in mm
	size3        = 16.0                  // 三号
	size4        = 14.0                  // 四号
	size2        = 22.0                  // 二号
)

// Typefaces of the standard (Fonts names their files).
type face int

const (
	fangSong face = iota
	fangSongBold
	hei
	kai
	xiaoBiaoSong
	song
)

// red is the 发文机关标志's and the separator line's colour: the standard's
// ink of 80% magenta and 80% yellow, as RGB.
var red = [3]uint8{255, 51, 51}

// glyph is one character placed on a page: x is its left edge, y its
// baseline.
type glyph struct {
	r    rune
	x, y float64
	size float64 // points
	face face
	red  bool
}

// rule is a horizontal line from x1 to x2 at y, width thick.
type rule struct {
	x1, x2, y, thick float64
	red              bool
}

// box is a rectangle: the seal's place.
type box struct{ x, y, w, h float64 }

// page is what one page shows.
type page struct {
	glyphs []glyph
	rules  []rule
	seal   *box // where the seal goes (成文日期 of a sealed document)
}

// plan is the document laid out: its pages, ready to draw.
type plan struct{ pages []*page }

// lineText is one line's text and each rune's face.
type lineText struct {
	runes []rune
	faces []face
}

// baseline is the baseline of grid line k (0-based) for text of size
// points: the character's em box centred in its line.
func baseline(k int, size float64) float64 {
	return top + (float64(k)+0.5)*pitch + 0.38*size*pt
}

// composer lays a document out page by page on the 22-line grid.
type composer struct {
	doc  officialdoc.Document
	out  plan
	cur  *page
	line int // the next free grid line on cur
}

func (c *composer) newPage() {
	c.cur = &page{}
	c.out.pages = append(c.out.pages, c.cur)
	c.line = 0
}

// ensure starts a new page unless n more lines fit on this one.
func (c *composer) ensure(n int) {
	if c.line+n > linesPerPage {
		c.newPage()
	}
}

// put places runes from x on grid line k, each at its grid width (a whole
// 字 of size, or half of it for half-width runes), and returns the x after.
func (c *composer) put(k int, x float64, runes []rune, faces []face, size float64, isRed bool) float64 {
	w := size * pt
	if size == size3 {
		w = cell // the 3号 grid: 28 字 fill the 版心
	}
	y := baseline(k, size)
	for i, r := range runes {
		c.cur.glyphs = append(c.cur.glyphs, glyph{r: r, x: x, y: y, size: size, face: faces[i], red: isRed})
		x += w * float64(cells(r)) / 2
	}
	return x
}

// width is the width of runes at size on the grid.
func width(runes []rune, size float64) float64 {
	w := size * pt
	if size == size3 {
		w = cell
	}
	n := 0
	for _, r := range runes {
		n += cells(r)
	}
	return w * float64(n) / 2
}

func same(n int, f face) []face {
	out := make([]face, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// text puts s on the current line at x in one face and moves to the next line.
func (c *composer) text(x float64, s string, f face, size float64) {
	r := []rune(s)
	c.put(c.line, x, r, same(len(r), f), size, false)
}

// paragraph flows runes over as many grid lines as they need, the first
// indented by indent 字 (3号), each line on the grid from the left edge.
func (c *composer) paragraph(runes []rune, faces []face, indent int) {
	lines := breakLines(runes, 2*charsPerLine, 2*indent)
	at := 0
	for i, l := range lines {
		c.ensure(1)
		x := left
		if i == 0 {
			x += float64(indent) * cell
		}
		c.put(c.line, x, l, faces[at:at+len(l)], size3, false)
		at += len(l)
		c.line++
	}
}

// Heading levels (GB/T 9704 7.3.3): 一、 in 黑体, （一） in 楷体, 1. in 仿宋
// bold, （1） in 仿宋. A heading is the paragraph's text up to its first
// 。 (a paragraph may run on after its heading), or all of it.
var headings = []struct {
	re   *regexp.Regexp
	face face
}{
	{regexp.MustCompile(`^[一二三四五六七八九十]+、`), hei},
	{regexp.MustCompile(`^（[一二三四五六七八九十]+）`), kai},
	{regexp.MustCompile(`^[0-9]+[.．]`), fangSongBold},
	{regexp.MustCompile(`^（[0-9]+）`), fangSong},
}

// bodyFaces gives each rune of a 正文 paragraph its face.
func bodyFaces(p []rune) []face {
	faces := same(len(p), fangSong)
	s := string(p)
	for _, h := range headings {
		if !h.re.MatchString(s) {
			continue
		}
		end := len(p)
		for i, r := range p {
			if r == '。' {
				end = i + 1
				break
			}
		}
		for i := 0; i < end; i++ {
			faces[i] = h.face
		}
		break
	}
	return faces
}

// chineseDate writes 2026-03-05 as 2026年3月5日 (Arabic numerals, no
// leading zeros, as the standard writes 成文日期); "" when unset or bad.
func chineseDate(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return ""
	}
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// upward documents (上行文) show 签发人 beside the 发文字号.
func upward(d officialdoc.Document) bool { return d.DocType == "请示" || d.DocType == "报告" }

// issuerMark is the 发文机关标志's text: the issuer and 文件 (a 函 shows
// the name alone, a 纪要 its name and 纪要).
func issuerMark(d officialdoc.Document) string {
	name := d.Issuer
	switch {
	case d.DocType == "函", strings.HasSuffix(name, "文件"), strings.HasSuffix(name, "纪要"):
		return name
	case d.DocType == "纪要":
		return name + "纪要"
	}
	return name + "文件"
}

// compose lays doc out.
func compose(doc officialdoc.Document) plan {
	c := &composer{doc: doc}
	c.newPage()
	c.head()
	c.main()
	c.colophon()
	c.pageNumbers()
	return c.out
}

// head is the 版头: 份号, 密级和保密期限, 紧急程度 top left; the red
// 发文机关标志 35 mm below the 版心's top; the 发文字号 two lines below it;
// the red line 4 mm below that.
func (c *composer) head() {
	d := c.doc
	if d.CopyNo != "" {
		c.text(left, d.CopyNo, hei, size3)
		c.line++
	}
	if d.Classification.Classified() {
		mark := string(d.Classification)
		if d.SecrecyPeriod != "" {
			mark += "★" + d.SecrecyPeriod
		}
		c.text(left, mark, hei, size3)
		c.line++
	}
	if d.Urgency != "" {
		c.text(left, d.Urgency, hei, size3)
		c.line++
	}
	// The mark: as large as fits the 版心's width, at most 15 mm a 字.
	mark := []rune(issuerMark(d))
	markBottom := top + 35
	if len(mark) > 0 {
		sz := min(15.0, blockW/float64(len(mark))) // mm
		markBottom += sz
		x := left + (blockW-sz*float64(len(mark)))/2
		y := top + 35 + 0.88*sz
		for _, r := range mark {
			c.cur.glyphs = append(c.cur.glyphs, glyph{r: r, x: x, y: y, size: sz / pt, face: xiaoBiaoSong, red: true})
			x += sz
		}
	}
	// 发文字号 two blank grid lines below the mark (空二行).
	k := int(math.Ceil((markBottom-top)/pitch)) + 2
	c.line = max(c.line, k)
	number := []rune(d.DocNumber)
	if upward(d) {
		c.put(c.line, left+cell, number, same(len(number), fangSong), size3, false)
		label, name := []rune("签发人："), []rune(d.Signer)
		all := append(append([]rune{}, label...), name...)
		faces := append(same(len(label), fangSong), same(len(name), kai)...)
		c.put(c.line, left+blockW-cell-width(all, size3), all, faces, size3, false)
	} else {
		c.put(c.line, left+(blockW-width(number, size3))/2, number, same(len(number), fangSong), size3, false)
	}
	lineY := baseline(c.line, size3) + 0.12*size3*pt + 4
	c.cur.rules = append(c.cur.rules, rule{x1: left, x2: left + blockW, y: lineY, thick: 0.5, red: true})
	c.line += 3 // the title two lines below the red line
}

// main is the 主体: the title, 主送机关, the 正文, 署名 and 成文日期 with the
// seal's place, 附注.
func (c *composer) main() {
	d := c.doc
	// Title: 二号 小标宋, centred, as many lines as it needs (at most 20 字 a line).
	// Long titles are balanced over their lines (a last line of a few
	// characters reads badly), still at most 20 字 a line.
	w2 := size2 * pt
	perLine := int(blockW / w2)
	title := []rune(d.Title)
	if n := (len(title) + perLine - 1) / perLine; n > 1 {
		perLine = (len(title) + n - 1) / n
	}
	for rest := title; len(rest) > 0; {
		l := breakLines(rest, 2*perLine, 0)[0]
		c.ensure(1)
		c.put(c.line, left+(blockW-width(l, size2))/2, l, same(len(l), xiaoBiaoSong), size2, false)
		c.line++
		rest = rest[len(l):]
	}
	c.line++ // 主送 one line below the title
	if len(d.MainTo) > 0 {
		to := []rune(strings.Join(d.MainTo, "、") + "：")
		c.paragraph(to, same(len(to), fangSong), 0)
	}
	for _, p := range strings.Split(richtext.PlainText(d.Body), "\n") {
		runes := []rune(strings.TrimSpace(p))
		if len(runes) == 0 {
			continue
		}
		c.paragraph(runes, bodyFaces(runes), 2)
	}
	c.signature()
	if d.Note != "" {
		note := []rune("（" + strings.Trim(d.Note, "（）()") + "）")
		c.paragraph(note, same(len(note), fangSong), 2)
	}
}

// signature puts 署名 and 成文日期. Sealed: the date four 字 in from the
// right, the 署名 centred over it, one blank line above them so that the
// seal's top comes within a line of the text. Unsealed (纪要): the 署名
// two 字 in from the right, the date a line below, two 字 further right.
func (c *composer) signature() {
	d := c.doc
	sig, date := []rune(d.Signature), []rune(chineseDate(d.WrittenOn))
	if len(sig) == 0 && len(date) == 0 {
		return
	}
	if d.Sealed && d.DocType != "纪要" { // 纪要 carry no seal, whatever the flag says
		c.line++ // one blank line
		c.ensure(2)
		dateX := left + blockW - 4*cell - width(date, size3)
		dateMid := dateX + width(date, size3)/2
		first := c.line
		if len(sig) > 0 {
			c.put(c.line, dateMid-width(sig, size3)/2, sig, same(len(sig), fangSong), size3, false)
			c.line++
		}
		c.put(c.line, dateX, date, same(len(date), fangSong), size3, false)
		c.line++
		// The seal (⌀ 42 mm) centred on 署名 and date, a little low.
		cy := (top+float64(first)*pitch+top+float64(c.line)*pitch)/2 + 2
		c.cur.seal = &box{x: dateMid - 21, y: cy - 21, w: 42, h: 42}
		return
	}
	c.line++
	c.ensure(2)
	sigX := left + blockW - 2*cell - width(sig, size3)
	if len(sig) > 0 {
		c.put(c.line, sigX, sig, same(len(sig), fangSong), size3, false)
		c.line++
	}
	c.put(c.line, min(sigX+2*cell, left+blockW-width(date, size3)), date, same(len(date), fangSong), size3, false)
	c.line++
}

// colophon is the 版记 at the foot of the last page: 抄送机关, then 印发机关
// and 印发日期, in 四号 仿宋 one 字 in from each side, between a thick
// rule above and below and thin ones between.
func (c *composer) colophon() {
	d := c.doc
	printer := d.PrintedBy
	if printer == "" {
		printer = d.Issuer
	}
	var copyLines [][]rune
	if len(d.CopyTo) > 0 {
		text := []rune("抄送：" + strings.Join(d.CopyTo, "，") + "。")
		// 四号 字 per line within the 版心 less one 字 each side.
		w4 := size4 * pt
		per := int(blockW/w4) - 2
		copyLines = breakLines(text, 2*per, 0)
	}
	n := len(copyLines) + 1
	if c.line+n > linesPerPage {
		c.newPage()
	}
	first := linesPerPage - n
	w4 := size4 * pt
	slotTop := func(k int) float64 { return top + float64(k)*pitch }
	c.cur.rules = append(c.cur.rules, rule{x1: left, x2: left + blockW, y: slotTop(first), thick: 0.35})
	for i, l := range copyLines {
		c.put(first+i, left+w4, l, same(len(l), fangSong), size4, false)
	}
	k := linesPerPage - 1
	if len(copyLines) > 0 {
		c.cur.rules = append(c.cur.rules, rule{x1: left, x2: left + blockW, y: slotTop(k), thick: 0.25})
	}
	pr := []rune(printer)
	c.put(k, left+w4, pr, same(len(pr), fangSong), size4, false)
	if on := chineseDate(d.PrintedOn); on != "" {
		r := []rune(on + "印发")
		c.put(k, left+blockW-w4-width(r, size4), r, same(len(r), fangSong), size4, false)
	}
	c.cur.rules = append(c.cur.rules, rule{x1: left, x2: left + blockW, y: top + blockH, thick: 0.35})
	c.line = linesPerPage
}

// pageNumbers puts "— n —" in 四号 宋体 below the 版心 (its 一字线 7 mm
// below it), one 字 in from the right on odd pages, from the left on even
// ones.
func (c *composer) pageNumbers() {
	w4 := size4 * pt
	for i, p := range c.out.pages {
		num := []rune("— " + strconv.Itoa(i+1) + " —")
		x := left + w4
		if (i+1)%2 == 1 {
			x = left + blockW - w4 - width(num, size4)
		}
		y := top + blockH + 7 + 0.35*w4
		for _, r := range num {
			p.glyphs = append(p.glyphs, glyph{r: r, x: x, y: y, size: size4, face: song})
			x += w4 * float64(cells(r)) / 2
		}
	}
}
