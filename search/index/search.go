package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
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
	ctx, span := ix.startSpan(ctx, "index.search")
	res, err := ix.search(ctx, req)
	hits := int64(-1)
	if res != nil {
		hits = int64(res.Total)
	}
	endSpan(span, hits, err)
	return res, err
}

func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if ix.isClosed() {
		return nil, ErrClosed
	}
	if err := ix.readsTrimmed(req); err != nil {
		return nil, err
	}
	if ix.fastFacets(req) {
		return ix.searchWithFacets(ctx, req)
	}
	return ix.b.SearchInContext(ctx, req)
}

// DocFreq is how many of the index's documents hold term in field, and
// how many documents the index holds (0, 0 when it cannot tell): how
// common a term is, for query.Options.DocFreq. It costs a dictionary
// lookup per segment. Deleted documents still count until a merge drops
// them, which is close enough for telling common terms from rare ones.
func (ix *Index) DocFreq(field, term string) (n, total uint64) {
	if ix.isClosed() {
		return 0, 0
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return 0, 0
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, 0
	}
	defer r.Close()
	total, err = r.DocCount()
	if err != nil || total == 0 {
		return 0, 0
	}
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0, 0
	}
	defer tfr.Close()
	return tfr.Count(), total
}

// readsTrimmed refuses a request that asks for a part of a field the
// mapping leaves out (Unstored, Unsorted): Bleve would answer it with
// nothing, a hit without the field or a facet without counts, and the
// mistake would go unnoticed.
func (ix *Index) readsTrimmed(req *bleve.SearchRequest) error {
	for _, f := range req.Fields {
		if why := ix.m.trimmedRead(f, true); why != "" {
			return fmt.Errorf("index %s: a hit cannot show %s: it %s", ix.name, f, why)
		}
	}
	for _, fr := range req.Facets {
		if fr == nil {
			continue
		}
		if why := ix.m.trimmedRead(fr.Field, false); why != "" {
			return fmt.Errorf("index %s: no facet on %s: it %s", ix.name, fr.Field, why)
		}
	}
	for _, so := range req.Sort {
		if sf, ok := so.(*search.SortField); ok {
			if why := ix.m.trimmedRead(sf.Field, false); why != "" {
				return fmt.Errorf("index %s: no sort by %s: it %s", ix.name, sf.Field, why)
			}
		}
	}
	return nil
}
