package layout

import (
	"math"
	"strings"

	"zhengwu/officeapi/officialdoc"
)

// upward documents (上行文) show 签发人 beside the 发文字号.
func upward(d officialdoc.Document) bool { return d.DocType == "请示" || d.DocType == "报告" }

// issuers are the document's issuers, the 主办机关 first (联合行文).
func issuers(d officialdoc.Document) []string {
	out := []string{}
	for _, n := range append([]string{d.Issuer}, d.JointIssuers...) {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// markSuffix is what follows the issuers' names in the 发文机关标志: 文件
// (a 函 shows the names alone, a 纪要 its name and 纪要), none when the
// name already ends with it.
func markSuffix(d officialdoc.Document, names []string) string {
	if d.DocType == "函" {
		return ""
	}
	for _, n := range names {
		if strings.HasSuffix(n, "文件") || strings.HasSuffix(n, "纪要") {
			return ""
		}
	}
	if d.DocType == "纪要" {
		return "纪要"
	}
	return "文件"
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
	markBottom := c.issuerMark()
	// 发文字号 two blank grid lines below the mark (空二行).
	k := int(math.Ceil((markBottom-top)/pitch)) + 2
	c.line = max(c.line, k)
	number := []rune(d.DocNumber)
	if upward(d) {
		c.signers(number)
	} else {
		c.put(c.line, left+(blockW-width(number, size3))/2, number, same(len(number), fangSong), size3, false)
	}
	lineY := baseline(c.line, size3) + 0.12*size3*pt + 4
	c.cur.rules = append(c.cur.rules, rule{x1: left, x2: left + blockW, y: lineY, thick: 0.5, red: true})
	c.line += 3 // the title two lines below the red line
}

// issuerMark puts the red 发文机关标志 (7.2.4), its top 35 mm below the
// 版心's, centred, as large as fits the 版心's width (at most 15 mm a 字),
// and answers where it ends. A joint document stacks the issuers' names,
// the 主办机关 first, each spread to the longest name's width, with 文件
// to their right, centred on them (上下居中).
func (c *composer) issuerMark() (bottom float64) {
	names := issuers(c.doc)
	if len(names) == 0 {
		return top + 35
	}
	suffix := []rune(markSuffix(c.doc, names))
	longest := 0
	for _, n := range names {
		longest = max(longest, len([]rune(n)))
	}
	gap := 0.0 // between the names and 文件, in 字
	if len(names) > 1 && len(suffix) > 0 {
		gap = 0.5
	}
	sz := min(15.0, blockW/(float64(longest+len(suffix))+gap)) // mm a 字
	rowH := sz * 1.2
	height := float64(len(names)-1)*rowH + sz
	x0 := left + (blockW-sz*(float64(longest+len(suffix))+gap))/2
	put := func(r rune, x, topY float64) {
		c.cur.glyphs = append(c.cur.glyphs, glyph{r: r, x: x, y: topY + 0.88*sz, size: sz / pt, face: xiaoBiaoSong, red: true})
	}
	for i, n := range names {
		rs := []rune(n)
		step := sz
		if len(names) > 1 && len(rs) > 1 && len(rs) < longest { // spread (分散对齐)
			step = sz * float64(longest-1) / float64(len(rs)-1)
		}
		rowTop := top + 35 + float64(i)*rowH
		for j, r := range rs {
			put(r, x0+float64(j)*step, rowTop)
		}
		if len(names) == 1 { // one name: 文件 runs on
			for j, r := range suffix {
				put(r, x0+float64(len(rs)+j)*sz, rowTop)
			}
		}
	}
	if len(names) > 1 {
		sx := x0 + (float64(longest)+gap)*sz
		for j, r := range suffix {
			put(r, sx+float64(j)*sz, top+35+(height-sz)/2)
		}
	}
	return top + 35 + height
}

// signers puts an upward document's 发文字号 one 字 in from the left and
// 签发人 one 字 in from the right (7.2.6): "签发人：" in 仿宋, the names in
// 楷体, two a line in the order of the issuers, a second line's names
// under the first's; the 发文字号 on the line of the last name. Several
// signers (a joint 请示) are written in Document.Signer apart by 、.
func (c *composer) signers(number []rune) {
	names := splitNames(c.doc.Signer)
	if len(names) == 0 {
		names = [][]rune{nil}
	}
	label := []rune("签发人：")
	colW := 0.0
	for _, n := range names {
		colW = max(colW, width(n, size3))
	}
	cols := min(2, len(names))
	blockWidth := width(label, size3) + float64(cols)*colW + float64(cols-1)*cell
	x0 := left + blockW - cell - blockWidth
	c.put(c.line, x0, label, same(len(label), fangSong), size3, false)
	for i, n := range names {
		x := x0 + width(label, size3) + float64(i%2)*(colW+cell)
		c.put(c.line+i/2, x, n, same(len(n), kai), size3, false)
	}
	c.line += (len(names) - 1) / 2
	c.put(c.line, left+cell, number, same(len(number), fangSong), size3, false)
}

// splitNames splits "张三、李四" into its names.
func splitNames(s string) [][]rune {
	var out [][]rune
	for _, n := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;； ", r) }) {
		out = append(out, []rune(n))
	}
	return out
}
