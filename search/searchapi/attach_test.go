package searchapi_test

import (
	"context"
	"fmt"
	"testing"

	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
)

func TestAttachmentText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pdfContent := "BT /F1 12 Tf 72 712 Td (Wetland protection annex) Tj ET"
	// The least a PDF reader opens: catalog, page tree, page, font,
	// contents (no cross-reference table: readers rebuild it).
	pdf := fmt.Sprintf("%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"+
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"+
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n"+
		"4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n"+
		"5 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n", len(pdfContent), pdfContent)
	media := sourcetest.Media{
		"m-docx":   sourcetest.DOCX(t, "湿地保护实施细则附件"),
		"m-pdf":    []byte(pdf),
		"m-broken": []byte("PK\x03\x04 truncated"),
		"m-image":  []byte("\x89PNG"),
	}
	p := newPage("关于印发某规划的通知", "见附件")
	p.Status = "withdrawn" // withdrawn documents stay findable
	p.Files = []source.File{
		{MediaID: "m-broken", Name: "坏文件.docx", Type: sourcetest.MIMEDOCX},
		{MediaID: "m-missing", Name: "丢失.pdf", Type: "application/pdf"},
		{MediaID: "m-docx", Name: "细则.docx", Type: sourcetest.MIMEDOCX},
		{MediaID: "m-pdf", Name: "annex.pdf", Type: "application/pdf"},
		{MediaID: "m-image", Name: "图.png", Type: "image/png"},
	}
	e.save("att", p)
	// The first PDF on a machine compiles the reader (≈ 30 s under the race
	// detector): not within sync's deadline.
	if err := source.StartPDFReader(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.open(nil, media)
	e.sync()
	for _, text := range []string{"湿地保护实施细则", "Wetland protection"} {
		r := e.search(q("q", text), "")
		if len(r.Hits) != 1 || r.Hits[0].ID != "att" {
			t.Fatalf("%s: %v", text, r.ids())
		}
		if len(r.Hits[0].Highlights["attachment"]) == 0 {
			t.Fatalf("%s: no attachment highlight: %v", text, r.Hits[0].Highlights)
		}
	}
}
