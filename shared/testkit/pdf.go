package testkit

import (
	"bytes"
	"fmt"
)

// PDF is a PDF file whose object n is objs[n-1] (object 1 the catalog),
// with a correct cross-reference table as writers make them: the input
// of tests of code that reads PDFs (upload checks, text extraction).
func PDF(objs ...string) []byte { return PDFWithTrailer("", objs...) }

// PDFWithTrailer is PDF with more entries in its trailer dictionary
// (an encrypted file's "/Encrypt 6 0 R /ID [<…> <…>]").
func PDFWithTrailer(trailer string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	if trailer != "" {
		trailer = " " + trailer
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return b.Bytes()
}

// PDFStream is a stream object holding data as it is; dict holds its
// other entries ("/Filter /FlateDecode"; "" for none).
func PDFStream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// TextPDF is a one-page PDF showing one line of Latin text in Helvetica
// (PDF string syntax: escape parentheses and backslashes).
func TextPDF(text string) []byte {
	contents := "BT /F1 12 Tf 72 712 Td (" + text + ") Tj ET"
	return PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		PDFStream("", []byte(contents)),
	)
}
