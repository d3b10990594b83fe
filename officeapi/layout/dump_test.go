package layout

import (
	"image/png"
	"os"
	"testing"

	"github.com/klippa-app/go-pdfium/requests"
)

// TestDumpSample writes the sample 通知 and its first page as PNG to the
// directory in LAYOUT_SAMPLE (to look at; skipped otherwise).
func TestDumpSample(t *testing.T) {
	dir := os.Getenv("LAYOUT_SAMPLE")
	if dir == "" {
		t.Skip("LAYOUT_SAMPLE not set")
	}
	data, err := Render(notice(), fontsOrSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/gbt9704-sample.pdf", data, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, p := range readPDF(t, data) {
		t.Logf("page %d: %q", i+1, p.lines)
	}
	inst, err := reader.pool.GetInstance(0)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		t.Fatal(err)
	}
	img, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{DPI: 72, Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: 0}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(dir + "/gbt9704-sample.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img.Result.Image); err != nil {
		t.Fatal(err)
	}
}
