package layout

// Seals of GB/T 9704 7.3.5: ⌀ 42 mm (a 省级 office's seal is 42–45 mm), and
// the distance between two seals' centres in a joint document's row,
// so that they neither touch nor cross (互不相交或相切).
const (
	sealD     = 42.0
	sealApart = 50.0
	// rowsApart is the grid lines between two rows of a joint document's
	// sealed 署名: more than a seal's height.
	rowsApart = 5
)

// signature puts 署名 and 成文日期 one blank line below the 正文 (or the
// 附件说明). When they do not fit on the page, it notes how many lines had
// flowed (compose carries the last ones down with them) and goes on on a
// new page.
func (c *composer) signature() {
	d := c.doc
	date := []rune(chineseDate(d.WrittenOn))
	sigs := c.signatures()
	if len(sigs) == 0 && len(date) == 0 {
		return
	}
	sealed := d.Sealed && d.DocType != "纪要" // 纪要 carry no seal, whatever the flag says
	need := 1 + len(sigs) + 1               // a blank line, the names, the date
	if sealed && len(sigs) > 1 {
		rows := (len(sigs) + 1) / 2
		need = 1 + (rows-1)*rowsApart + 2
	}
	if c.line+need > linesPerPage {
		c.carry = c.flowed
		c.newPage()
	} else {
		c.line++ // one blank line
	}
	if !sealed {
		c.unsealed(sigs, date)
		return
	}
	dateX := left + blockW - 4*cell - width(date, size3) // 右空四字
	dateMid := dateX + width(date, size3)/2
	if len(date) == 0 {
		dateMid = left + blockW - 4*cell - 4.5*cell
	}
	// Joint: two names a row, the last row's last name over the date; each
	// seal centred on its name, the last one on the name and the date. A
	// single issuer: the 署名 centred over the date.
	for i, s := range sigs {
		row := i / 2
		x := dateMid
		if i%2 == 0 && (i+1 < len(sigs)) { // the left one of a pair: its seal clear of the right one's, its name too
			x = dateMid - max(sealApart, (width(s, size3)+width(sigs[i+1], size3))/2+cell)
		}
		k := c.line + row*rowsApart
		c.put(k, x-width(s, size3)/2, s, same(len(s), fangSong), size3, false)
		// The seal 端正、居中下压: its centre a little above the middle of
		// the name and the date (they sit 居印章中心偏下), its top within a
		// line of the text above.
		cy := top + float64(k+1)*pitch - 1
		c.cur.seals = append(c.cur.seals, sealPlace{box: box{x: x - sealD/2, y: cy - sealD/2, w: sealD, h: sealD}, issuer: i})
	}
	if len(sigs) > 0 {
		c.line += ((len(sigs)+1)/2-1)*rowsApart + 1
	}
	if len(date) > 0 {
		c.put(c.line, dateX, date, same(len(date), fangSong), size3, false)
	}
	c.line++
	if len(sigs) == 0 { // a date alone still takes the seal (over the date)
		cy := top + float64(c.line)*pitch - pitch/2 - 1
		c.cur.seals = append(c.cur.seals, sealPlace{box: box{x: dateMid - sealD/2, y: cy - sealD/2, w: sealD, h: sealD}})
	}
}

// signatures are the 署名: Document.Signature (or the issuer), then the
// joint issuers in their order.
func (c *composer) signatures() [][]rune {
	d := c.doc
	first := d.Signature
	if first == "" && len(d.JointIssuers) > 0 {
		first = d.Issuer
	}
	var out [][]rune
	if first != "" {
		out = append(out, []rune(first))
	}
	for _, j := range d.JointIssuers {
		if j != "" {
			out = append(out, []rune(j))
		}
	}
	return out
}

// unsealed (7.3.5.2, a 纪要 and other documents without a seal): each
// 署名 two 字 in from the right, aligned on their first characters; the
// date on the next line two 字 further right (or two 字 in from the right
// when it is longer, the names moved left as much).
func (c *composer) unsealed(sigs [][]rune, date []rune) {
	w := 0.0
	for _, s := range sigs {
		w = max(w, width(s, size3))
	}
	sigX := left + blockW - 2*cell - w
	if dw := width(date, size3); sigX+2*cell+dw > left+blockW-2*cell {
		sigX = left + blockW - 2*cell - dw - 2*cell
	}
	for _, s := range sigs {
		c.put(c.line, sigX, s, same(len(s), fangSong), size3, false)
		c.line++
	}
	if len(date) > 0 {
		c.put(c.line, sigX+2*cell, date, same(len(date), fangSong), size3, false)
		c.line++
	}
}
