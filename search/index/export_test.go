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

// CloseBleveOnly closes the Bleve index under ix, so that its batches fail.
func (ix *Index) CloseBleveOnly() error { return ix.b.Close() }
