package query

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/analysis"
)

// Boosts of the autocomplete clauses: a title that starts with what was
// typed ranks above one that only holds it.
const (
	boostTitleStart = 2
	boostTitleHolds = 1
	boostExactTyped = 3 // Suggest: the text as typed above near misses
)

// Autocomplete is the query behind title autocomplete: documents whose
// title holds what was typed (关于加, 森林防火), anywhere in it, those
// that start with it first. Nothing typed matches nothing. Sort the hits
// by score, then by date, and show their titles.
func Autocomplete(typed string) query.Query {
	key := analysis.PrefixKey(typed)
	if key == "" {
		return query.NewMatchNoneQuery()
	}
	return query.NewDisjunctionQuery([]query.Query{
		boosted(termQ(FieldTitlePrefix, key), boostTitleStart),
		titleHolds(key),
	})
}

// titleHolds matches the titles that hold key (a PrefixKey) anywhere: as a
// phrase of the title's bigrams, or, for one character, as the start of
// one of its terms (a lone character is not a term of a bigram index).
func titleHolds(key string) query.Query {
	if utf8.RuneCountInString(key) == 1 {
		pq := query.NewPrefixQuery(key)
		pq.SetField(FieldTitle)
		pq.SetBoost(boostTitleHolds)
		return pq
	}
	pq := query.NewMatchPhraseQuery(key)
	pq.SetField(FieldTitle)
	pq.Analyzer = analysis.Analyzer
	pq.SetBoost(boostTitleHolds)
	return pq
}

// Suggest is Autocomplete that tolerates typing mistakes, so 森林草源火灾
// still suggests titles with 森林草原火灾. Besides the titles that hold
// what was typed (ranked first), it matches titles that start within an
// edit distance of one character (two from six characters) of it, and
// titles holding all but the bigrams a mistyped character spoils (two per
// character). It serves the "did you mean" of a search that found
// nothing, too.
func Suggest(typed string) query.Query {
	key := analysis.PrefixKey(typed)
	n := utf8.RuneCountInString(key)
	if n == 0 {
		return query.NewMatchNoneQuery()
	}
	if n < 2 {
		return Autocomplete(typed)
	}
	edits := 1
	if n >= 6 {
		edits = 2
	}
	exact := Autocomplete(typed).(*query.DisjunctionQuery)
	exact.SetBoost(boostExactTyped)
	fz := query.NewFuzzyQuery(key)
	fz.SetField(FieldTitlePrefix)
	fz.SetFuzziness(edits)
	qs := []query.Query{exact, fz}
	if near := nearTitle(key, edits); near != nil {
		qs = append(qs, near)
	}
	return query.NewDisjunctionQuery(qs)
}

// nearTitle matches titles holding all of key's bigrams but those that
// edits wrong characters can spoil, or nil when that would be none.
func nearTitle(key string, edits int) query.Query {
	var terms []query.Query
	seen := map[string]bool{}
	for _, t := range (Options{TextAnalyzer: analysis.Analyzer}).terms(key) {
		if !seen[t] {
			seen[t] = true
			terms = append(terms, termQ(FieldTitle, t))
		}
	}
	need := len(terms) - 2*edits
	if need < 1 {
		return nil
	}
	d := query.NewDisjunctionQuery(terms)
	d.SetMin(float64(need))
	return d
}
