package source

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// pdfText is a small best-effort PDF text extractor: it reads the file's
// streams (uncompressed or FlateDecode), learns the fonts' ToUnicode maps
// (bfchar and bfrange), and takes the strings shown by the text operators
// (Tj, TJ, ', ") of the content streams, decoded through those maps (two-
// byte codes, as Chinese PDFs use) or as single bytes. It does not follow
// the page tree (text comes in file order), nor handle encrypted files or
// fonts without ToUnicode maps beyond Latin text. A file without any
// stream is an error (not a PDF, or broken).
func pdfText(ctx context.Context, data []byte, out *textBuf) error {
	if !bytes.HasPrefix(bytes.TrimLeft(data, "\x00\t\r\n "), []byte("%PDF-")) {
		return errors.New("pdf: not a PDF file")
	}
	streams := pdfStreams(data)
	if len(streams) == 0 {
		return errors.New("pdf: no streams")
	}
	cmap := map[string]string{}
	var contents [][]byte
	for i, s := range streams {
		if i%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if bytes.Contains(s, []byte("begincmap")) {
			parseCMap(s, cmap)
		} else if bytes.Contains(s, []byte("Tj")) || bytes.Contains(s, []byte("TJ")) {
			contents = append(contents, s)
		}
	}
	for i, c := range contents {
		if i%16 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := showText(c, cmap, out); err != nil {
			return err
		}
	}
	return nil
}

var streamRe = regexp.MustCompile(`stream\r?\n`)

// pdfStreams returns the decoded data of every stream whose filter is
// none or FlateDecode.
func pdfStreams(data []byte) [][]byte {
	var out [][]byte
	for _, loc := range streamRe.FindAllIndex(data, -1) {
		if loc[0] >= 3 && string(data[loc[0]-3:loc[0]]) == "end" {
			continue
		}
		start := loc[1]
		end := bytes.Index(data[start:], []byte("endstream"))
		if end < 0 {
			break
		}
		raw := data[start : start+end] // zlib ignores the end-of-line before endstream
		dictStart := bytes.LastIndex(data[max(0, loc[0]-2048):loc[0]], []byte("obj"))
		dict := data[max(0, loc[0]-2048):loc[0]]
		if dictStart >= 0 {
			dict = dict[dictStart:]
		}
		switch {
		case bytes.Contains(dict, []byte("/FlateDecode")):
			zr, err := zlib.NewReader(bytes.NewReader(raw))
			if err != nil {
				continue
			}
			dec, err := io.ReadAll(io.LimitReader(zr, 16<<20))
			if err != nil && len(dec) == 0 {
				continue
			}
			out = append(out, dec)
		case bytes.Contains(dict, []byte("/Filter")):
			// DCT (images), LZW, ...: no text we read.
		default:
			out = append(out, raw)
		}
	}
	return out
}

var (
	bfcharRe  = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	bfrangeRe = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	sectionRe = regexp.MustCompile(`(?s)begin(bfchar|bfrange)(.*?)end(?:bfchar|bfrange)`)
)

// parseCMap adds a ToUnicode map's entries (hex code → text) to m.
func parseCMap(s []byte, m map[string]string) {
	for _, sec := range sectionRe.FindAllSubmatch(s, -1) {
		if string(sec[1]) == "bfchar" {
			for _, e := range bfcharRe.FindAllSubmatch(sec[2], -1) {
				m[string(bytes.ToUpper(e[1]))] = utf16Hex(string(e[2]))
			}
			continue
		}
		for _, e := range bfrangeRe.FindAllSubmatch(sec[2], -1) {
			lo, err1 := strconv.ParseUint(string(e[1]), 16, 32)
			hi, err2 := strconv.ParseUint(string(e[2]), 16, 32)
			dst, err3 := strconv.ParseUint(string(e[3]), 16, 32)
			if err1 != nil || err2 != nil || err3 != nil || hi < lo || hi-lo > 0xFFFF {
				continue
			}
			width := len(e[1])
			for c := lo; c <= hi; c++ {
				code := strconv.FormatUint(c, 16)
				for len(code) < width {
					code = "0" + code
				}
				m[string(bytes.ToUpper([]byte(code)))] = string(utf16.Decode([]uint16{uint16(dst + c - lo)}))
			}
		}
	}
}

func utf16Hex(h string) string {
	b, err := hex.DecodeString(h)
	if err != nil || len(b)%2 != 0 {
		return ""
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

// showText scans a content stream for the strings of the text operators.
func showText(c []byte, cmap map[string]string, out *textBuf) error {
	var pending [][]byte // strings since the last operator
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case ch == '(':
			s, n := literalString(c[i:])
			pending = append(pending, s)
			i += n - 1
		case ch == '<' && i+1 < len(c) && c[i+1] != '<':
			j := bytes.IndexByte(c[i:], '>')
			if j < 0 {
				return nil
			}
			h := bytes.Map(func(r rune) rune {
				if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
					return -1
				}
				return r
			}, c[i+1:i+j])
			if len(h)%2 == 1 {
				h = append(h, '0')
			}
			b := make([]byte, len(h)/2)
			if _, err := hex.Decode(b, h); err == nil {
				pending = append(pending, b)
			}
			i += j
		case ch == '%':
			for i < len(c) && c[i] != '\n' && c[i] != '\r' {
				i++
			}
		case ch == 'T' && i+1 < len(c) && (c[i+1] == 'j' || c[i+1] == 'J'):
			if err := flushShown(pending, cmap, out); err != nil {
				return err
			}
			pending = pending[:0]
			i++
		case ch == '\'' || ch == '"':
			if err := flushShown(pending, cmap, out); err != nil {
				return err
			}
			pending = pending[:0]
		case ch == 'E' && i+1 < len(c) && c[i+1] == 'T':
			if err := out.WriteString("\n"); err != nil {
				return err
			}
			pending = pending[:0]
			i++
		case ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')) && ch != 'T':
			// Another operator: strings before it were its operands.
			if len(pending) > 0 && (i == 0 || !isNameChar(c[i-1])) {
				pending = pending[:0]
			}
		}
	}
	return nil
}

func isNameChar(b byte) bool {
	return b == '/' || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
}

func flushShown(strs [][]byte, cmap map[string]string, out *textBuf) error {
	for _, s := range strs {
		if err := out.WriteString(decodeShown(s, cmap)); err != nil {
			return err
		}
	}
	return nil
}

func decodeShown(s []byte, cmap map[string]string) string {
	if len(s) >= 2 && s[0] == 0xFE && s[1] == 0xFF {
		return utf16Hex(hex.EncodeToString(s[2:]))
	}
	if len(cmap) > 0 {
		for _, width := range []int{2, 1} {
			if len(s)%width != 0 {
				continue
			}
			var b bytes.Buffer
			ok := true
			for i := 0; i < len(s); i += width {
				t, found := cmap[hex.EncodeToString(s[i:i+width])]
				if !found {
					t, found = cmap[string(bytes.ToUpper([]byte(hex.EncodeToString(s[i:i+width]))))]
				}
				if !found {
					ok = false
					break
				}
				b.WriteString(t)
			}
			if ok {
				return b.String()
			}
		}
	}
	// Single-byte text: Latin-1 is close enough to PDFDocEncoding and
	// WinAnsi for search.
	r := make([]rune, len(s))
	for i, c := range s {
		r[i] = rune(c)
	}
	return string(r)
}

// literalString reads a PDF literal string starting at s[0] == '(' and
// returns its bytes and the length consumed.
func literalString(s []byte) ([]byte, int) {
	var out []byte
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b', 'f':
			case '\r', '\n':
				// line continuation
			default:
				if e >= '0' && e <= '7' {
					v, n := 0, 0
					for n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
						v = v*8 + int(s[i]-'0')
						i++
						n++
					}
					i--
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		case c == '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return out, i + 1
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out, len(s)
}
