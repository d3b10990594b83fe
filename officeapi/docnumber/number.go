package docnumber

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhengwu/search/analysis"
	"zhengwu/shared/problem"
)

// Bounds of a number's parts. The years and the six-digit serial are
// those search's document-number folding (analysis.DocNumber) recognises,
// so every number registered here is one that portal and office search
// find however it is typed.
const (
	MinPrefixRunes = 2
	MaxPrefixRunes = 10
	MinYear        = 1900
	MaxYear        = 2099
	MaxSeq         = 999999
)

// Number is a 发文字号: the issuer's code (机关代字), the year and the
// serial of that code's sequence for that year.
type Number struct {
	Prefix string `json:"prefix"` // 机关代字, e.g. 皖政办
	Year   int    `json:"year"`
	Seq    int64  `json:"seq"`
}

// String is the number as GB/T 9704-2012 prints it: 皖政办〔2026〕12号,
// the year in full between 六角括号 (U+3014, U+3015), the serial without
// leading zeros and without 第.
func (n Number) String() string {
	return n.Prefix + "〔" + strconv.Itoa(n.Year) + "〕" + strconv.FormatInt(n.Seq, 10) + "号"
}

// Key is the term search's docNumber field holds for the number
// (analysis.DocNumberKey): what an index projects, so that a query typed
// in any bracket form finds the document.
func (n Number) Key() string { return analysis.DocNumberKey(n.String()) }

// Parse reads a document number as people type it: any year brackets
// (〔〕 [] 【】 （） () ［］, full-width or not, or none), full-width
// digits, spaces, a 第 or leading zeros before the serial, traditional
// characters. The folding is search's (analysis.DocNumber), so Parse
// accepts exactly the numbers search recognises; the prefix comes back
// folded (皖政辦 → 皖政办). Text that is not a number with a year and a
// serial, or whose prefix is not 2 to 10 Chinese characters, is a 400
// problem naming field.
func Parse(field, text string) (Number, error) {
	key, ok := analysis.DocNumber(text)
	if !ok {
		return Number{}, notANumber(field)
	}
	// The key's form is prefix + four-digit year + "-" + serial
	// (皖政办2026-12); an order (国务院令-664) has no year and is not a
	// number this register gives.
	dash := strings.LastIndexByte(key, '-')
	if dash < 4 {
		return Number{}, notANumber(field)
	}
	prefix, yearText := key[:dash-4], key[dash-4:dash]
	year, err1 := strconv.Atoi(yearText)
	seq, err2 := strconv.ParseInt(key[dash+1:], 10, 64)
	if err1 != nil || err2 != nil {
		return Number{}, notANumber(field)
	}
	n := Number{Prefix: prefix, Year: year, Seq: seq}
	if err := n.validate(field); err != nil {
		return Number{}, err
	}
	return n, nil
}

func notANumber(field string) error {
	return problem.Invalid(problem.Field(field, "不是有效的发文字号（应如 皖政办〔2026〕12号）",
		"not a document number (like 皖政办〔2026〕12号)"))
}

// validate checks each part; field names the number in the problem.
func (n Number) validate(field string) error {
	if err := ValidatePrefix(field, n.Prefix); err != nil {
		return err
	}
	if err := validateYear(field, n.Year); err != nil {
		return err
	}
	if n.Seq < 1 || n.Seq > MaxSeq {
		return problem.Invalid(problem.Field(field, fmt.Sprintf("发文字号的序号必须在 1 至 %d 之间", MaxSeq),
			fmt.Sprintf("the serial must be from 1 to %d", MaxSeq)))
	}
	return nil
}

// ValidatePrefix checks a 机关代字: 2 to 10 Chinese characters, nothing
// else (no letters, digits, spaces, brackets or control characters, which
// would make the printed number ambiguous or unparseable). The problem
// names field.
func ValidatePrefix(field, prefix string) error {
	n := utf8.RuneCountInString(prefix)
	ok := utf8.ValidString(prefix) && n >= MinPrefixRunes && n <= MaxPrefixRunes
	for _, r := range prefix {
		ok = ok && analysis.IsHan(r)
	}
	if !ok {
		return problem.Invalid(problem.Field(field,
			fmt.Sprintf("机关代字必须是 %d 至 %d 个汉字", MinPrefixRunes, MaxPrefixRunes),
			fmt.Sprintf("the issuer code must be %d to %d Chinese characters", MinPrefixRunes, MaxPrefixRunes)))
	}
	return nil
}

func validateYear(field string, year int) error {
	if year < MinYear || year > MaxYear {
		return problem.Invalid(problem.Field(field, fmt.Sprintf("年份必须在 %d 至 %d 之间", MinYear, MaxYear),
			fmt.Sprintf("the year must be from %d to %d", MinYear, MaxYear)))
	}
	return nil
}
