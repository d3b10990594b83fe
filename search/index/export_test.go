package index

import (
	"context"

	"github.com/blevesearch/bleve/v2"
)

// BleveSearch is Search without the index's own facet counting: Bleve's
// result, to compare with.
func (ix *Index) BleveSearch(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return ix.b.SearchInContext(ctx, req)
}
