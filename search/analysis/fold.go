package analysis

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed t2s.txt
var t2sText string

var (
	t2sOnce sync.Once
	t2s     map[rune]rune
)

func t2sTable() map[rune]rune {
	t2sOnce.Do(func() {
		t2s = make(map[rune]rune, 3000)
		for _, line := range strings.Split(t2sText, "\n") {
			if strings.HasPrefix(line, "#") {
				continue
			}
			for _, pair := range strings.Fields(line) {
				r := []rune(pair)
				if len(r) == 2 {
					t2s[r[0]] = r[1]
				}
			}
		}
	})
	return t2s
}

// FoldRune folds one character to the form Zhengwu indexes: full-width
// ASCII to half-width (ＡＢＣ１２３ → abc123), the ideographic space to a
// space, upper case to lower case, and a traditional character to its
// simplified form where the mapping is one-to-one (國 → 国). It is the
// NFKC-like folding that matters for search, without the tables of NFKC.
func FoldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return FoldRune(r - 0xFEE0)
	case r == 0x3000:
		return ' '
	case r >= 0x3400 && r <= 0x9FFF:
		if s, ok := t2sTable()[r]; ok {
			return s
		}
		return r
	}
	return unicode.ToLower(r)
}

// Fold folds every character of s with FoldRune.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(FoldRune(r))
	}
	return b.String()
}

// IsHan reports whether r is a Chinese character (CJK unified ideographs,
// extension A, compatibility ideographs, or an extension plane).
func IsHan(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x20000 && r <= 0x3134F) || r == 0x3007
}

func isAlnum(r rune) bool {
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9') ||
		r >= utf8.RuneSelf && !IsHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
