package query

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"zhengwu/search/analysis"
)

// RerankBand is how close two scores must be, relative to the higher, for
// Rerank to treat the hits as a near-tie: the scorer's differences inside
// it come from field lengths and term counts of the body, which say little
// about which title a reader who typed a few words meant. Measured on the
// development set (issue 15, typed words' MRR@10 from 0.854): 0.02 0.849,
// 0.1 0.858, 0.2 0.865, 0.3 0.870, 0.5 0.869, the whole page 0.877 (no
// other kind moved); 0.3 is the narrowest band that takes most of the
// gain, and keeps the scorer's order where it is clearly decided.
const RerankBand = 0.30

// RerankFields are the stored fields Rerank reads from each hit: a request
// whose page is to be re-ranked asks for them (the search API's hits carry
// them already).
var RerankFields = []string{FieldTitle, FieldValidity}

// Rerank reorders, on the first page of a search ordered by relevance, the
// hits whose scores are near-ties (within RerankBand of the first hit of
// their run) by signals the scorer does not weigh: whether the policy file
// is still in force (有效 before 废止 or 失效), how many of the typed words
// (text split at spaces) the title holds, how close together it holds them
// (the fewest characters between them), and the share of the title they
// cover (a title that is mostly the query first). It reads only the hits'
// stored fields (RerankFields): no read per hit. A hit whose signals equal
// another's keeps its place, so a page without titles is left as it was.
//
// Freshness, issuing level, document type (a title ending with a typed
// word) and body agreement were measured as further tie-breaks on the
// development set and left out: none raised typed words without lowering
// them or another kind (docs/relevance-typed-words.md).
//
// It leaves alone a page other than the first (the set of hits on each
// page stays the scorer's, so pages neither repeat nor skip a hit), a
// listing ordered otherwise (by date, or a document-number listing), and
// an empty text.
func Rerank(text string, res *bleve.SearchResult) {
	if res == nil || len(res.Hits) < 2 || !rankedByScore(res.Request) {
		return
	}
	words := typedWords(text)
	if len(words) == 0 {
		return
	}
	hits := res.Hits
	for start := 0; start < len(hits); {
		end := start + 1
		floor := hits[start].Score * (1 - RerankBand)
		for end < len(hits) && hits[end].Score >= floor {
			end++
		}
		if end-start > 1 {
			rerankRun(words, hits[start:end])
		}
		start = end
	}
}

// rankedByScore reports whether r asks for the first page ordered by
// score, best first.
func rankedByScore(r *bleve.SearchRequest) bool {
	if r == nil || r.From != 0 {
		return false
	}
	if len(r.Sort) == 0 {
		return true // Bleve's default order is by score
	}
	s, ok := r.Sort[0].(*search.SortScore)
	return ok && s.Desc
}

// tieSignals are what Rerank orders a run of near-ties by.
type tieSignals struct {
	outOfForce bool    // a policy file 废止 or 失效
	held       int     // typed words the title holds
	slack      int     // characters between the held words, in the title
	cover      float64 // share of the title's characters the held words are
}

// before reports whether a hit with signals a goes before one with b.
func (a tieSignals) before(b tieSignals) bool {
	if a.outOfForce != b.outOfForce {
		return !a.outOfForce
	}
	if a.held != b.held {
		return a.held > b.held
	}
	if a.slack != b.slack {
		return a.slack < b.slack
	}
	return a.cover > b.cover
}

func rerankRun(words []string, run search.DocumentMatchCollection) {
	sig := make(map[*search.DocumentMatch]tieSignals, len(run))
	for _, h := range run {
		sig[h] = signalsOf(words, h)
	}
	sort.SliceStable(run, func(i, j int) bool { return sig[run[i]].before(sig[run[j]]) })
}

func signalsOf(words []string, h *search.DocumentMatch) tieSignals {
	var s tieSignals
	validity, _ := h.Fields[FieldValidity].(string)
	s.outOfForce = strings.Contains(validity, "废止") || strings.Contains(validity, "失效")
	rawTitle, _ := h.Fields[FieldTitle].(string)
	title := comparableText(rawTitle)
	if title == "" {
		return s
	}
	first, last, held := len(title), 0, 0 // held: characters of the held words
	for _, w := range words {
		i := strings.Index(title, w)
		if i < 0 {
			continue
		}
		s.held++
		held += utf8.RuneCountInString(w)
		first, last = min(first, i), max(last, i+len(w))
	}
	if s.held == 0 {
		return s
	}
	// In characters, not bytes (a Chinese character is three); words that
	// overlap in the title (委员会, 委员) leave no slack.
	span := utf8.RuneCountInString(title[first:last])
	s.slack = max(0, span-held)
	s.cover = float64(held) / float64(utf8.RuneCountInString(title))
	return s
}

// typedWords are the words of text as a reader separated them, each
// comparable (see comparableText), without repeats.
func typedWords(text string) []string {
	var words []string
	seen := map[string]bool{}
	for _, f := range strings.Fields(text) {
		if w := comparableText(f); w != "" && !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// comparableText is s folded (analysis.Fold: traditional to simplified,
// width, case) with only its Chinese characters, letters and digits, so
// that punctuation and spacing in a title do not part the words a reader
// typed.
func comparableText(s string) string {
	var b strings.Builder
	for _, r := range analysis.Fold(s) {
		if analysis.IsHan(r) || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
