package query

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/analysis"
)

// Autocomplete is the query behind title autocomplete: documents whose
// title has a word that starts with what was typed (关于加, 森林防火),
// anywhere in the title. Nothing typed matches nothing. Sort the hits by
// score, then by date, and show their titles.
func Autocomplete(typed string) query.Query {
	key := analysis.PrefixKey(typed)
	if key == "" {
		return query.NewMatchNoneQuery()
	}
	return termQ(FieldTitlePrefix, key)
}

// Suggest is Autocomplete that tolerates typing mistakes: besides the
// exact prefix it matches title prefixes within an edit distance of one
// character (two for six characters or more) of what was typed, so
// 森林草源火灾 still suggests titles with 森林草原火灾. Exact prefixes rank
// first. It serves the "did you mean" of a search that found nothing, too.
func Suggest(typed string) query.Query {
	key := analysis.PrefixKey(typed)
	n := utf8.RuneCountInString(key)
	if n == 0 {
		return query.NewMatchNoneQuery()
	}
	exact := termQ(FieldTitlePrefix, key)
	if n < 2 {
		return exact
	}
	exact.SetBoost(3)
	fz := query.NewFuzzyQuery(key)
	fz.SetField(FieldTitlePrefix)
	fz.SetFuzziness(1)
	if n >= 6 {
		fz.SetFuzziness(2)
	}
	return query.NewDisjunctionQuery([]query.Query{exact, fz})
}
