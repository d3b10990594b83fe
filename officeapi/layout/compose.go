package layout

import (
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

// box is a rectangle.
type box struct{ x, y, w, h float64 }

// sealPlace is where one issuer's seal goes: issuer 0 is Document.Issuer,
// i the (i-1)-th of Document.JointIssuers.
type sealPlace struct {
	box
	issuer int
}

// page is what one page shows.
type page struct {
	glyphs []glyph
	rules  []rule
	seals  []sealPlace // the seals' places (署名 of a sealed document)
}

// plan is the document laid out: its pages, ready to draw.
type plan struct{ pages []*page }

// baseline is the baseline of grid line k (0-based) for text of size
// points: the character's em box centred in its line.
func baseline(k int, size float64) float64 {
	return top + (float64(k)+0.5)*pitch + 0.38*size*pt
}

// composer lays a document out page by page on the 22-line grid.
type composer struct {
	doc  officialdoc.Document
	atts []Attachment
	out  plan
	cur  *page
	line int // the next free grid line on cur
	// flowed counts the lines of 正文 and 附件说明 placed so far; a page
	// is begun before line breakAt (-1: never) so that the 署名 does not
	// stand alone on a page (see compose).
	flowed, breakAt int
	// carry is set when the 署名 did not fit under the 正文: the flowed
	// line count then, to be carried down with it.
	carry int
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
		c.flow()
		x := left
		if i == 0 {
			x += float64(indent) * cell
		}
		c.put(c.line, x, l, faces[at:at+len(l)], size3, false)
		at += len(l)
		c.line++
	}
}

// flow makes room for one more line of 正文 or 附件说明: on this page, or
// on a new one when the page is full or the 署名 needs the line's company.
func (c *composer) flow() {
	if c.flowed == c.breakAt && c.line > 0 {
		c.newPage()
	}
	c.ensure(1)
	c.flowed++
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

// compose lays doc out with its attachments. GB/T 9704 7.3.5.4 wants the
// seal on a page with text: when the 署名 does not fit under the 正文,
// the layout is done again with the 正文's last two lines carried down to
// the 署名's page (the standard's alternative, squeezing the line pitch,
// would leave the 22-line grid; the old "此页无正文" page is what the 2012
// edition replaced).
func compose(doc officialdoc.Document, atts ...Attachment) plan {
	c := composeOnce(doc, atts, -1)
	if c.carry > 2 {
		c = composeOnce(doc, atts, c.carry-2)
	}
	return c.out
}

func composeOnce(doc officialdoc.Document, atts []Attachment, breakAt int) *composer {
	c := &composer{doc: doc, atts: atts, breakAt: breakAt}
	c.newPage()
	c.head()
	c.main()
	c.attachments()
	c.colophon()
	c.pageNumbers()
	return c
}

// main is the 主体: the title, 主送机关, the 正文, 署名 and 成文日期 with the
// seal's place, 附注.
func (c *composer) main() {
	d := c.doc
	c.title([]rune(d.Title))
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
	c.attachmentNote()
	c.signature()
	if d.Note != "" {
		note := []rune("（" + strings.Trim(d.Note, "（）()") + "）")
		c.paragraph(note, same(len(note), fangSong), 2)
	}
}

// title puts a title in 二号 小标宋, centred, on as many lines as it needs
// (at most 20 字 a line). Long titles are balanced over their lines (a
// last line of a few characters reads badly), still at most 20 字 a line.
func (c *composer) title(title []rune) {
	w2 := size2 * pt
	perLine := int(blockW / w2)
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
