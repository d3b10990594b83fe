package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/search/source/sourcetest"
)

// Every sheet's cells, row by row: text, numbers and dates as shown,
// empty cells and rows left out, a cell's line breaks flattened.
func TestExtractXLSX(t *testing.T) {
	data := sourcetest.XLSX(t,
		sourcetest.Sheet{Name: "项目清单", Rows: [][]any{
			{"序号", "项目名称", "投资（万元）"},
			{1, "淮河行蓄洪区安全建设", 12500},
			{},
			{2, "引江济淮\n二期工程", nil, "续建"},
		}},
		sourcetest.Sheet{Name: "说明", Rows: [][]any{{"数据来源：省发展改革委"}}},
	)
	text, err := Extract(context.Background(), KindXLSX, bytes.NewReader(data), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := "序号\t项目名称\t投资（万元）\n1\t淮河行蓄洪区安全建设\t12500\n2\t引江济淮 二期工程\t续建\n数据来源：省发展改革委"
	if text != want {
		t.Fatalf("text %q\nwant %q", text, want)
	}
	// The text budget cuts it; a workbook inflating past the memory
	// budget is over budget; one in an encrypted container needs a password.
	if text, err := Extract(context.Background(), KindXLSX, bytes.NewReader(data), Limits{MaxText: 12}); err != nil || text != "序号\t项" {
		t.Fatalf("bounded: %q, %v", text, err)
	}
	big := sourcetest.XLSX(t, sourcetest.Sheet{Name: "大表", Rows: bigRows(20000)})
	if _, err := Extract(context.Background(), KindXLSX, bytes.NewReader(big), Limits{MaxWork: 64 << 10}); !errors.Is(err, ErrOverBudget) {
		t.Fatalf("%d KB workbook within 64 KiB: %v, want ErrOverBudget", len(big)>>10, err)
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	if _, err := Extract(context.Background(), KindXLSX, bytes.NewReader(ole), DefaultLimits); !errors.Is(err, ErrPassword) {
		t.Fatalf("encrypted workbook: %v", err)
	}
	if _, err := Extract(context.Background(), KindXLSX, strings.NewReader("PK\x03\x04 broken"), DefaultLimits); err == nil {
		t.Fatal("broken workbook: no error")
	}
}

func bigRows(n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{i, "重复的单元格文字"}
	}
	return rows
}

// Plain text in the encodings Chinese offices save: UTF-8 with or
// without a BOM, GBK (Windows' "ANSI"), GB18030, UTF-16 with a BOM.
func TestExtractText(t *testing.T) {
	const want = "关于做好2026年政务公开工作的通知\n各市人民政府：现将有关事项通知如下。"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(want)
	if err != nil {
		t.Fatal(err)
	}
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().String(want + "𠀀")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"utf-8", []byte(want), want},
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, want...), want},
		{"utf-8 CRLF", []byte(strings.ReplaceAll(want, "\n", "\r\n")), want},
		{"gbk", []byte(gbk), want},
		{"gb18030", []byte(gb18030), want + "𠀀"},
		{"utf-16le BOM", utf16Bytes(want, false), want},
		{"utf-16be BOM", utf16Bytes(want, true), want},
	} {
		text, err := Extract(context.Background(), KindTXT, bytes.NewReader(c.data), DefaultLimits)
		if err != nil || text != c.want {
			t.Errorf("%s: %q, %v", c.name, text, err)
		}
	}
	// Bounded: only the start is decoded, cut at a character.
	long := strings.Repeat("政务公开", 5000)
	longGBK, _ := simplifiedchinese.GBK.NewEncoder().String(long)
	for name, data := range map[string]string{"utf-8": long, "gbk": longGBK} {
		text, err := Extract(context.Background(), KindTXT, strings.NewReader(data), Limits{MaxText: 1000})
		if err != nil || len(text) > 1000 || len(text) < 990 || !strings.HasPrefix(text, "政务公开") || strings.ContainsRune(text, '\uFFFD') {
			t.Errorf("%s bounded: %d bytes %q…, %v", name, len(text), text[:min(len(text), 12)], err)
		}
	}
	// Binary data named .txt is not text.
	if _, err := Extract(context.Background(), KindTXT, bytes.NewReader([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), DefaultLimits); err == nil {
		t.Fatal("binary file read as text")
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// A PDF encrypted against editing (owner password only) is read; one
// that needs a password to open is refused as such. Both built here
// (sourcetest.EncryptedTextPDF), beside the fixtures of
// TestExtractPDFEncrypted.
func TestExtractBuiltEncryptedPDF(t *testing.T) {
	t.Parallel()
	text, err := extractPDF(t, sourcetest.EncryptedTextPDF("Restricted annex 2026", "owner-secret", ""), roomy)
	if err != nil || !strings.Contains(text, "Restricted annex 2026") {
		t.Fatalf("owner password only: %q, %v", text, err)
	}
	if _, err := extractPDF(t, sourcetest.EncryptedTextPDF("Locked annex", "owner-secret", "user-secret"), roomy); !errors.Is(err, ErrPassword) {
		t.Fatalf("user password: %v, want ErrPassword", err)
	}
}

// The readers on the same text, 1,000 lines of a project list: DOCX (one
// paragraph a line) is the baseline the others are compared with in the
// same run (go test -bench ExtractKinds -run '^$' ./source/).
func BenchmarkExtractKinds(b *testing.B) {
	var lines []string
	var rows [][]any
	for i := range 1000 {
		lines = append(lines, fmt.Sprintf("%d\t淮河行蓄洪区安全建设项目第%d段\t12500", i, i))
		rows = append(rows, []any{i, fmt.Sprintf("淮河行蓄洪区安全建设项目第%d段", i), 12500})
	}
	text := strings.Join(lines, "\n")
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(text)
	for _, c := range []struct {
		kind, name string
		data       []byte
	}{
		{KindDOCX, "docx", sourcetest.DOCX(b, lines...)},
		{KindXLSX, "xlsx", sourcetest.XLSX(b, sourcetest.Sheet{Name: "清单", Rows: rows})},
		{KindTXT, "txt-utf8", []byte(text)},
		{KindTXT, "txt-gbk", []byte(gbk)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := Extract(context.Background(), c.kind, bytes.NewReader(c.data), DefaultLimits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
