package query

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// filteredQuery is a query whose matches are q's that filter also
// matches, scored by q alone: what a Bleve boolean query with q its only
// must clause and filter its filter finds, without the boolean and the
// one-clause conjunction Bleve wraps q in, which visit and re-score every
// match of q (on 100k documents, a common word narrowed to a channel
// spent a quarter of its time in those two layers).
type filteredQuery struct {
	q, filter query.Query
}

func (f *filteredQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	qs, err := f.q.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	// The filter selects without scores or term vectors, as Bleve's does.
	fs, err := f.filter.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		_ = qs.Close()
		return nil, err
	}
	return &filteringSearcher{FilteringSearcher: searcher.NewFilteringSearcher(ctx, qs, accept(fs)), filter: fs}, nil
}

// accept is the filter function of a filtering searcher: whether the
// filter's searcher holds the document, advancing it along the documents
// offered (which come in increasing order).
func accept(fs search.Searcher) searcher.FilterFunc {
	var ref *search.DocumentMatch
	started := false
	return func(sctx *search.SearchContext, d *search.DocumentMatch) bool {
		var err error
		if !started {
			started = true
			if ref, err = fs.Next(sctx); err != nil {
				return false
			}
		}
		if ref == nil {
			return false
		}
		if ref.IndexInternalID.Compare(d.IndexInternalID) < 0 {
			sctx.DocumentMatchPool.Put(ref)
			if ref, err = fs.Advance(sctx, d.IndexInternalID); err != nil || ref == nil {
				ref = nil
				return false
			}
		}
		return ref.IndexInternalID.Equals(d.IndexInternalID)
	}
}

// filteringSearcher closes the filter's searcher with the query's.
type filteringSearcher struct {
	*searcher.FilteringSearcher
	filter search.Searcher
}

func (s *filteringSearcher) Close() error {
	err := s.FilteringSearcher.Close()
	if ferr := s.filter.Close(); err == nil {
		err = ferr
	}
	return err
}
