package source

import (
	"bytes"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// errNotText: a .txt file that holds binary data.
var errNotText = errors.New("txt: the file is not text")

// plainText writes the text of a plain-text file to out. Its encoding:
// a byte-order mark says UTF-8 or UTF-16; without one, valid UTF-8 is
// UTF-8 and anything else is read as GB18030 (which contains GBK and
// GB2312, what Chinese Windows editors save as "ANSI"). Only the start
// that can fill the text budget is decoded.
func plainText(data []byte, out *textBuf) error {
	text, err := decodeText(data, out.max)
	if err != nil {
		return err
	}
	return out.WriteString(cleanText(text))
}

// cleanText has line ends as "\n" and no control characters but tabs.
// Unlike a PDF's (tidyText), a text file's line ends are the writer's own
// and are kept.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n', r == '\t':
			return r
		case unicode.IsControl(r), r == '\uFEFF', r == '\uFFFE', r == '\uFFFF':
			return -1
		}
		return r
	}, s)
}

func decodeText(data []byte, maxText int) (string, error) {
	// A character takes at least one byte and at most 3 of UTF-8 for 2 of
	// GB18030 or UTF-16 (4-byte sequences give 4): 2·maxText input bytes
	// hold at least maxText bytes of text.
	cut := func(b []byte) []byte { return b[:min(len(b), 2*maxText+4)] }
	b := cut(data)
	var dec *encoding.Decoder
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(b[3:]), ""), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order := xunicode.LittleEndian
		if data[0] == 0xFE {
			order = xunicode.BigEndian
		}
		dec = xunicode.UTF16(order, xunicode.ExpectBOM).NewDecoder()
		b = b[:len(b)&^1] // whole code units
	default:
		if bytes.IndexByte(b, 0) >= 0 {
			return "", errNotText
		}
		if validUTF8Start(b, len(b) < len(data)) {
			return strings.ToValidUTF8(string(b), ""), nil
		}
		dec = simplifiedchinese.GB18030.NewDecoder()
	}
	text, err := dec.Bytes(b)
	if err != nil {
		return "", errNotText
	}
	// A cut through the last character leaves a replacement character.
	return strings.TrimRight(string(text), "\uFFFD"), nil
}

// validUTF8Start: b is UTF-8, except perhaps for a character cut at its
// end when b is only the start of the file.
func validUTF8Start(b []byte, cut bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !cut {
		return false
	}
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return true
		}
	}
	return false
}
