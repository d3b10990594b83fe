package index

import (
	"context"

	"github.com/blevesearch/bleve/v2"
)

// Search runs a Bleve search request on the index as it is: the full-text
// side (relevance-scored queries from package query, highlighting, facets),
// which List, built for filtered and sorted lists, does not cover. Access
// control is the caller's: it must be part of req.Query.
func (ix *Index) Search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if ix.isClosed() {
		return nil, ErrClosed
	}
	return ix.b.SearchInContext(ctx, req)
}
