package searchapi_test

import (
	"context"
	"testing"

	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
	"zhengwu/shared/testkit"
)

func TestAttachmentText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	media := sourcetest.Media{
		"m-docx":   sourcetest.DOCX(t, "湿地保护实施细则附件"),
		"m-pdf":    testkit.TextPDF("Wetland protection annex"),
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
