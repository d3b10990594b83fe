package records

import (
	"context"

	"zhengwu/search/index"
	"zhengwu/shared/auth"
)

// Count is how many documents match filters that p may read, in all and
// by the values of one keyword field (facet): an unread badge per kind
// without listing the documents.
func (c *Collection[T]) Count(ctx context.Context, p *auth.Principal, facet string, filters ...index.Filter) (uint64, map[string]uint64, error) {
	by := map[string]uint64{}
	if p == nil {
		return 0, by, nil
	}
	f := append([]index.Filter{index.Terms(fReaders, p.Tokens()...),
		index.Range(fClassRank, 0, p.Clearance.Rank()+1)}, filters...)
	res, err := c.Index().List(ctx, index.Query{Filters: f, Size: 1, Facets: []index.Facet{{Field: facet, Size: 100}}})
	if err != nil {
		return 0, nil, listErr(err)
	}
	for _, t := range res.Facets[facet].Terms {
		by[t.Term] = uint64(t.Count)
	}
	return res.Total, by, nil
}
