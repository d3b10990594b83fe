package index

import (
	"context"

	"github.com/blevesearch/bleve/v2"
)

// Search runs a Bleve search request on the index as it is: the full-text
// side (relevance-scored queries from package query, highlighting, facets),
// which List, built for filtered and sorted lists, does not cover. Access
// control is the caller's: it must be part of req.Query.
//
// Terms facets on Keyword fields are counted by the index itself, not by
// Bleve (see facets.go): the same counts, several times faster. The
// result's Total then comes from the same pass as the facets.
func (ix *Index) Search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if ix.isClosed() {
		return nil, ErrClosed
	}
	if ix.fastFacets(req) {
		return ix.searchWithFacets(ctx, req)
	}
	return ix.b.SearchInContext(ctx, req)
}
