package media

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameRunes bounds a stored file name.
const MaxNameRunes = 200

// defaultName stands in for a name that cleans to nothing.
const defaultName = "未命名"

// CleanName turns a client-supplied file name into one safe to store and
// to send back in Content-Disposition: the last path element only (either
// separator, since Windows browsers may send a full path), no control or
// formatting characters (which includes bidi overrides that disguise an
// extension), no quotes or leading dots, valid UTF-8, at most
// MaxNameRunes runes with the extension kept.
func CleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			return -1
		case r == '"':
			return '\''
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	name = strings.TrimSpace(name)
	if name == "" {
		return defaultName
	}
	if utf8.RuneCountInString(name) > MaxNameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimSpace(string(stem[:MaxNameRunes-utf8.RuneCountInString(ext)])) + ext
	}
	return name
}

// ContentDisposition builds the header for a stored name: disposition
// "inline" or "attachment", an ASCII-only filename="..." for old clients
// and RFC 5987/6266 filename*=UTF-8”... carrying the real (Chinese) name.
func ContentDisposition(disposition, name string) string {
	var ascii strings.Builder
	lastUnderscore := false
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';' {
			if !lastUnderscore {
				ascii.WriteByte('_')
			}
			lastUnderscore = true
			continue
		}
		ascii.WriteRune(r)
		lastUnderscore = false
	}
	fallback := ascii.String()
	if strings.Trim(fallback, "_. ") == "" || strings.HasPrefix(fallback, "_.") {
		fallback = "download" + strings.TrimLeft(fallback, "_")
	}
	return disposition + `; filename="` + fallback + `"; filename*=UTF-8''` + encodeRFC5987(name)
}

// encodeRFC5987 percent-encodes every byte outside RFC 5987's attr-char.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
