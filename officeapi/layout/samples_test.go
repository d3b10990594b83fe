package layout

import (
	"fmt"
	"image"
	"image/color"
	imagedraw "image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/shared/classification"
)

// sample is one kind of document the Done-when of issue 12 names, as the
// geometry tests check it and docs/documents shows it.
type sample struct {
	name string
	doc  officialdoc.Document
	opt  Options
}

// testSeal is a generated seal: a red ring with a star in it on a
// transparent ground, 420 px across (10 px a mm).
func testSeal() image.Image {
	const n = 420
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	ink := color.NRGBA{R: 230, G: 0, B: 18, A: 220}
	c := float64(n) / 2
	// The star's five points, for a point-in-polygon test.
	var star [10][2]float64
	for i := range star {
		r := 0.3 * n
		if i%2 == 1 {
			r = 0.12 * n
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		star[i] = [2]float64{c + r*math.Cos(a), c + r*math.Sin(a)}
	}
	inStar := func(x, y float64) bool {
		in := false
		for i, j := 0, len(star)-1; i < len(star); j, i = i, i+1 {
			a, b := star[i], star[j]
			if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
		return in
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			d := math.Hypot(float64(x)+0.5-c, float64(y)+0.5-c)
			if d <= c-1 && d >= c-16 || inStar(float64(x)+0.5, float64(y)+0.5) {
				img.SetNRGBA(x, y, ink)
			}
		}
	}
	return img
}

// inks is img in the few colours a printed page has — greys from black to
// white and tints of the red — so that a sample's PNG stays small (a
// quarter of its full-colour size) and looks the same.
func inks(img image.Image) *image.Paletted {
	var pal color.Palette
	for i := range 12 {
		v := uint8(i * 255 / 11)
		pal = append(pal, color.Gray{Y: v})
	}
	for i := range 8 {
		t := float64(i) / 8 // 0: the full red
		r := func(c uint8) uint8 { return uint8(float64(c) + (255-float64(c))*t) }
		pal = append(pal, color.RGBA{R: r(red[0]), G: r(red[1]), B: r(red[2]), A: 255}, color.RGBA{R: r(230), G: r(0), B: r(18), A: 255})
	}
	out := image.NewPaletted(img.Bounds(), pal)
	imagedraw.Draw(out, out.Bounds(), img, img.Bounds().Min, imagedraw.Src)
	return out
}

func samples() []sample {
	single := notice()
	single.Body, single.Note = strings.Split(bodyHTML, "\n")[0], ""

	multi := notice()
	multi.Body = strings.Repeat(bodyHTML, 3)

	up := notice()
	up.DocType, up.Urgency, up.Signer, up.MainTo = "请示", "", "王建国", []string{"省人民政府"}
	up.DocNumber = "皖政办〔2026〕15号"
	up.Title = "安徽省人民政府办公厅关于召开全省政务公开工作会议的请示"
	up.Body = `<p>为总结2025年全省政务公开工作，部署2026年重点任务，拟于2026年4月中旬召开全省政务公开工作会议。</p>
<p>一、会议时间和地点</p><p>会期半天，在省政府第一会议室召开。</p><p>二、参会人员</p><p>各市政府分管负责同志，省政府各部门分管负责同志。</p><p>妥否，请批示。</p>`
	up.CopyTo = nil

	secret := notice()
	secret.Classification, secret.SecrecyPeriod, secret.CopyNo = classification.Level("机密"), "1年", "000123"
	secret.Body, secret.Note = strings.Join(strings.Split(bodyHTML, "\n")[:4], ""), ""

	joint := notice()
	joint.Urgency = ""
	joint.Issuer, joint.JointIssuers = "安徽省人民政府办公厅", []string{"安徽省财政厅", "安徽省数据资源管理局"}
	joint.DocNumber = "皖政办〔2026〕18号"
	joint.Title = "安徽省人民政府办公厅 安徽省财政厅 安徽省数据资源管理局关于加强政务数据共享经费保障的通知"
	joint.Body, joint.Note = strings.Join(strings.Split(bodyHTML, "\n")[:2], ""), ""

	withAtt := notice()
	withAtt.Body, withAtt.Note = strings.Join(strings.Split(bodyHTML, "\n")[:3], ""), ""
	withAtt.Attachments = []string{strings.Repeat("a", 64), strings.Repeat("b", 64)}
	atts := []Attachment{
		{Title: "2026年政务公开工作要点", Text: "一、深化重点领域信息公开\n围绕稳增长、促改革、调结构、惠民生、防风险，加大政策解读和信息发布力度。\n二、提升政务公开平台建设水平\n推进政府网站集约化建设，完善政府信息公开专栏。"},
		{Title: "政府信息公开目录更新情况统计表", File: "政府信息公开目录更新情况统计表.xlsx"},
	}

	minutes := notice()
	minutes.DocType, minutes.Sealed, minutes.Urgency = "纪要", false, ""
	minutes.Issuer, minutes.DocNumber = "安徽省人民政府常务会议", "第12期"
	minutes.Title = "省政府第12次常务会议纪要"
	minutes.MainTo = nil
	minutes.Body = `<p>2026年3月2日，省长主持召开省政府第12次常务会议，研究政务公开、数据共享等事项。纪要如下：</p>
<p>一、会议听取了省政府办公厅关于2025年全省政务公开工作情况的汇报。</p><p>会议指出，各地、各部门要坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。</p>
<p>二、会议研究了政务数据共享经费保障问题。</p><p>会议同意由省财政厅会同省数据资源管理局提出具体方案，报省政府审定。</p>`
	minutes.Signature, minutes.Note = "安徽省人民政府办公厅", ""

	seal := testSeal()
	return []sample{
		{"single-page", single, Options{Seal: seal}},
		{"multi-page", multi, Options{Seal: seal}},
		{"upward", up, Options{Seal: seal}},
		{"classified", secret, Options{Seal: seal}},
		{"joint-issuers", joint, Options{Seal: seal, JointSeals: []image.Image{seal, seal}}},
		{"with-attachments", withAtt, Options{Seal: seal, Attachments: atts}},
		{"minutes", minutes, Options{Seal: seal}}, // a 纪要: the seal is not drawn
	}
}

// TestWriteSamples writes each sample's PDF and its pages as PNG (100 dpi)
// to the directory in LAYOUT_SAMPLES: `go generate ./officeapi/layout`
// refreshes docs/documents. Skipped otherwise.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("LAYOUT_SAMPLES")
	if dir == "" {
		t.Skip("LAYOUT_SAMPLES not set")
	}
	fonts := fontsOrSkip(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range samples() {
		imgs, err := RenderImages(s.doc, fonts, s.opt, 100)
		if err != nil {
			t.Fatal(err)
		}
		for i, img := range imgs {
			f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.png", s.name, i+1)))
			if err != nil {
				t.Fatal(err)
			}
			enc := png.Encoder{CompressionLevel: png.BestCompression}
			if err := enc.Encode(f, inks(img)); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}
