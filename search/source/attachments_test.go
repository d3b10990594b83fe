package source_test

import (
	"strings"
	"testing"

	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
)

// The text of a document's files: DOCX and PDF only (by MIME type or by
// name), a file that fails skipped, the text budget spent over all files.
func TestAttachmentText(t *testing.T) {
	media := sourcetest.Media{
		"a":      sourcetest.DOCX(t, "第一个附件"),
		"b":      sourcetest.DOCX(t, "第二个附件"),
		"c":      sourcetest.DOCX(t, "第三个附件"),
		"broken": []byte("PK\x03\x04 truncated"),
		"png":    []byte("\x89PNG"),
	}
	files := []source.File{
		{MediaID: "broken", Name: "坏.docx", Type: sourcetest.MIMEDOCX},
		{MediaID: "missing", Name: "丢失.pdf", Type: "application/pdf"},
		{MediaID: "a", Name: "一.docx", Type: sourcetest.MIMEDOCX},
		{MediaID: "png", Name: "图.png", Type: "image/png"},
		{MediaID: "b", Name: "二.docx"}, // no type: the name tells
		{MediaID: "c", Name: "三.docx", Type: sourcetest.MIMEDOCX},
	}
	if got := source.AttachmentText(media, files, source.Limits{}, nil); got != "第一个附件\n第二个附件\n第三个附件" {
		t.Fatalf("text %q", got)
	}
	// Two files' worth of budget: the third is not read.
	lim := source.Limits{MaxText: len("第一个附件") + len("第二个附件")}
	if got := source.AttachmentText(media, files, lim, nil); got != "第一个附件\n第二个附件" {
		t.Fatalf("within %d bytes: %q", lim.MaxText, got)
	}
	if got := source.AttachmentText(nil, files, source.Limits{}, nil); got != "" {
		t.Fatalf("without media: %q", got)
	}
	if got := source.AttachmentText(media, files[:2], source.Limits{}, nil); strings.TrimSpace(got) != "" {
		t.Fatalf("only broken files: %q", got)
	}
}
