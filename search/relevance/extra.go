package relevance

import (
	_ "embed"
	"strings"
)

// extra-queries.jsonl holds Zhengwu's own known-item cases over the
// development corpus, beside the set's queries: document numbers in every
// spelling (docnumber), abbreviations for full names and back (synonym),
// single rare characters (char), traditional-character queries
// (traditional), full-width digits and letters (fullwidth), and the start
// of a document number (docprefix).
//
// The docprefix cases follow one rule over the corpus: for every issuer's
// code and code with year that starts a number (analysis.DocNumberPrefixes),
// the wanted document is the newest holding it (a code whose newest date
// two documents share is left out); the code is typed as it is, a code
// with year as 〔Y〕, [Y], （Y） and " Y". A listing newest first ranks it
// first.
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

// precision-queries.jsonl holds queries that want no one document, scored
// by precision only (kind precision): the abbreviations and full names of
// issue 15 item 5, whose top hits held only a common bigram of theirs
// (发展 for 发改委, 建设 for 住房和城乡建设厅), and a few like them.
//
//go:embed testdata/precision-queries.jsonl
var precisionQueries string

// PrecisionQueries are the embedded precision-only cases.
func PrecisionQueries() []Query {
	qs, err := ParseQueries(strings.NewReader(precisionQueries), "precision-queries.jsonl")
	if err != nil {
		panic(err) // checked by the tests
	}
	return qs
}
