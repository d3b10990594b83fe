package query

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/analysis"
	"zhengwu/search/index"
)

// DocPrefix is the query listing the documents whose number starts with
// what was typed, when it has the shape of a number's start
// (analysis.DocNumberPrefix: an issuer's code, optionally a year in any
// brackets): a term on FieldDocPrefix as a filter under a match-all, so
// that every document scores alike (Search orders them newest first).
// ok is false for any other text.
func DocPrefix(text string) (q query.Query, ok bool) {
	key, ok := analysis.DocNumberPrefix(text)
	if !ok {
		return nil, false
	}
	return Filtered(query.NewMatchAllQuery(), termQ(FieldDocPrefix, key)), true
}

// searchDocPrefix answers text as the start of a document number (see
// DocPrefix) when some document the reader may see (base) has a number
// starting so; found is false otherwise, and the caller ranks the text as
// words. Whether the reader sees one is what decides, not whether the
// index holds one, so a classified number's code turns nobody else's
// query into an empty list. The shape alone does not decide either: 皖政
// looks like a code, and only lists when some number starts with it.
func searchDocPrefix(ctx context.Context, s Searcher, text string, opts Options, base, narrow []query.Query,
	req func(query.Query) *bleve.SearchRequest) (res *bleve.SearchResult, found bool, err error) {
	pq, ok := DocPrefix(text)
	if !ok {
		return nil, false, nil
	}
	if opts.DocFreq != nil {
		// A term lookup: no search for the many short texts that no
		// number starts with.
		if key, _ := analysis.DocNumberPrefix(text); key != "" {
			if n, _ := opts.DocFreq(FieldDocPrefix, key); n == 0 {
				return nil, false, nil
			}
		}
	}
	if len(narrow) > 0 {
		// Decided on base alone, as SearchNarrowed decides, so that the
		// facet counts and a narrowed page come from the same query.
		res, err := s.Search(ctx, bleve.NewSearchRequestOptions(Filtered(pq, base...), 0, 0, false))
		if err != nil || res.Total == 0 {
			return nil, false, err
		}
		res, err = s.Search(ctx, newestFirst(req(Filtered(pq, append(append([]query.Query{}, base...), narrow...)...))))
		return res, err == nil, err
	}
	res, err = s.Search(ctx, newestFirst(req(Filtered(pq, base...))))
	if err != nil || res.Total == 0 {
		return nil, false, err
	}
	return res, true, nil
}

// newestFirst orders a listing by publication, newest first, where r
// orders by relevance (every document of a listing scores alike); an order
// the caller chose otherwise (by date already, by a field) stays.
func newestFirst(r *bleve.SearchRequest) *bleve.SearchRequest {
	if len(r.Sort) > 0 {
		if s, ok := r.Sort[0].(*search.SortScore); !ok || !s.Desc {
			return r
		}
	}
	r.SortBy([]string{"-" + FieldPublishedAt, index.KeyField})
	return r
}
