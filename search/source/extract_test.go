package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhengwu/search/source/sourcetest"
)

// docx is a DOCX whose paragraphs each end in a tab and a run whose
// trailing space is preserved.
func docx(t testing.TB, paras ...string) []byte {
	var body strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&body, `<w:p><w:r><w:t>%s</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">尾 </w:t></w:r></w:p>`, p)
	}
	return sourcetest.DOCXBody(t, body.String())
}

func TestExtractDOCX(t *testing.T) {
	text, err := Extract(context.Background(), KindDOCX, bytes.NewReader(docx(t, "关于政务公开的通知", "第二段")), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if text != "关于政务公开的通知\t尾 \n第二段\t尾 \n" {
		t.Fatalf("text %q", text)
	}
}

func TestExtractPDF(t *testing.T) {
	text, err := Extract(context.Background(), KindPDF, bytes.NewReader(pdf(t)), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Annual report (draft)") || !strings.Contains(text, "政务公") {
		t.Fatalf("text %q", text)
	}
}

func TestExtractBounds(t *testing.T) {
	long := strings.Repeat("政务公开", 1000) // 12,000 bytes
	lim := Limits{MaxText: 1001, MaxFile: 1 << 20, Timeout: time.Second}
	text, err := Extract(context.Background(), KindDOCX, bytes.NewReader(docx(t, long)), lim)
	if err != nil {
		t.Fatal(err)
	}
	if len(text) > 1001 || len(text) < 990 || !strings.HasPrefix(text, "政务公开") || strings.ContainsRune(text, '\uFFFD') {
		t.Fatalf("bounded text: %d bytes", len(text))
	}
	if _, err := Extract(context.Background(), KindDOCX, bytes.NewReader(docx(t, long)), Limits{MaxFile: 100}); err != ErrTooLarge {
		t.Fatalf("oversized file: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Extract(ctx, KindPDF, bytes.NewReader(pdf(t)), DefaultLimits); err == nil {
		t.Fatal("extraction ignored a cancelled context")
	}
}

func TestExtractBroken(t *testing.T) {
	for _, c := range []struct{ kind, data string }{
		{KindDOCX, "PK\x03\x04 not really a zip"},
		{KindDOCX, ""},
		{KindPDF, "%PDF-1.7\nno streams at all"},
		{KindPDF, "<html>not a pdf</html>"},
	} {
		if _, err := Extract(context.Background(), c.kind, strings.NewReader(c.data), DefaultLimits); err == nil {
			t.Errorf("%s %q: no error", c.kind, c.data)
		}
	}
}

// A DOCX whose XML inflates past the budget without giving text (which
// would stop it at MaxText) is over budget.
func TestExtractDOCXBomb(t *testing.T) {
	t.Parallel()
	bomb := sourcetest.DOCXBody(t, "<w:p>"+strings.Repeat("<w:r/>", 1<<20)+"</w:p>") // 6 MiB
	_, err := Extract(context.Background(), KindDOCX, bytes.NewReader(bomb), Limits{MaxWork: 1 << 20})
	if !errors.Is(err, ErrOverBudget) {
		t.Fatalf("%d KB file: %v, want ErrOverBudget", len(bomb)>>10, err)
	}
}

func TestKindOf(t *testing.T) {
	for _, c := range []struct{ mime, name, want string }{
		{"application/pdf", "x", KindPDF},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "", KindDOCX},
		{"application/octet-stream", "通知.PDF", KindPDF},
		{"", "附件.docx", KindDOCX},
		{sourcetest.MIMEXLSX, "", KindXLSX},
		{"", "统计表.XLSX", KindXLSX},
		{"text/plain; charset=gbk", "", KindTXT},
		{"", "说明.txt", KindTXT},
		{"image/png", "a.png", ""},
		{"application/msword", "a.doc", ""},
		{"application/vnd.ms-excel", "a.xls", ""},
	} {
		if got := KindOf(c.mime, c.name); got != c.want {
			t.Errorf("KindOf(%q, %q) = %q", c.mime, c.name, got)
		}
	}
}
