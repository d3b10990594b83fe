package searchapi_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
	"zhengwu/shared/testkit"
)

// Each kind of attachment is found through its text, and the hit names
// the file that matched: the attachments' text is indexed file by file.
func TestAttachmentText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("巢湖流域水环境综合治理说明")
	media := sourcetest.Media{
		"m-docx":   sourcetest.DOCX(t, "湿地保护实施细则附件"),
		"m-pdf":    testkit.TextPDF("Wetland protection annex"),
		"m-enc":    sourcetest.EncryptedTextPDF("Restricted editing annex", "owner-secret", ""),
		"m-xlsx":   sourcetest.XLSX(t, sourcetest.Sheet{Name: "清单", Rows: [][]any{{"项目", "皖北湿地公园提升工程"}}}),
		"m-txt":    []byte(gbk),
		"m-utf8":   []byte("\xEF\xBB\xBF黄山风景区生态补偿办法"),
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
		{MediaID: "m-enc", Name: "限制编辑.pdf", Type: "application/pdf"},
		{MediaID: "m-xlsx", Name: "项目清单.xlsx", Type: sourcetest.MIMEXLSX},
		{MediaID: "m-txt", Name: "治理说明.txt", Type: "text/plain"},
		{MediaID: "m-utf8", Name: "补偿办法.txt"},
	}
	e.save("att", p)
	// One attachment alone: its name is stored as one value, not a list.
	one := newPage("关于另一事项的通知", "见附件")
	one.Files = []source.File{{MediaID: "m-pdf", Name: "only.pdf"}}
	e.save("one", one)
	// The first PDF on a machine compiles the reader (≈ 30 s under the race
	// detector): not within sync's deadline.
	if err := source.StartPDFReader(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.open(nil, media)
	e.sync()
	for _, c := range []struct{ text, file string }{
		{"湿地保护实施细则", "细则.docx"},
		{"Restricted editing", "限制编辑.pdf"},
		{"皖北湿地公园提升工程", "项目清单.xlsx"},
		{"巢湖流域水环境", "治理说明.txt"},
		{"黄山风景区生态补偿", "补偿办法.txt"},
	} {
		r := e.search(q("q", c.text), "")
		if len(r.Hits) != 1 || r.Hits[0].ID != "att" {
			t.Fatalf("%s: %v", c.text, r.ids())
		}
		h := r.Hits[0]
		if len(h.Highlights["attachment"]) == 0 || len(h.Attachments) != 1 {
			t.Fatalf("%s: no attachment highlight: %v %v", c.text, h.Highlights, h.Attachments)
		}
		if a := h.Attachments[0]; a.File != c.file || !strings.Contains(a.Fragment, "<mark>") || strings.ContainsRune(a.Fragment, '\x1f') {
			t.Fatalf("%s: matched %+v, want the file %s", c.text, a, c.file)
		}
		if frag := h.Highlights["attachment"][0]; frag != h.Attachments[0].Fragment {
			t.Fatalf("%s: highlight %q, attachment fragment %q", c.text, frag, h.Attachments[0].Fragment)
		}
	}
	r := e.search(q("q", "Wetland protection"), "")
	if len(r.Hits) != 2 {
		t.Fatalf("Wetland protection: %v", r.ids())
	}
	for _, h := range r.Hits {
		want := map[string]string{"att": "annex.pdf", "one": "only.pdf"}[h.ID]
		if len(h.Attachments) != 1 || h.Attachments[0].File != want {
			t.Fatalf("%s: %+v, want %s", h.ID, h.Attachments, want)
		}
	}
	// A match in the body is no attachment's.
	if r := e.search(q("q", "某规划"), ""); len(r.Hits) != 1 || len(r.Hits[0].Attachments) != 0 {
		t.Fatalf("title match: %+v", r.Hits)
	}
}
