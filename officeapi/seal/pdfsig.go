package seal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode/utf16"
)

// The signature is written into the PDF the way PDF writes every digital
// signature (ISO 32000-1 §12.8): an incremental update appended after the
// file's %%EOF holds a signature dictionary whose /ByteRange names the
// whole file except its own /Contents, and /Contents holds the signature
// of those bytes. The original bytes stay as they were, so every viewer
// opens the file (it reads the update's cross-reference section and the
// unreferenced dictionary is ignored), and a byte changed anywhere but in
// /Contents breaks the signature.
//
// /Filter and /SubFilter name our handler (ZhengwuSeal, ZW.sm2.sm3):
// /Contents is the bare SM2 signature (GB/T 32918.2, DER r‖s, the default
// user id) of the SM3 hash of the byte range, not a CMS SignedData (which
// adbe.pkcs7.detached and the GB/T 38540 seal format expect, each with a
// certificate from a CA the office does not run yet). The signer's facts
// (unit, key id, user, document, time) are keys of the dictionary, inside
// the signed range. A viewer that knows no ZhengwuSeal handler shows the
// file and its seal image; `zhengwu seal verify` and GET …/pdf/verify
// check the signature.
const (
	filter    = "ZhengwuSeal"
	subFilter = "ZW.sm2.sm3"
	// contentsHex is the room /Contents reserves: 512 hex digits (256
	// bytes), four times a DER SM2 signature's 72 at most.
	contentsHex = 512
)

// claim is what a signature dictionary says besides the signature.
type claim struct {
	Unit, UnitName, KeyID, Signer, SignerName, Document string
	At                                                  time.Time
}

// sigFields are the dictionary's keys for a claim, in the order written.
var sigFields = []string{"ZW_Unit", "ZW_UnitName", "ZW_KeyID", "ZW_Signer", "Name", "ZW_Document"}

func (c claim) values() []string {
	return []string{c.Unit, c.UnitName, c.KeyID, c.Signer, c.SignerName, c.Document}
}

// appendSignature appends to pdf the incremental update carrying c and the
// signature sign makes of the signed bytes.
func appendSignature(pdf []byte, c claim, sign func(msg []byte) ([]byte, error)) ([]byte, error) {
	tr, err := lastTrailer(pdf)
	if err != nil {
		return nil, err
	}
	obj := tr.size // the new object's number: the first one free
	var b bytes.Buffer
	b.Write(pdf)
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		b.WriteByte('\n')
	}
	objAt := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Type /Sig /Filter /%s /SubFilter /%s /ByteRange [0 0000000000 0000000000 0000000000] ", obj, filter, subFilter)
	for i, v := range c.values() {
		fmt.Fprintf(&b, "/%s %s ", sigFields[i], textString(v))
	}
	fmt.Fprintf(&b, "/M (%s) /Reason %s\n/Contents ", pdfDate(c.At), textString("电子印章"))
	contentsAt := b.Len()
	b.WriteByte('<')
	b.Write(bytes.Repeat([]byte{'0'}, contentsHex))
	b.WriteByte('>')
	contentsEnd := b.Len()
	b.WriteString(">>\nendobj\n")
	xrefAt := b.Len()
	fmt.Fprintf(&b, "xref\n%d 1\n%010d 00000 n \ntrailer\n<</Size %d /Root %s", obj, objAt, obj+1, tr.root)
	if tr.info != "" {
		fmt.Fprintf(&b, " /Info %s", tr.info)
	}
	fmt.Fprintf(&b, " /Prev %d>>\nstartxref\n%d\n%%%%EOF\n", tr.startxref, xrefAt)

	out := b.Bytes()
	br := fmt.Sprintf("[0 %010d %010d %010d]", contentsAt, contentsEnd, len(out)-contentsEnd)
	at := bytes.Index(out[objAt:], []byte("[0 0000000000 0000000000 0000000000]")) + objAt
	copy(out[at:], br)
	sig, err := sign(signedBytes(out, contentsAt, contentsEnd))
	if err != nil {
		return nil, err
	}
	if 2*len(sig) > contentsHex {
		return nil, fmt.Errorf("seal: a signature of %d bytes does not fit /Contents", len(sig))
	}
	copy(out[contentsAt+1:], fmt.Sprintf("%X", sig))
	return out, nil
}

// signedBytes are the file without the /Contents string (delimiters
// included), as the byte range names them.
func signedBytes(pdf []byte, from, to int) []byte {
	msg := make([]byte, 0, len(pdf)-(to-from))
	return append(append(msg, pdf[:from]...), pdf[to:]...)
}

// trailer is what an incremental update repeats of the file's last
// trailer.
type trailer struct {
	size       int
	root, info string // "1 0 R"
	startxref  int
}

var (
	reStartxref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
	reRoot      = regexp.MustCompile(`/Root\s+(\d+\s+\d+\s+R)`)
	reInfo      = regexp.MustCompile(`/Info\s+(\d+\s+\d+\s+R)`)
)

// lastTrailer reads the trailer the file ends with. Files whose last
// cross-reference section is a stream (PDF 1.5 compressed) are refused:
// the layout's files have a classic table.
func lastTrailer(pdf []byte) (trailer, error) {
	m := reStartxref.FindSubmatch(pdf)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || m == nil {
		return trailer{}, errors.New("seal: not a PDF (no %PDF- header or no startxref at its end)")
	}
	at, _ := strconv.Atoi(string(m[1]))
	if at >= len(pdf) || !bytes.HasPrefix(pdf[at:], []byte("xref")) {
		return trailer{}, errors.New("seal: the PDF's last cross-reference section is not a table (a stream is not supported)")
	}
	t := bytes.Index(pdf[at:], []byte("trailer"))
	if t < 0 {
		return trailer{}, errors.New("seal: the PDF has no trailer")
	}
	dict := pdf[at+t : len(pdf)-len(m[0])]
	size, root := reSize.FindSubmatch(dict), reRoot.FindSubmatch(dict)
	if size == nil || root == nil {
		return trailer{}, errors.New("seal: the PDF's trailer has no /Size or /Root")
	}
	tr := trailer{root: string(root[1]), startxref: at}
	tr.size, _ = strconv.Atoi(string(size[1]))
	if info := reInfo.FindSubmatch(dict); info != nil {
		tr.info = string(info[1])
	}
	return tr, nil
}

// textString writes s as a PDF text string: hex, UTF-16BE with its byte
// order mark, so that Chinese needs no escaping.
func textString(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(u))
	b[0], b[1] = 0xFE, 0xFF
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return "<" + hex.EncodeToString(b) + ">"
}

// readTextString reads what textString wrote.
func readTextString(h string) (string, error) {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) < 2 || b[0] != 0xFE || b[1] != 0xFF || len(b)%2 != 0 {
		return "", errors.New("not a UTF-16 text string")
	}
	u := make([]uint16, 0, len(b)/2-1)
	for i := 2; i < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u)), nil
}

// pdfDate is a PDF date in UTC: D:20260305093000Z.
func pdfDate(t time.Time) string { return "D:" + t.UTC().Format("20060102150405") + "Z" }

func parsePDFDate(s string) (time.Time, error) {
	return time.Parse("D:20060102150405Z", s)
}

// found is a signature dictionary read back from a file.
type found struct {
	claim
	byteRange [4]int
	sig       []byte // the DER signature, without /Contents' padding
	padded    bool   // /Contents holds nothing but the signature and '0's, as written
}

var (
	reSigDict = regexp.MustCompile(`<</Type /Sig /Filter /` + filter + ` /SubFilter /` + regexp.QuoteMeta(subFilter) +
		` /ByteRange \[(\d+) (\d+) (\d+) (\d+)\] `)
	reEntry = regexp.MustCompile(`/(\w+) <([0-9A-Fa-f]*)>`)
	reDate  = regexp.MustCompile(`/M \((D:\d{14}Z)\)`)
)

// errNoSeal: the file carries no signature of ours.
var errNoSeal = errors.New("seal: no ZhengwuSeal signature in the file")

// lastSignature finds the file's last ZhengwuSeal signature dictionary.
// A dictionary that cannot be read is an error (not errNoSeal): the file
// was sealed and has been damaged since.
func lastSignature(pdf []byte) (found, error) {
	all := reSigDict.FindAllSubmatchIndex(pdf, -1)
	if len(all) == 0 {
		return found{}, errNoSeal
	}
	m := all[len(all)-1]
	var f found
	for i := range f.byteRange {
		f.byteRange[i], _ = strconv.Atoi(string(pdf[m[2+2*i]:m[3+2*i]]))
	}
	from, to := f.byteRange[1], f.byteRange[2]
	if f.byteRange[0] != 0 || from <= m[1] || to <= from || to > len(pdf) || pdf[from] != '<' || pdf[to-1] != '>' {
		return found{}, errors.New("签章的字节范围与文件不符")
	}
	end := bytes.Index(pdf[to:], []byte(">>"))
	if end < 0 {
		return found{}, errors.New("签章字典不完整")
	}
	entries := map[string]string{}
	for _, part := range [][]byte{pdf[m[1]:from], pdf[to : to+end]} {
		for _, e := range reEntry.FindAllSubmatch(part, -1) {
			entries[string(e[1])] = string(e[2])
		}
	}
	vals := make([]string, len(sigFields))
	for i, k := range sigFields {
		v, err := readTextString(entries[k])
		if err != nil {
			return found{}, fmt.Errorf("签章字典的 /%s 无法读取", k)
		}
		vals[i] = v
	}
	date := reDate.FindSubmatch(pdf[m[1]:from])
	if date == nil {
		return found{}, errors.New("签章时间无法读取")
	}
	at, err := parsePDFDate(string(date[1]))
	if err != nil {
		return found{}, errors.New("签章时间无法读取")
	}
	f.claim = claim{Unit: vals[0], UnitName: vals[1], KeyID: vals[2], Signer: vals[3], SignerName: vals[4], Document: vals[5], At: at}
	raw, err := hex.DecodeString(string(pdf[from+1 : to-1]))
	if err != nil {
		return found{}, errors.New("签章值不是十六进制")
	}
	f.sig, f.padded = derPrefix(raw)
	// /Contents lies outside the signed range; it must be exactly as
	// written (upper-case hex), so that no byte of the file can change
	// unnoticed, not even a digit's case.
	f.padded = f.padded && bytes.Equal(pdf[from+1:to-1], []byte(fmt.Sprintf("%X", raw)))
	return f, nil
}

// derPrefix splits /Contents into the DER value it starts with and says
// whether the rest is zero padding, as written.
func derPrefix(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != 0x30 || raw[1] >= 0x80 || int(raw[1])+2 > len(raw) {
		return nil, false
	}
	n := int(raw[1]) + 2
	return raw[:n], len(bytes.Trim(raw[n:], "\x00")) == 0
}
