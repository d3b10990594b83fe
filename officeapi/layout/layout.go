// Package layout is the printed form of an official document (公文): a
// Document rendered to a PDF in the layout of GB/T 9704-2012 《党政机关公文
// 格式》, the file the print room prints as it is.
//
// The page: A4, 天头 37 mm, 订口 28 mm, a 版心 of 156 × 225 mm holding 22
// lines of 28 字 of 三号 (16 pt) 仿宋. 版头: 份号, 密级★期限 and 紧急程度 top
// left in 黑体; the red 发文机关标志 (小标宋) 35 mm below the 版心's top —
// a joint document's (联合行文) issuers stacked, the 主办机关 first, 文件
// centred beside them; the 发文字号 centred two lines below it (请示 and
// 报告: left, with 签发人 on the right, several two a line); the red
// separator line 4 mm below. 主体: the title (二号 小标宋) two lines below
// the line, 主送机关, the 正文 (each paragraph indented two 字; headings 一、
// in 黑体, （一） in 楷体, 1. in bold 仿宋, （1） in 仿宋, told by how the
// paragraph begins), 附件说明, 署名 and 成文日期 with the seal (Options.Seal
// drawn centred on them, pressing them a little below its centre; a joint
// document's 署名 two a row, one seal each; none for 纪要, whose 署名 sits
// two 字 in from the right), 附注. Attachments (Options.Attachments) each on
// pages of their own. 版记 at the foot of the last page: 抄送 and 印发机关
// with 印发日期 between rules. Page numbers "— 1 —" in 四号 宋体, right on
// odd pages, left on even ones. Lines break on the 字 grid, and no line
// begins with a closing mark nor ends with an opening one (避头尾: the
// character before it is carried down). A 署名 that does not fit under the
// 正文 takes the 正文's last two lines down with it (7.3.5.4: the seal on a
// page with text), never a page of its own.
//
// The PDF is written by github.com/tdewolff/canvas (renderers/pdf; the
// PNG samples and RenderImages by its rasterizer). It was chosen over
// codeberg.org/go-pdf/fpdf because fpdf reads TrueType fonts only, as
// single files: it refuses OpenType/CFF outlines and font collections
// (.ttc), so of this machine's fonts it could embed the AR PL files alone,
// and neither WenQuanYi's 黑体 (a .ttc) nor an office's OpenType fonts.
// canvas reads .ttf, .otf and .ttc, subsets what it embeds and writes a
// ToUnicode map (the text can be searched and copied). Neither can subset
// the Noto CJK fonts (CID-keyed CFF with many font dicts: canvas's
// subsetter refuses them, and whole they are ≈ 16 MB a face), so the
// defaults are TrueType stand-ins: see SystemFonts and docs/documents.
//
// Approximations: each 字 sits on the grid (a line short by a carried
// character is not spread to full width); the 发文机关标志 is sized to the
// 版心 (at most 15 mm a 字); the seal is 42 mm across whatever the image's
// own size; a 纪要's 出席/请假/列席 lists have no fields yet (they are
// written in its 正文); an attachment that is not plain text is named on
// its page, not reproduced; the 版记 is not forced onto an even page (no
// blank page is inserted); the letter (信函) and order (命令) formats are
// not laid out.
package layout

//go:generate env LAYOUT_SAMPLES=../../docs/documents go test -count=1 -run TestWriteSamples .

import (
	"bytes"
	"fmt"
	"image"
	"image/color"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/pdf"
	"github.com/tdewolff/canvas/renderers/rasterizer"

	"zhengwu/officeapi/officialdoc"
)

// Options are what a rendering adds to the document itself.
type Options struct {
	// Seal is the issuing office's seal image (电子印章), drawn over 成文日期
	// where GB/T 9704 places it (centred on the 署名 and the date, 42 mm
	// across, the image scaled to fit); nil draws none (a draft, a 纪要).
	// In a joint document it is the 主办机关's, over the first 署名.
	Seal image.Image
	// JointSeals are the joint issuers' seals, in Document.JointIssuers'
	// order, each over its 署名; a nil or missing one draws none.
	JointSeals []image.Image
	// Attachments are the document's 附件 in Document.Attachments' order:
	// named in the 附件说明, each on pages of its own before the 版记.
	Attachments []Attachment
}

// Render lays doc out and writes it as a PDF with fonts. A font file that is
// missing is an error wrapping ErrFontMissing.
func Render(doc officialdoc.Document, fonts Fonts) ([]byte, error) {
	return RenderWith(doc, fonts, Options{})
}

// RenderWith is Render with opt (the seal image, the attachments).
func RenderWith(doc officialdoc.Document, fonts Fonts, opt Options) ([]byte, error) {
	faces, release, err := loadFaces(fonts)
	if err != nil {
		return nil, err
	}
	defer release()
	p := compose(doc, opt.Attachments...)
	var buf bytes.Buffer
	out := pdf.New(&buf, pageW, pageH, nil)
	out.SetInfo(doc.Title, doc.DocNumber, doc.DocType, doc.Issuer, "Zhengwu")
	out.SetLang("zh-CN")
	for i, pg := range p.pages {
		if i > 0 {
			out.NewPage(pageW, pageH)
		}
		draw(canvas.NewContext(out), pg, faces, opt)
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	return buf.Bytes(), nil
}

// loadFaces gives each typeface its parsed file (one file may serve
// several), and release, which hands the files back for the next
// rendering once this one is written.
func loadFaces(f Fonts) (faces map[face]*canvas.FontFamily, release func(), err error) {
	roles := []struct {
		face face
		name string
		file FontFile
	}{
		{fangSong, "仿宋", f.FangSong}, {hei, "黑体", f.Hei}, {kai, "楷体", f.Kai},
		{xiaoBiaoSong, "小标宋", f.XiaoBiaoSong}, {song, "宋体", f.Song},
	}
	byFile := map[FontFile]*canvas.FontFamily{}
	release = func() {
		for file, fam := range byFile {
			parsedFonts.give(file, fam)
		}
	}
	faces = map[face]*canvas.FontFamily{}
	for _, r := range roles {
		fam, ok := byFile[r.file]
		if !ok {
			if fam = parsedFonts.take(r.file); fam == nil {
				fam, err = load(r.name, r.file)
			}
			if err != nil {
				release()
				return nil, nil, err
			}
			byFile[r.file] = fam
		}
		faces[r.face] = fam
	}
	faces[fangSongBold] = faces[fangSong]
	return faces, release, nil
}

var redInk = color.RGBA{R: red[0], G: red[1], B: red[2], A: 255}

// draw puts one page's glyphs and rules on ctx (whose origin is the
// bottom left: y is turned over).
func draw(ctx *canvas.Context, pg *page, faces map[face]*canvas.FontFamily, opt Options) {
	type key struct {
		f    face
		size float64
		red  bool
	}
	cache := map[key]*canvas.FontFace{}
	for _, g := range pg.glyphs {
		k := key{g.face, g.size, g.red}
		ff, ok := cache[k]
		if !ok {
			col := color.Color(canvas.Black)
			if g.red {
				col = redInk
			}
			style := canvas.FontRegular
			if g.face == fangSongBold {
				style = canvas.FontBold // faux bold: the outline stroked as well
			}
			ff = faces[g.face].Face(g.size, col, style)
			cache[k] = ff
		}
		ctx.DrawText(g.x, pageH-g.y, canvas.NewTextLine(ff, string(g.r), canvas.Left))
	}
	for _, r := range pg.rules {
		col := color.Color(canvas.Black)
		if r.red {
			col = redInk
		}
		ctx.SetFillColor(col)
		ctx.SetStrokeColor(canvas.Transparent)
		ctx.DrawPath(r.x1, pageH-r.y-r.thick/2, canvas.Rectangle(r.x2-r.x1, r.thick))
	}
	// The seals last: over the text, as ink pressed on the printed page.
	for _, s := range pg.seals {
		img := opt.Seal
		if s.issuer > 0 {
			img = nil
			if s.issuer-1 < len(opt.JointSeals) {
				img = opt.JointSeals[s.issuer-1]
			}
		}
		if img == nil || img.Bounds().Empty() {
			continue
		}
		// Scaled to the seal's size by its larger side, centred in its place.
		b := img.Bounds()
		px := float64(max(b.Dx(), b.Dy()))
		w, h := float64(b.Dx())*s.w/px, float64(b.Dy())*s.h/px
		x, y := s.x+(s.w-w)/2, s.y+(s.h-h)/2
		ctx.DrawImage(x, pageH-y-h, img, canvas.DPMM(px/s.w))
	}
}

// RenderImages lays doc out as RenderWith does and rasterises each page at
// dpi (canvas's rasterizer): a page as an image, for previews and the
// samples under docs/documents.
func RenderImages(doc officialdoc.Document, fonts Fonts, opt Options, dpi float64) ([]image.Image, error) {
	faces, release, err := loadFaces(fonts)
	if err != nil {
		return nil, err
	}
	defer release()
	var out []image.Image
	for _, pg := range compose(doc, opt.Attachments...).pages {
		cv := canvas.New(pageW, pageH)
		ctx := canvas.NewContext(cv)
		ctx.SetFillColor(canvas.White)
		ctx.DrawPath(0, 0, canvas.Rectangle(pageW, pageH))
		draw(ctx, pg, faces, opt)
		out = append(out, rasterizer.Draw(cv, canvas.DPI(dpi), canvas.DefaultColorSpace))
	}
	return out, nil
}
