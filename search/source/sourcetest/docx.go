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
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	for _, p := range paras {
		w.Write([]byte(`<w:p><w:r><w:t>`))
		xml.EscapeText(w, []byte(p))
		w.Write([]byte(`</w:t></w:r></w:p>`))
	}
	w.Write([]byte(`</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
