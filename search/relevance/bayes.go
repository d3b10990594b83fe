package relevance

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// BayesCeiling is the expected MRR@K, over the queries of kind whose
// wanted title holds every typed word, of the best order a ranker reading
// only the titles can give, under the model of how such a query is made:
// the wanted document a uniform draw from docs, and the reader's k words
// a uniform pick of its title's m words (of two or more characters, as
// cut cuts them), so that a title holding the k words is their source
// with chance proportional to 1/C(m,k). The best order is by that chance;
// the expectation is Σ p_i / rank_i over the titles holding the words,
// p normalised among them. A kind whose MRR is at this bound has nothing
// left for a title signal; beyond it lies only what the model leaves out
// (a prior on which documents are sought, such as freshness). -1 when no
// query of the kind bounds it.
func BayesCeiling(docs []Document, qs []Query, kind string, cut func(string) []string) float64 {
	type title struct {
		text  string
		words int
	}
	titles := make(map[string]title, len(docs))
	for _, d := range docs {
		t := comparable(d.Title)
		n := 0
		for _, w := range cut(t) {
			if utf8.RuneCountInString(w) >= 2 {
				n++
			}
		}
		titles[d.ID] = title{t, n}
	}
	holds := func(t string, words []string) bool {
		for _, w := range words {
			if !strings.Contains(t, w) {
				return false
			}
		}
		return len(words) > 0
	}
	sum, n := 0.0, 0
	for _, q := range qs {
		words := typedWords(q.Query)
		if q.Kind != kind || !holds(titles[q.DocID].text, words) {
			continue
		}
		var chances []float64
		total := 0.0
		for _, t := range titles {
			if holds(t.text, words) {
				c := 1 / choose(max(t.words, len(words)), len(words))
				chances = append(chances, c)
				total += c
			}
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(chances)))
		for r, c := range chances[:min(len(chances), K)] {
			sum += c / total / float64(r+1)
		}
		n++
	}
	if n == 0 {
		return -1
	}
	return sum / float64(n)
}

// choose is the binomial coefficient C(m, k).
func choose(m, k int) float64 {
	c := 1.0
	for i := range k {
		c = c * float64(m-i) / float64(i+1)
	}
	return c
}
