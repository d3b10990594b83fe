package analysis

import (
	"regexp"
	"strings"
)

// A document number (发文字号) is an issuer's code, the year and a serial:
// 皖政办〔2026〕12号. People type the year brackets as 〔〕, [], (), 【】,
// full-width or not, or leave them out (皖政办2026 12号, 皖政办 2026-12).
// Orders (令) have no year: 国务院令第664号.
var (
	docNumberRe = regexp.MustCompile(`^([\p{Han}a-z]{1,20}?)\s*[\[(〔【［（{〖]?\s*((?:19|20)\d\d)\s*[\])〕】］）}〗]?\s*[-—－_/.·]?\s*第?\s*0*(\d{1,6})\s*号?$`)
	orderRe     = regexp.MustCompile(`^([\p{Han}a-z]{1,20}?令)\s*第?\s*0*(\d{1,6})\s*号?$`)
	// docNumberInTextRe finds a bracketed document number inside longer
	// text (a query that names one among other words).
	docNumberInTextRe = regexp.MustCompile(`[\p{Han}]{1,20}\s*[\[(〔【［（〖]\s*(?:19|20)\d\d\s*[\])〕】］）〗]\s*第?\s*\d{1,6}\s*号`)
)

// DocNumber returns the normalised form of a document number, for the
// docNumber keyword field and for queries: 皖政办〔2026〕12号,
// 皖政办[2026]12号, 皖政办（2026）12号 and 皖政办2026 12号 all give
// "皖政办2026-12"; 国务院令第664号 gives "国务院令-664". ok is false when
// s does not look like a document number (for example, when it has no
// serial number or no "号" and no year).
func DocNumber(s string) (norm string, ok bool) {
	f := strings.TrimSpace(Fold(s))
	if m := docNumberRe.FindStringSubmatch(f); m != nil {
		// Without a 号 and without brackets "关于2026年1号" style text is
		// still a number only if the prefix looks like an issuer code.
		if !strings.HasSuffix(f, "号") && !hasBracket(f) && !issuerLike(m[1]) {
			return "", false
		}
		return m[1] + m[2] + "-" + m[3], true
	}
	if m := orderRe.FindStringSubmatch(f); m != nil {
		return m[1] + "-" + m[2], true
	}
	return "", false
}

// FindDocNumbers returns the candidate normalised forms of the document
// numbers written with year brackets inside longer text. Where the
// issuer's code starts is unknown in running text (根据皖政办〔2026〕12号),
// so each number gives one candidate per possible start, shortest code
// (two characters) first: term lookups are cheap, and only the real code
// matches an indexed number.
func FindDocNumbers(s string) []string {
	var out []string
	for _, m := range docNumberInTextRe.FindAllString(Fold(s), -1) {
		n, ok := DocNumber(m)
		if !ok {
			continue
		}
		i := strings.IndexFunc(n, func(r rune) bool { return r >= '0' && r <= '9' })
		if i < 0 {
			continue
		}
		code, rest := n[:i], n[i:]
		rc := []rune(code)
		for k := len(rc) - 2; k >= 0; k-- {
			out = append(out, string(rc[k:])+rest)
		}
	}
	return out
}

func hasBracket(s string) bool { return strings.ContainsAny(s, "[(〔【（〖") }

// issuerLike: issuer codes are short and end in a character that codes
// use (皖政办, 国办发, 财税, 人社部函).
func issuerLike(p string) bool {
	r := []rune(p)
	if len(r) < 2 || len(r) > 8 {
		return false
	}
	return strings.ContainsRune("发办函字令电通复规税综", r[len(r)-1])
}

// docPrefixRe is what a searcher types for the start of a document
// number: an issuer's code (机关代字), optionally a year in any brackets
// (皖政办, 皖政办〔2026〕, 皖政办[2026], 皖政办（2026）, 皖政办 2026). The
// code is as long as docNumberRe allows (an order's issuer may be long:
// 国家市场监督管理总局令), from two characters.
var docPrefixRe = regexp.MustCompile(`^([\p{Han}a-z]{2,20}?)\s*(?:[\[(〔【［（{〖]\s*((?:19|20)\d\d)?\s*[\])〕】］）}〗]?|((?:19|20)\d\d))?$`)

// DocNumberPrefixes returns the keys under which a document number is
// listed by its start: the issuer's code and, when the number has a year,
// the code with the year (皖政办〔2026〕12号 gives 皖政办 and 皖政办2026;
// 国务院令第664号 gives 国务院令). Nil when s is not a document number.
// DocNumberPrefix gives the key of what a searcher typed.
func DocNumberPrefixes(s string) []string {
	n, ok := DocNumber(s)
	if !ok {
		return nil
	}
	head, _, _ := strings.Cut(n, "-")
	code := strings.TrimRightFunc(head, func(r rune) bool { return r >= '0' && r <= '9' })
	if code == "" {
		return nil
	}
	if code == head {
		return []string{code}
	}
	return []string{code, head}
}

// DocNumberPrefix returns the key (one of DocNumberPrefixes) for what a
// searcher typed when it has the shape of a document number's start: an
// issuer's code of 2–20 characters (Chinese or letters), optionally
// followed by a year in any brackets or none. ok is false for anything else (a whole number, words
// with spaces, text with other characters). The shape alone does not make
// it a code (皖政 is shaped like one): only the index can tell whether some
// number starts with it.
func DocNumberPrefix(typed string) (key string, ok bool) {
	m := docPrefixRe.FindStringSubmatch(strings.TrimSpace(Fold(typed)))
	if m == nil {
		return "", false
	}
	return m[1] + m[2] + m[3], true
}
