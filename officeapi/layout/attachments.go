package layout

import (
	"strconv"
	"strings"
)

// Attachment is one 附件 as the rendering shows it: named in the 附件说明
// and laid out on pages of its own before the 版记 (GB/T 9704 7.3.5, 8).
// The caller reads them from the document's files (the layout knows no
// store).
type Attachment struct {
	// Title is its name (附件名称): the file's name without its extension,
	// or a title the drafter gave.
	Title string `json:"title"`
	// Text is its content when it is text, laid out as 正文 on its pages;
	// "" for any other file (a spreadsheet, a PDF, an image), whose page
	// names File, the file that goes with the document.
	Text string `json:"text,omitempty"`
	File string `json:"file,omitempty"`
}

// attachmentNote is the 附件说明 (7.3.5): one blank line below the 正文,
// two 字 in from the left, "附件：" and the names, numbered "1." when there
// are several, a long name's next lines under its first character, no
// punctuation after a name.
func (c *composer) attachmentNote() {
	if len(c.atts) == 0 {
		return
	}
	c.line++
	if c.line >= linesPerPage {
		c.newPage()
	}
	label := []rune("附件：")
	x0 := left + 2*cell + width(label, size3)
	for i, a := range c.atts {
		var num []rune
		if len(c.atts) > 1 {
			num = []rune(strconv.Itoa(i+1) + ".")
		}
		name := []rune(strings.TrimRight(strings.TrimSpace(a.Title), "。，；、.,;"))
		hang := x0 + width(num, size3)
		lines := breakLines(name, 2*charsPerLine-int((hang-left)/cell*2+0.5), 0)
		for j, l := range lines {
			c.flow()
			if i == 0 && j == 0 {
				c.put(c.line, left+2*cell, label, same(len(label), fangSong), size3, false)
			}
			if j == 0 {
				c.put(c.line, x0, num, same(len(num), fangSong), size3, false)
			}
			c.put(c.line, hang, l, same(len(l), fangSong), size3, false)
			c.line++
		}
	}
}

// attachments puts each 附件 on a new page (8): "附件" and its number in
// 3号 黑体 at the 版心's top left, its title centred on the third line,
// then its text as 正文 — or, for a file that is not text, a line naming
// the file that goes with the document.
func (c *composer) attachments() {
	for i, a := range c.atts {
		c.newPage()
		mark := "附件"
		if len(c.atts) > 1 {
			mark += strconv.Itoa(i + 1)
		}
		c.text(left, mark, hei, size3)
		c.line = 2
		c.title([]rune(strings.TrimSpace(a.Title)))
		c.line++
		text := a.Text
		if strings.TrimSpace(text) == "" {
			file := a.File
			if file == "" {
				file = a.Title
			}
			text = "（本附件为电子文件“" + file + "”，随公文一并分发，不在此排印。）"
		}
		for _, p := range strings.Split(text, "\n") {
			runes := []rune(strings.TrimSpace(p))
			if len(runes) == 0 {
				continue
			}
			c.paragraph(runes, bodyFaces(runes), 2)
		}
	}
}
