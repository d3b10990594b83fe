package query

import (
	"strings"
	"unicode/utf8"

	"zhengwu/search/analysis"
)

// MaxCorrections is how many variants Corrections offers at most.
const MaxCorrections = 5

// Corrections are the variants of a text that found nothing which a "did
// you mean" may offer (issue 15 item 6), most likely first: each typed word
// of three characters or more with one character changed (two from six characters) so that it becomes
// a term of the synonym list (主建厅 → 住建厅, 发该委 → 发改委) or a stretch
// of one of titles (the titles query.Suggest found for the text: near
// characters, 森林草源 → 森林草原). The caller checks which of them find
// something. Traditional characters and full-width forms need no
// correction: the analyzer folds them, so they find what their simplified
// forms find. A word typed in pinyin (fagaiwei, zhujianting, or the first
// letters fgw) becomes the synonym terms and the stretches of the titles
// whose pinyin it is (pinyin.go; the titles of PinyinTitles); when every
// word is pinyin, all of them run together are one word too (zhu jian
// ting). syn nil is the list Build expands with.
func Corrections(text string, titles []string, syn *analysis.Synonyms) []string {
	if syn == nil {
		syn = defaultSynonyms()
	}
	words := strings.Fields(analysis.Fold(text))
	var out []string
	seen := map[string]bool{strings.Join(words, " "): true}
	add := func(i int, w string) {
		v := append(append(append([]string{}, words[:i]...), w), words[i+1:]...)
		s := strings.Join(v, " ")
		if !seen[s] && len(out) < MaxCorrections {
			seen[s] = true
			out = append(out, s)
		}
	}
	var folded [][]rune
	for _, t := range titles {
		folded = append(folded, []rune(analysis.Fold(t)))
	}
	for i, w := range words {
		if IsPinyinWord(w) {
			for _, c := range fromPinyin(w, folded, syn) {
				add(i, c)
			}
			continue
		}
		rw := []rune(w)
		if len(rw) < 3 || !allHan(rw) {
			// A two-character word is one character away from thousands
			// of others: no guess would be a good one.
			continue
		}
		edits := 1
		if len(rw) >= 6 {
			edits = 2
		}
		for _, t := range syn.Terms() {
			if d := differ([]rune(t), rw); d > 0 && d <= 1 {
				add(i, t)
			}
		}
		for _, t := range folded {
			for j := 0; j+len(rw) <= len(t); j++ {
				win := t[j : j+len(rw)]
				if d := differ(win, rw); d > 0 && d <= edits && allHan(win) {
					add(i, string(win))
				}
			}
		}
	}
	if all := pinyinWords(text); len(words) > 1 && len(all) == len(words)+1 {
		for _, c := range fromPinyin(all[len(all)-1], folded, syn) {
			if !seen[c] && len(out) < MaxCorrections {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// fromPinyin are the Chinese terms a pinyin word may stand for: synonym
// terms first (the names people abbreviate), then stretches of titles.
func fromPinyin(w string, titles [][]rune, syn *analysis.Synonyms) []string {
	out := pinyinTerms(w, syn)
	for _, t := range titles {
		out = append(out, pinyinStretches(t, w)...)
	}
	return out
}

// differ counts the positions where a and b differ, or -1 when their
// lengths do.
func differ(a, b []rune) int {
	if len(a) != len(b) {
		return -1
	}
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !analysis.IsHan(r) {
			return false
		}
	}
	return utf8.RuneCountInString(string(rs)) > 0
}
