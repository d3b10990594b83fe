package layout

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/shared/classification"
)

// fontsOrSkip are the system fonts, or a skip naming the missing one (CI
// installs them: frontend/scripts/install-browser.sh).
func fontsOrSkip(t *testing.T) Fonts {
	t.Helper()
	f := SystemFonts()
	for _, ff := range []FontFile{f.XiaoBiaoSong, f.Hei, f.Kai, f.FangSong, f.Song} {
		if _, err := os.Stat(ff.Path); err != nil {
			t.Skipf("font %s missing: apt-get install fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-microhei", ff.Path)
		}
	}
	return f
}

const bodyHTML = `<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开标准化规范化水平，经省政府同意，现将有关事项通知如下。</p>
<p>一、总体要求</p>
<p>（一）指导思想。坚持以人民为中心的发展思想，以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。</p>
<p>1.加强组织领导。各地、各部门要把政务公开工作摆上重要议事日程，主要负责同志要亲自抓，明确分管负责同志和工作机构。</p>
<p>（1）按照“谁公开、谁审查、谁负责”的原则，严格执行保密审查制度。</p>
<p>二、工作任务</p>
<p>各地要在2026年12月31日前完成政府信息公开指南和目录的更新工作（详见附件），并报省政府办公厅备案。</p>`

func notice() officialdoc.Document {
	return officialdoc.Document{ID: "d1", Direction: officialdoc.Outgoing, DocType: "通知", Classification: classification.Level("非密"),
		Urgency: "特急", Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", DocNumber: "皖政办〔2026〕12号",
		Title: "安徽省人民政府办公厅关于进一步加强政务公开工作的通知", MainTo: []string{"各市人民政府", "省政府各部门", "各直属机构"},
		Body: bodyHTML, Signature: "安徽省人民政府办公厅", WrittenOn: "2026-03-05", Note: "此件公开发布", Sealed: true,
		CopyTo: []string{"省委各部门", "省人大常委会办公厅", "省政协办公厅"}, PrintedBy: "安徽省人民政府办公厅", PrintedOn: "2026-03-06"}
}

func render(t *testing.T, d officialdoc.Document) []pdfPage {
	t.Helper()
	data, err := Render(d, fontsOrSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatal("not a PDF")
	}
	return readPDF(t, data)
}

// noClosingAtLineStart fails for each line of the PDF's text that begins
// with a closing mark.
func noClosingAtLineStart(t *testing.T, pages []pdfPage) {
	t.Helper()
	for i, p := range pages {
		for _, l := range p.lines {
			l = strings.TrimSpace(l)
			if l != "" && isClosing([]rune(l)[0]) && !strings.HasPrefix(l, "—") {
				t.Errorf("page %d: a line begins with a closing mark: %q", i+1, l)
			}
		}
	}
}

func TestRenderNoticeA4WithItsText(t *testing.T) {
	d := notice()
	// A short notice: one page.
	d.Body, d.Note = strings.Join(strings.Split(bodyHTML, "\n")[:1], ""), ""
	pages := render(t, d)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	if math.Abs(pages[0].w-210) > 0.5 || math.Abs(pages[0].h-297) > 0.5 {
		t.Fatalf("page is %.1f × %.1f mm, want A4 210 × 297", pages[0].w, pages[0].h)
	}
	text := pdfText(pages)
	flat := strings.ReplaceAll(text, "\n", "")
	for _, want := range []string{"安徽省人民政府办公厅文件", "皖政办〔2026〕12号", "特急",
		"安徽省人民政府办公厅关于进一步加强政务公开工作的通知", "各市人民政府、省政府各部门、各直属机构：",
		"2026年3月5日", "现将有关事项通知如下。", "抄送：省委各部门，省人大常委会办公厅，省政协办公厅。",
		"2026年3月6日印发", "— 1 —"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	noClosingAtLineStart(t, pages)
}

// The 正文's lines are on the grid: at most 28 字 a line, one 字 apart,
// the first line of a paragraph indented two 字, at the 版心's left edge.
func TestRenderBodyOnTheGrid(t *testing.T) {
	pages := render(t, notice())
	var first []pdfChar // the first paragraph's characters, in order
	for _, c := range pages[0].chars {
		if c.r == '为' && first == nil || first != nil && len(first) < 60 {
			first = append(first, c)
		}
	}
	if len(first) < 60 {
		t.Fatal("first paragraph not found")
	}
	if got := first[0].x; math.Abs(got-(28+2*cell)) > 0.3 {
		t.Errorf("first paragraph starts %.2f mm from the page's left, want %.2f (28 mm + two 字)", got, 28+2*cell)
	}
	line2 := first[26] // 26 字 on the indented first line
	if math.Abs(line2.x-28) > 0.3 || line2.y >= first[0].y-pitch+0.5 || line2.y <= first[0].y-pitch-0.5 {
		t.Errorf("the 27th character is at (%.2f, %.2f), want the next line's start (28, %.2f)", line2.x, line2.y, first[0].y-pitch)
	}
	if d := first[2].x - first[1].x; math.Abs(d-cell) > 0.05 {
		t.Errorf("characters %.2f mm apart, want one 字 (%.2f)", d, cell)
	}
}

func TestRenderLongBodyNumbersPagesOnAlternateSides(t *testing.T) {
	d := notice()
	d.Body = strings.Repeat(bodyHTML, 6)
	pages := render(t, d)
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 3", len(pages))
	}
	text := pdfText(pages)
	for _, want := range []string{"— 1 —", "— 2 —", "— 3 —", "（此件公开发布）", "一、总体要求", "（一）指导思想。", "1.加强组织领导。"} {
		if !strings.Contains(text, want) {
			t.Errorf("no page number %q", want)
		}
	}
	for i, p := range pages {
		var dash []pdfChar
		for _, c := range p.chars {
			if c.r == '—' {
				dash = append(dash, c)
			}
		}
		if len(dash) != 2 {
			t.Fatalf("page %d: %d dashes, want the page number's two", i+1, len(dash))
		}
		if odd := (i+1)%2 == 1; odd && dash[1].x < 105 || !odd && dash[0].x > 105 {
			t.Errorf("page %d's number is at x %.1f mm: want odd pages right, even left", i+1, dash[0].x)
		}
		// The number's 一字线 7 mm below the 版心 (37 + 225 mm from the top).
		if y := 297 - dash[0].y; y < 262+5 || y > 262+10 {
			t.Errorf("page %d's number's baseline at %.1f mm from the top", i+1, y)
		}
	}
	noClosingAtLineStart(t, pages)
	// 版记 on the last page only.
	for i, p := range pages {
		has := strings.Contains(strings.Join(p.lines, ""), "印发")
		if has != (i == len(pages)-1) {
			t.Errorf("page %d: 版记 present %v", i+1, has)
		}
	}
}

func TestSealPlace(t *testing.T) {
	t.Parallel()
	d := notice()
	p := compose(d)
	if len(p.pages[len(p.pages)-1].seals) == 0 {
		t.Fatal("a sealed 通知 has no seal place")
	}
	for _, sealed := range []bool{false, true} { // the flag aside, a 纪要 is never sealed
		d.DocType, d.Sealed = "纪要", sealed
		for i, pg := range compose(d).pages {
			if len(pg.seals) > 0 {
				t.Fatalf("纪要 (sealed %v) page %d has a seal place", sealed, i+1)
			}
		}
	}
}

func TestUpwardDocumentShowsSigner(t *testing.T) {
	d := notice()
	d.DocType, d.Signer, d.MainTo = "请示", "张三", []string{"省人民政府"}
	pages := render(t, d)
	flat := strings.ReplaceAll(pdfText(pages), "\n", "")
	if !strings.Contains(flat, "签发人：张三") {
		t.Fatalf("no 签发人 in %s", flat)
	}
	for _, c := range pages[0].chars {
		if c.r == '皖' && c.x > 28+cell+0.3 { // the 发文字号 one 字 in from the left
			t.Errorf("upward 发文字号 at x %.1f, want %.1f", c.x, 28+cell)
		}
	}
}

func TestClassifiedHead(t *testing.T) {
	d := notice()
	d.Classification, d.SecrecyPeriod, d.CopyNo = classification.Level("机密"), "1年", "000123"
	flat := strings.ReplaceAll(pdfText(render(t, d)), "\n", "")
	for _, want := range []string{"000123", "机密★1年", "特急"} {
		if !strings.Contains(flat, want) {
			t.Errorf("no %q in the 版头", want)
		}
	}
}

func TestMissingFontIsAClearError(t *testing.T) {
	t.Parallel()
	f := SystemFonts()
	f.Kai = FontFile{Path: "/nonexistent/kai.ttf"}
	_, err := Render(notice(), f)
	if !errors.Is(err, ErrFontMissing) || !strings.Contains(err.Error(), "/nonexistent/kai.ttf") {
		t.Fatalf("err = %v, want ErrFontMissing naming the file", err)
	}
}

func TestFontsWithAnOfficesFiles(t *testing.T) {
	t.Parallel()
	f, err := SystemFonts().With(map[string]string{"xiaobiaosong": "/opt/fonts/FZXBSJW.TTF", "hei": "/opt/fonts/simhei.ttc#1"})
	if err != nil {
		t.Fatal(err)
	}
	if f.XiaoBiaoSong != (FontFile{Path: "/opt/fonts/FZXBSJW.TTF"}) || f.Hei != (FontFile{Path: "/opt/fonts/simhei.ttc", Index: 1}) ||
		f.FangSong != SystemFonts().FangSong {
		t.Fatalf("With: %+v", f)
	}
	for _, bad := range []map[string]string{{"heiti": "/x.ttf"}, {"kai": "/x.ttc#one"}} {
		if _, err := SystemFonts().With(bad); err == nil {
			t.Errorf("With(%v) accepted", bad)
		}
	}
}

// A joint 请示's 签发人 (7.2.6): two names a line in the issuers' order,
// the second line's under the first's, the 发文字号 on the last name's line.
func TestSeveralSigners(t *testing.T) {
	t.Parallel()
	d := notice()
	d.DocType, d.Signer, d.JointIssuers = "请示", "王建国、李明、张强", []string{"安徽省财政厅", "安徽省数据资源管理局"}
	first := compose(d).pages[0]
	at := map[rune]glyph{}
	for _, g := range first.glyphs {
		if _, ok := at[g.r]; !ok && g.face == kai {
			at[g.r] = g
		}
	}
	wang, li, zhang := at['王'], at['李'], at['张']
	if wang.y != li.y || zhang.y <= wang.y || math.Abs(zhang.y-wang.y-pitch) > 0.01 {
		t.Fatalf("names at y %.1f %.1f %.1f: want two on a line, the third a line below", wang.y, li.y, zhang.y)
	}
	if zhang.x != wang.x || li.x <= wang.x {
		t.Errorf("the second line's name is not under the first's (%.1f vs %.1f)", zhang.x, wang.x)
	}
	for _, g := range first.glyphs {
		if g.r == '皖' && g.y != zhang.y {
			t.Errorf("the 发文字号 is on y %.1f, the last name on %.1f", g.y, zhang.y)
		}
	}
}

// Renderings at once (the PDF route serves many readers) each take their
// own parsed fonts from the pool: the race detector watches them share
// nothing, and each file is whole.
func TestRenderingsAtOnce(t *testing.T) {
	f := fontsOrSkip(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			data, err := Render(notice(), f)
			if err == nil && !strings.HasSuffix(strings.TrimSpace(string(data)), "%%EOF") {
				err = errors.New("a truncated PDF")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
