package source_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
	"zhengwu/shared/testkit"
)

// The text of a document's files, file by file and named: every kind
// with a reader (by MIME type or by name), and each file that cannot be
// read reported with its reason, the others read all the same.
func TestReadAttachments(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("GBK编码的说明文字")
	media := sourcetest.Media{
		"docx":    sourcetest.DOCX(t, "第一个附件"),
		"docx2":   sourcetest.DOCX(t, "第二个附件"),
		"pdf":     testkit.TextPDF("Annex in PDF"),
		"pdf-enc": sourcetest.EncryptedTextPDF("Annex restricted", "owner", ""),
		"pdf-pw":  sourcetest.EncryptedTextPDF("Annex locked", "owner", "user"),
		"xlsx":    sourcetest.XLSX(t, sourcetest.Sheet{Name: "表", Rows: [][]any{{"项目", "金额"}}}),
		"txt":     []byte(gbk),
		"broken":  []byte("PK\x03\x04 truncated"),
		"png":     []byte("\x89PNG"),
		"empty":   sourcetest.DOCX(t, "  "),
	}
	files := []source.File{
		{MediaID: "broken", Name: "坏.docx", Type: sourcetest.MIMEDOCX},
		{MediaID: "missing", Name: "丢失.pdf", Type: "application/pdf"},
		{MediaID: "docx", Name: "一.docx", Type: sourcetest.MIMEDOCX},
		{MediaID: "png", Name: "图.png", Type: "image/png"},
		{MediaID: "docx2", Name: "二.docx"}, // no type: the name tells
		{MediaID: "pdf", Name: "三.pdf", Type: "application/pdf"},
		{MediaID: "pdf-enc", Name: "限制编辑.pdf"},
		{MediaID: "pdf-pw", Name: "加密.pdf"},
		{MediaID: "xlsx", Name: "表.xlsx"},
		{MediaID: "txt", Name: "说明.txt", Type: "text/plain"},
		{MediaID: "empty", Name: "空.docx"},
	}
	before := refused(t, source.CausePassword)
	// A minute a file: under the race detector on a loaded machine a PDF
	// takes seconds (the budgets have tests of their own).
	roomy := source.Limits{Timeout: time.Minute}
	got := source.ReadAttachments(media, files, roomy, nil)
	want := []source.FileText{
		{Name: "一.docx", Text: "第一个附件"}, {Name: "二.docx", Text: "第二个附件"},
		{Name: "三.pdf", Text: "Annex in PDF"}, {Name: "限制编辑.pdf", Text: "Annex restricted"},
		{Name: "表.xlsx", Text: "项目\t金额"}, {Name: "说明.txt", Text: "GBK编码的说明文字"},
	}
	if !reflect.DeepEqual(got.Files, want) {
		t.Fatalf("files %q", got.Files)
	}
	causes := map[string]string{}
	for _, r := range got.Refused {
		causes[r.Name] = r.Cause
		if r.Reason == "" || r.MediaID == "" {
			t.Errorf("refusal without reason or media: %+v", r)
		}
	}
	wantCauses := map[string]string{
		"坏.docx": source.CauseBroken, "丢失.pdf": source.CauseMissing, "图.png": source.CauseUnsupported,
		"加密.pdf": source.CausePassword, "空.docx": source.CauseNoText,
	}
	if !reflect.DeepEqual(causes, wantCauses) {
		t.Fatalf("refused %v", got.Refused)
	}
	if n := refused(t, source.CausePassword) - before; n != 1 {
		t.Fatalf("password refusals counted %v times", n)
	}
	for _, r := range got.Refused {
		if r.Name == "加密.pdf" && !strings.Contains(r.Reason, "密码") {
			t.Fatalf("reason %q", r.Reason)
		}
	}

	// Two files' worth of text budget: the rest are reported as such.
	lim := source.Limits{MaxText: len("第一个附件") + len("第二个附件"), Timeout: time.Minute}
	got = source.ReadAttachments(media, files[2:6], lim, nil)
	if len(got.Files) != 2 || len(got.Refused) != 2 || got.Refused[1].Cause != source.CauseTextBudget {
		t.Fatalf("within %d bytes: %+v", lim.MaxText, got)
	}
	if got := source.ReadAttachments(nil, files, source.Limits{}, nil); got.Files != nil || got.Refused != nil {
		t.Fatalf("without media: %+v", got)
	}
}

// refused is how many files the process has refused for cause, as the
// binary's registry reports it.
func refused(t *testing.T, cause string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(source.ExtractCollectors()...)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "zhengwu_search_attachment_refused_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "cause" && l.GetValue() == cause {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
