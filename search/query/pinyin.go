package query

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/search/analysis"
)

// A reader who cannot switch to a Chinese input method types the pinyin
// of what they look for: in full (fagaiwei, zhujianting) or as the first
// letters of its syllables (fgw). Nothing indexed is in pinyin, so such a
// query finds nothing; the "did you mean" (Corrections) offers the Chinese
// terms whose pinyin it is, from the synonym list and from titles. Titles
// holding a candidate are found in the index by PinyinTitles: the typed
// pinyin becomes, for each pair of neighbouring syllables, a regular
// expression over the title's bigram terms ([住主注…][建见件…]), so the
// index's term dictionary, not a list kept in memory, is the vocabulary.

// Lengths of a typed pinyin word worth reading as pinyin.
const (
	minInitials      = 2 // fg is too short to guess from titles, but a synonym term may have it
	minTitleInitials = 3 // first letters matched in titles: three at least (fgw)
	maxPinyinChars   = 8 // longer stretches are not typed as pinyin
	maxSegmentations = 4 // ways of cutting a full pinyin into syllables tried in the index
	// maxPinyinRegexps bounds the regular expressions of one PinyinTitles
	// (each costs 1–5 ms to compile): a text of several Latin words is
	// not worth more.
	maxPinyinRegexps = 16
)

// pinyinTables are the readings of the common characters (GB 2312: what
// pinyin input methods offer first) and the reverse maps the index
// queries need.
type pinyinTables struct {
	readings map[rune][]string // character → its readings, no tones, the usual one first (heteronyms too)
	bySyl    map[string][]rune // syllable → characters read so
	// byInitial: first letter → the characters of GB 2312's first level
	// (the 3,755 most common) whose usual reading starts so. The second
	// level's characters make the index's regular expressions for first
	// letters nine times as slow to compile (43 ms against 4.6 ms for
	// zj), for characters rarely abbreviated.
	byInitial map[byte][]rune
}

var (
	pyOnce sync.Once
	py     *pinyinTables
)

// tables builds the pinyin tables once: static data, not the synonym
// list (which is live and read through the default on every call).
func tables() *pinyinTables {
	pyOnce.Do(func() {
		t := &pinyinTables{readings: map[rune][]string{}, bySyl: map[string][]rune{}, byInitial: map[byte][]rune{}}
		args := pinyin.Args{Style: pinyin.Normal, Heteronym: true}
		dec := simplifiedchinese.GBK.NewDecoder()
		for b1 := 0xB0; b1 <= 0xF7; b1++ {
			for b2 := 0xA1; b2 <= 0xFE; b2++ {
				s, err := dec.Bytes([]byte{byte(b1), byte(b2)})
				rs := []rune(string(s))
				if err != nil || len(rs) != 1 || !analysis.IsHan(rs[0]) {
					continue
				}
				r := rs[0]
				rds := pinyin.SinglePinyin(r, args)
				t.readings[r] = rds
				for _, rd := range rds {
					t.bySyl[rd] = append(t.bySyl[rd], r)
				}
				if b1 <= 0xD7 && len(rds) > 0 {
					t.byInitial[rds[0][0]] = append(t.byInitial[rds[0][0]], r)
				}
			}
		}
		py = t
	})
	return py
}

// readingsOf are r's readings without tones; a character outside the
// common set is looked up in the full dictionary.
func (t *pinyinTables) readingsOf(r rune) []string {
	if rds, ok := t.readings[r]; ok {
		return rds
	}
	return pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Normal, Heteronym: true})
}

// IsPinyinWord reports whether a typed (folded) word may be pinyin: ASCII
// letters only, at least two of them.
func IsPinyinWord(w string) bool {
	if len(w) < minInitials {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// Ways of reading a stretch's first letters.
const (
	fullPinyin    = iota // every syllable typed (zhujianting), any reading of a character
	usualInitials        // first letters (zjt) of each character's usual reading
	anyInitials          // first letters of any reading (for the short synonym list only)
)

// spells reports whether the characters rs are read as typed, in the way
// given. First letters of any reading would make a title's common
// characters spell too much: 于 is also read wū, so 府关于 would spell fgw.
func (t *pinyinTables) spells(rs []rune, typed string, way int) bool {
	if way != fullPinyin {
		if len(rs) != len(typed) {
			return false
		}
		for i, r := range rs {
			rds := t.readingsOf(r)
			if way == usualInitials && len(rds) > 1 {
				rds = rds[:1]
			}
			ok := false
			for _, rd := range rds {
				if rd != "" && rd[0] == typed[i] {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	if len(rs) == 0 {
		return typed == ""
	}
	for _, rd := range t.readingsOf(rs[0]) {
		if rd != "" && strings.HasPrefix(typed, rd) && t.spells(rs[1:], typed[len(rd):], fullPinyin) {
			return true
		}
	}
	return false
}

// pinyinTerms are the synonym terms whose pinyin a typed word is, in full
// or as first letters.
func pinyinTerms(w string, syn *analysis.Synonyms) []string {
	t := tables()
	var out []string
	for _, term := range syn.Terms() {
		rs := []rune(term)
		if len(rs) < 2 || len(rs) > maxPinyinChars || !allHan(rs) {
			continue
		}
		if t.spells(rs, w, fullPinyin) || t.spells(rs, w, anyInitials) {
			out = append(out, term)
		}
	}
	return out
}

// pinyinStretches are the stretches of two characters or more of a
// (folded) title whose pinyin a typed word is: in full, or as the first
// letters of the characters' usual readings when it has minTitleInitials
// letters or more.
func pinyinStretches(title []rune, w string) []string {
	t := tables()
	var out []string
	for j := range title {
		for n := 2; n <= maxPinyinChars && j+n <= len(title); n++ {
			win := title[j : j+n]
			if !allHan(win) {
				break
			}
			if t.spells(win, w, fullPinyin) || (len(w) >= minTitleInitials && t.spells(win, w, usualInitials)) {
				out = append(out, string(win))
			}
		}
	}
	return out
}

// syllableCuts are the ways of cutting w into two to maxPinyinChars
// syllables of the common characters, fewest syllables first, at most max.
func (t *pinyinTables) syllableCuts(w string, max int) [][]string {
	var cuts [][]string
	var walk func(rest string, acc []string)
	walk = func(rest string, acc []string) {
		if len(cuts) >= 64 || len(acc) > maxPinyinChars {
			return
		}
		if rest == "" {
			if len(acc) >= 2 {
				cuts = append(cuts, append([]string(nil), acc...))
			}
			return
		}
		for n := min(6, len(rest)); n >= 1; n-- { // the longest syllable is six letters (zhuang)
			if _, ok := t.bySyl[rest[:n]]; ok {
				walk(rest[n:], append(acc, rest[:n]))
			}
		}
	}
	walk(w, nil)
	sort.SliceStable(cuts, func(i, j int) bool { return len(cuts[i]) < len(cuts[j]) })
	if len(cuts) > max {
		cuts = cuts[:max]
	}
	return cuts
}

// PinyinTitles matches the titles that may hold a Chinese stretch whose
// pinyin is a word of text (full pinyin, or first letters from three
// letters), or is nil when no word of text can be pinyin. The matches are
// candidates: Corrections checks which stretch of them spells the word.
func PinyinTitles(text string) query.Query {
	t := tables()
	var qs []query.Query
	budget := maxPinyinRegexps
	for _, w := range pinyinWords(text) {
		var classes [][][]rune // per reading of w: the characters of each position
		for _, cut := range t.syllableCuts(w, maxSegmentations) {
			var pos [][]rune
			for _, syl := range cut {
				pos = append(pos, t.bySyl[syl])
			}
			classes = append(classes, pos)
		}
		if len(w) >= minTitleInitials && len(w) <= maxPinyinChars {
			var pos [][]rune
			for i := 0; i < len(w); i++ {
				pos = append(pos, t.byInitial[w[i]])
			}
			classes = append(classes, pos)
		}
		for _, pos := range classes {
			if budget -= len(pos) - 1; budget < 0 {
				break // English words typed, say: enough guessing
			}
			if q := bigramChain(pos); q != nil {
				qs = append(qs, q)
			}
		}
	}
	if len(qs) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(qs)
}

// bigramChain matches titles holding, for every pair of neighbouring
// positions, a bigram of their characters; nil when a position has none.
func bigramChain(pos [][]rune) query.Query {
	var and []query.Query
	for i := 0; i+1 < len(pos); i++ {
		if len(pos[i]) == 0 || len(pos[i+1]) == 0 {
			return nil
		}
		rq := query.NewRegexpQuery(charClass(pos[i]) + charClass(pos[i+1]))
		rq.SetField(FieldTitle)
		and = append(and, rq)
	}
	if len(and) == 0 {
		return nil
	}
	return query.NewConjunctionQuery(and)
}

func charClass(rs []rune) string {
	var b strings.Builder
	b.WriteByte('[')
	for _, r := range rs {
		b.WriteString(regexp.QuoteMeta(string(r)))
	}
	b.WriteByte(']')
	return b.String()
}

// pinyinWords are the words of text that may be pinyin, and, when every
// word may be and there are several (zhu jian ting), all of them run
// together.
func pinyinWords(text string) []string {
	words := strings.Fields(analysis.Fold(text))
	var out []string
	all := len(words) > 1
	for _, w := range words {
		if IsPinyinWord(w) {
			out = append(out, w)
		} else {
			all = false
		}
	}
	if all {
		out = append(out, strings.Join(words, ""))
	}
	return out
}
