package source

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"

	"zhengwu/shared/testkit"
)

// pdfDoc assembles a PDF from its objects; stream is a stream object
// with data as is (dict: extra entries).
var (
	pdfDoc = testkit.PDF
	stream = testkit.PDFStream
)

func deflate(t testing.TB, data []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

func flateStream(t testing.TB, data []byte) string {
	return stream("/Filter /FlateDecode", deflate(t, data))
}

// onePage is the catalog and page tree of a one-page document whose page
// (object 3) shows contents with the fonts named in resources.
func onePage(contents, resources string) []string {
	return []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << " + resources + " >> >> /Contents " + contents + " >>",
	}
}

const helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

// cidFont is a Type0 font with the given encoding, over a CID font of the
// given character collection, not embedded (as many office PDFs leave
// 宋体), with an optional ToUnicode map.
func cidFont(encoding, ordering, toUnicode string) string {
	tu := ""
	if toUnicode != "" {
		tu = " /ToUnicode " + toUnicode
	}
	return fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /%s%s /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (%s) /Supplement 2 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >> >>] >>", encoding, tu, ordering)
}

// pdf builds a small PDF: Latin text in an uncompressed content stream
// and Chinese text shown with two-byte codes of an Identity-H font,
// mapped to Unicode by a Flate-compressed ToUnicode CMap, as Chinese PDFs
// made by office suites do.
func pdf(t testing.TB) []byte {
	t.Helper()
	cmap := `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
2 beginbfchar
<0001> <653F>
<0002> <52A1>
endbfchar
1 beginbfrange
<0003> <0004> <516C>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end`
	// 政=653F 务=52A1 公=516C 六=516D (range), so 0003→公, 0004→六
	content := "BT /F1 12 Tf 72 712 Td (Annual report \\(draft\\)) Tj ET\nBT /F2 12 Tf 72 690 Td [<00010002> -20 <0003>] TJ ET"
	objs := onePage("4 0 R", "/F1 5 0 R /F2 6 0 R")
	return pdfDoc(append(objs,
		stream("", []byte(content)),
		helvetica,
		cidFont("Identity-H", "Identity", "7 0 R"),
		flateStream(t, []byte(cmap)),
	)...)
}

// spaces is n bytes of blanks: content that inflates without producing
// text, as bombs are made.
func spaces(n int) []byte { return bytes.Repeat([]byte{' '}, n) }

// bombByReference: one 1 MiB stream named 1,024 times in a page's
// contents — an 8 KB file whose page inflates to 1 GiB.
func bombByReference(t testing.TB) []byte {
	refs := strings.Repeat("4 0 R ", 1024)
	objs := onePage("["+refs+"]", "/F1 5 0 R")
	return pdfDoc(append(objs, flateStream(t, spaces(1<<20)), helvetica)...)
}

// bombByFilterChain: a stream compressed twice (/Filter [/FlateDecode
// /FlateDecode]), 16 MiB once inflated, named 64 times: 1 GiB from a few
// KB.
func bombByFilterChain(t testing.TB) []byte {
	twice := deflate(t, deflate(t, spaces(16<<20)))
	refs := strings.Repeat("4 0 R ", 64)
	objs := onePage("["+refs+"]", "/F1 5 0 R")
	return pdfDoc(append(objs, stream("/Filter [/FlateDecode /FlateDecode]", twice), helvetica)...)
}

// bombByManyStreams: 64 distinct streams of 16 MiB each (≈ 16 KB
// compressed), one page each — the shape of the upload that raised the
// server by 770 MB: a 1 MB file that inflates to 1 GiB.
func bombByManyStreams(t testing.TB) []byte {
	const n = 64
	z := deflate(t, spaces(16<<20))
	var kids []string
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", helvetica}
	for i := range n {
		page := 4 + 2*i
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", page+1),
			stream("/Filter /FlateDecode", z))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return pdfDoc(objs...)
}
