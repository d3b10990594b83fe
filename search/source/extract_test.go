package source

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// docx builds a minimal DOCX whose document.xml holds the paragraphs.
func docx(t testing.TB, paras ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		fmt.Fprintf(w, `<w:p><w:r><w:t>%s</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">尾 </w:t></w:r></w:p>`, p)
	}
	fmt.Fprint(w, `</w:body></w:document>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdf builds a small PDF: a Latin text in an uncompressed content stream
// and Chinese text shown with two-byte codes through a Flate-compressed
// ToUnicode CMap, as Chinese PDFs do.
func pdf(t testing.TB) []byte {
	t.Helper()
	cmap := `/CIDInit /ProcSet findresource begin
begincmap
2 beginbfchar
<0001> <653F>
<0002> <52A1>
endbfchar
1 beginbfrange
<0003> <0004> <516C>
endbfrange
endcmap`
	// 政=653F 务=52A1 公=516C 六=516D (range), so 0003→公, 0004→六
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(cmap))
	zw.Close()
	content := "BT /F1 12 Tf 72 712 Td (Annual report \\(draft\\)) Tj ET\nBT /F2 12 Tf [<00010002> -20 <0003>] TJ ET"
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	fmt.Fprintf(&b, "4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(content), content)
	fmt.Fprintf(&b, "5 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n")
	return b.Bytes()
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

func TestKindOf(t *testing.T) {
	for _, c := range []struct{ mime, name, want string }{
		{"application/pdf", "x", KindPDF},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "", KindDOCX},
		{"application/octet-stream", "通知.PDF", KindPDF},
		{"", "附件.docx", KindDOCX},
		{"image/png", "a.png", ""},
		{"application/msword", "a.doc", ""},
	} {
		if got := KindOf(c.mime, c.name); got != c.want {
			t.Errorf("KindOf(%q, %q) = %q", c.mime, c.name, got)
		}
	}
}
