package layout

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfPage is what PDFium reads back from one rendered page: its size in
// millimetres, its text as lines (PDFium's own line detection, from the
// characters' positions), and each character with its origin.
type pdfPage struct {
	w, h   float64
	lines  []string
	chars  []pdfChar
	shapes []pdfShape
}

// pdfShape is a filled path or an image on a page, as PDFium sees it: its
// bounds in mm from the page's bottom left, and a path's fill colour.
type pdfShape struct {
	image          bool
	x1, y1, x2, y2 float64
	fill           [3]uint
}

type pdfChar struct {
	r    rune
	x, y float64 // mm from the page's bottom left
	size float64 // points
}

var reader struct {
	once sync.Once
	pool pdfium.Pool
	err  error
}

// readPDF opens data with PDFium, the reader search/source uses for
// attachments (go-pdfium, in WebAssembly), compiled into the same cache
// directory so that a machine compiles it once.
func readPDF(t *testing.T, data []byte) []pdfPage {
	t.Helper()
	reader.once.Do(func() {
		cache := wazero.NewCompilationCache()
		if base, err := os.UserCacheDir(); err == nil {
			dir := filepath.Join(base, "zhengwu", "pdfium", "go-pdfium@v1.21.5,wazero@v1.12.0")
			if os.MkdirAll(dir, 0o700) == nil {
				if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
					cache = c
				}
			}
		}
		rc := wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCompilationCache(cache)
		reader.pool, reader.err = webassembly.Init(webassembly.Config{MinIdle: 1, MaxIdle: 1, MaxTotal: 1, RuntimeConfig: rc,
			FSConfig: wazero.NewFSConfig(), Stdout: io.Discard, Stderr: io.Discard, Context: context.Background()})
	})
	if reader.err != nil {
		t.Fatal(reader.err)
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
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	n, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		t.Fatal(err)
	}
	const mm = 72 / 25.4
	var pages []pdfPage
	for i := 0; i < n.PageCount; i++ {
		ref := requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}
		w, err := inst.FPDF_GetPageWidthF(&requests.FPDF_GetPageWidthF{Page: ref})
		if err != nil {
			t.Fatal(err)
		}
		h, err := inst.FPDF_GetPageHeightF(&requests.FPDF_GetPageHeightF{Page: ref})
		if err != nil {
			t.Fatal(err)
		}
		tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: ref})
		if err != nil {
			t.Fatal(err)
		}
		count, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
		if err != nil {
			t.Fatal(err)
		}
		text, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: count.Count})
		if err != nil {
			t.Fatal(err)
		}
		var chars []pdfChar
		for j, r := range []rune(text.Text) {
			if r == '\r' || r == '\n' || r == ' ' {
				continue
			}
			o, err := inst.FPDFText_GetCharOrigin(&requests.FPDFText_GetCharOrigin{TextPage: tp.TextPage, Index: j})
			if err != nil {
				continue
			}
			c := pdfChar{r: r, x: o.X / mm, y: o.Y / mm}
			if fs, err := inst.FPDFText_GetFontSize(&requests.FPDFText_GetFontSize{TextPage: tp.TextPage, Index: j}); err == nil {
				// PDFium gives the Tf operand, which canvas writes in
				// millimetres (its page matrix scales them to points).
				c.size = fs.FontSize / pt
			}
			chars = append(chars, c)
		}
		inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
		var shapes []pdfShape
		objs, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref})
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < objs.Count; j++ {
			o, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: j})
			if err != nil {
				t.Fatal(err)
			}
			typ, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: o.PageObject})
			if err != nil {
				t.Fatal(err)
			}
			if typ.Type != enums.FPDF_PAGEOBJ_PATH && typ.Type != enums.FPDF_PAGEOBJ_IMAGE {
				continue
			}
			b, err := inst.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: o.PageObject})
			if err != nil {
				t.Fatal(err)
			}
			sh := pdfShape{image: typ.Type == enums.FPDF_PAGEOBJ_IMAGE, x1: float64(b.Left) / mm, y1: float64(b.Bottom) / mm,
				x2: float64(b.Right) / mm, y2: float64(b.Top) / mm}
			if !sh.image {
				if c, err := inst.FPDFPageObj_GetFillColor(&requests.FPDFPageObj_GetFillColor{PageObject: o.PageObject}); err == nil {
					sh.fill = [3]uint{c.FillColor.R, c.FillColor.G, c.FillColor.B}
				}
			}
			shapes = append(shapes, sh)
		}
		pages = append(pages, pdfPage{w: float64(w.PageWidth) / mm, h: float64(h.PageHeight) / mm,
			lines: strings.Split(strings.ReplaceAll(text.Text, "\r\n", "\n"), "\n"), chars: chars, shapes: shapes})
	}
	return pages
}

// pdfText is all pages' text, lines joined.
func pdfText(pages []pdfPage) string {
	var b bytes.Buffer
	for _, p := range pages {
		b.WriteString(strings.Join(p.lines, "\n"))
		b.WriteString("\n")
	}
	return b.String()
}
