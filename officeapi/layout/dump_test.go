package layout

import (
	"fmt"
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
	for i := range 2 {
		img, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{DPI: 72, Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(fmt.Sprintf("%s/gbt9704-sample-%d.png", dir, i+1))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img.Result.Image); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}
