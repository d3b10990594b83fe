// Package sourcetest builds attachments for tests of search projections:
// files whose text extraction (search/source) reads, made in memory.
package sourcetest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"testing"
)

// MIMEDOCX is the MIME type of a DOCX file.
const MIMEDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// DOCX is the least DOCX file a reader opens: word/document.xml with one
// paragraph per string.
func DOCX(t testing.TB, paras ...string) []byte {
	t.Helper()
	var body bytes.Buffer
	for _, p := range paras {
		body.WriteString(`<w:p><w:r><w:t>`)
		xml.EscapeText(&body, []byte(p))
		body.WriteString(`</w:t></w:r></w:p>`)
	}
	return DOCXBody(t, body.String())
}

// DOCXBody is a DOCX file whose document body (inside w:body, with the
// w: namespace) is the given XML.
func DOCXBody(t testing.TB, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	w.Write([]byte(body))
	w.Write([]byte(`</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
