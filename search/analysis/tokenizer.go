package analysis

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Mode says which tokens a Tokenizer emits for a run of Chinese characters.
type Mode int

// The tokenizer modes measured in ADR 0006.
const (
	// Bigrams: overlapping character pairs (中华人民 → 中华 华人 人民), as
	// Bleve's cjk analyzer does; a lone character is a unigram. Needs no
	// dictionary; finds any substring of two or more characters.
	Bigrams Mode = iota + 1
	// Words: the segmenter's words, one position each.
	Words
	// Hybrid: the bigrams, plus each word of three or more characters at
	// the position of its first bigram (a two-character word is a bigram
	// already). Phrases match wherever the bigrams do, so a query cut
	// differently from the document still matches; whole words add a term
	// that scores documents using the word above ones that only contain
	// its characters.
	Hybrid
	// unitMode: each Chinese character alone (for PrefixAnalyzer).
	unitMode
)

// Segmenter cuts a run of Chinese characters into words whose
// concatenation is the run.
type Segmenter interface {
	Cut(run string) []string
}

// Tokenizer is the Bleve tokenizer behind Zhengwu's analyzers: it folds the
// text (FoldRune), splits it into runs of Chinese characters and runs of
// letters and digits, and tokenizes the Chinese runs by Mode. Offsets refer
// to the input as given, so highlighting marks the original text.
type Tokenizer struct {
	Mode Mode
	Seg  Segmenter // for Words and Hybrid
}

type foldedRune struct {
	r          rune
	start, end int // byte offsets in the input
}

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	runes := make([]foldedRune, 0, len(input)/3+1)
	for i := 0; i < len(input); {
		r, n := utf8.DecodeRune(input[i:])
		runes = append(runes, foldedRune{FoldRune(r), i, i + n})
		i += n
	}
	stream := make(analysis.TokenStream, 0, len(runes)+len(runes)/4)
	pos := 1
	for i := 0; i < len(runes); {
		r := runes[i].r
		switch {
		case IsHan(r):
			j := i + 1
			for j < len(runes) && IsHan(runes[j].r) {
				j++
			}
			stream, pos = t.han(stream, runes[i:j], pos)
			i = j
		case isAlnum(r):
			j := i + 1
			for j < len(runes) && isAlnum(runes[j].r) {
				j++
			}
			term := make([]byte, 0, j-i)
			for _, fr := range runes[i:j] {
				term = utf8.AppendRune(term, fr.r)
			}
			stream = append(stream, &analysis.Token{
				Term: term, Start: runes[i].start, End: runes[j-1].end,
				Position: pos, Type: analysis.AlphaNumeric,
			})
			pos++
			i = j
		default:
			i++
		}
	}
	return stream
}

// han tokenizes one run of Chinese characters starting at position pos and
// returns the next free position.
func (t *Tokenizer) han(stream analysis.TokenStream, run []foldedRune, pos int) (analysis.TokenStream, int) {
	tok := func(from, to, p int) *analysis.Token {
		term := make([]byte, 0, 3*(to-from))
		for _, fr := range run[from:to] {
			term = utf8.AppendRune(term, fr.r)
		}
		return &analysis.Token{Term: term, Start: run[from].start, End: run[to-1].end, Position: p, Type: analysis.Ideographic}
	}
	if t.Mode == unitMode {
		for k := range run {
			stream = append(stream, tok(k, k+1, pos))
			pos++
		}
		return stream, pos
	}
	if t.Mode == Words {
		for _, w := range t.cut(run) {
			stream = append(stream, tok(w[0], w[1], pos))
			pos++
		}
		return stream, pos
	}
	if len(run) == 1 {
		return append(stream, tok(0, 1, pos)), pos + 1
	}
	for k := 0; k+1 < len(run); k++ {
		stream = append(stream, tok(k, k+2, pos+k))
	}
	if t.Mode == Hybrid {
		for _, w := range t.cut(run) {
			if w[1]-w[0] >= 3 {
				stream = append(stream, tok(w[0], w[1], pos+w[0]))
			}
		}
	}
	return stream, pos + len(run) - 1
}

// cut returns the words of run as rune index ranges [from, to).
func (t *Tokenizer) cut(run []foldedRune) [][2]int {
	s := make([]byte, 0, 3*len(run))
	for _, fr := range run {
		s = utf8.AppendRune(s, fr.r)
	}
	words := t.Seg.Cut(string(s))
	out := make([][2]int, 0, len(words))
	k := 0
	for _, w := range words {
		n := utf8.RuneCountInString(w)
		if n == 0 {
			continue
		}
		if k+n > len(run) {
			n = len(run) - k
		}
		out = append(out, [2]int{k, k + n})
		k += n
		if k >= len(run) {
			break
		}
	}
	return out
}
