package relevance

import (
	_ "embed"
	"strings"
)

// extra-queries.jsonl holds Zhengwu's own known-item cases over the
// development corpus, beside the set's queries: document numbers in every
// spelling (docnumber), abbreviations for full names and back (synonym),
// single rare characters (char), traditional-character queries
// (traditional) and full-width digits and letters (fullwidth).
//
//go:embed testdata/extra-queries.jsonl
var extraQueries string

// ExtraQueries are the embedded extra cases (testdata/extra-queries.jsonl).
func ExtraQueries() []Query {
	qs, err := ParseQueries(strings.NewReader(extraQueries), "extra-queries.jsonl")
	if err != nil {
		panic(err) // checked by the tests
	}
	return qs
}
