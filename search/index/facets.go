package index

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facet counting.
//
// Bleve counts a terms facet by reading the field's doc values for every
// matching document: on 100k documents a one-word query with facets took
// ten times as long as without (docs/adr/0006). Index.Search counts the
// terms facets of Keyword fields itself instead, from columns: for each
// segment of the index and each facet field, the values of every document
// as numbers, read from the doc values once per segment (segments are
// immutable; a merge makes a new one). Counting is then a few array reads
// per match and field. The counts are the same as Bleve's; the facet pass
// also gives the request's total, so that total and facets always agree.

// facetColumns caches the columns of the index's live segments.
type facetColumns struct {
	mu     sync.Mutex
	segs   map[uint64]*segmentColumns // by scorch segment id
	fields map[string]bool            // the fields facets were asked for
}

// warmEvery is how often the index looks for segments (new, or made by a
// merge) whose columns are not built yet.
const warmEvery = 500 * time.Millisecond

// segmentColumns are the columns of one segment, built per field on first use.
type segmentColumns struct {
	cols sync.Map   // field → *column
	mu   sync.Mutex // held while a column is built
}

// column is one field of one segment, as numbers: the values of local
// document d are vals[start[d]:start[d+1]], each 1 + an index into terms.
type column struct {
	terms []string
	start []uint32
	vals  []uint32
}

// fastFacets reports whether every facet of req is a terms facet on a
// Keyword field without a prefix or pattern, which Search counts itself.
func (ix *Index) fastFacets(req *bleve.SearchRequest) bool {
	if len(req.Facets) == 0 {
		return false
	}
	for _, f := range req.Facets {
		if f == nil || len(f.NumericRanges) > 0 || len(f.DateTimeRanges) > 0 || f.TermPrefix != "" || f.TermPattern != "" {
			return false
		}
		if k, ok := ix.m.KindOf(f.Field); !ok || k != Keyword {
			return false
		}
	}
	return true
}

// countFacets runs req's query without scores over one snapshot of the
// index and returns the number of matches and the facet results req asks for.
func (ix *Index) countFacets(ctx context.Context, req *bleve.SearchRequest) (uint64, search.FacetResults, error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return 0, nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, nil, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, nil, fmt.Errorf("index %s: facets need a scorch index", ix.name)
	}
	searcher, err := req.Query.Searcher(ctx, r, ix.im, search.SearcherOptions{Score: "none"})
	if err != nil {
		return 0, nil, err
	}
	defer searcher.Close()

	names := make([]string, 0, len(req.Facets))
	for name := range req.Facets {
		names = append(names, name)
	}
	slices.Sort(names)
	ix.facets.want(req)
	segs := snap.Segments()
	offsets := make([]uint64, len(segs))
	cols := make([][]*column, len(segs)) // [segment][facet]
	var running uint64
	for i, ss := range segs {
		offsets[i] = running
		running += ss.Segment().Count()
		cols[i] = make([]*column, len(names))
		sc := ix.facets.segment(ss.Id())
		for j, name := range names {
			if cols[i][j], err = sc.column(ss.Segment(), req.Facets[name].Field); err != nil {
				return 0, nil, err
			}
		}
	}
	ix.facets.prune(segs)

	counts := make([][][]int, len(segs)) // [segment][facet][ord]
	for i := range segs {
		counts[i] = make([][]int, len(names))
		for j, c := range cols[i] {
			counts[i][j] = make([]int, len(c.terms)+1)
		}
	}
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(searcher.DocumentMatchPoolSize(), 0)}
	var total uint64
	for {
		if total%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, nil, err
			}
		}
		dm, err := searcher.Next(sctx)
		if err != nil {
			return 0, nil, err
		}
		if dm == nil {
			break
		}
		total++
		n := dm.IndexInternalID.Value()
		si := sort.Search(len(offsets), func(x int) bool { return offsets[x] > n }) - 1
		local := n - offsets[si]
		for j, c := range cols[si] {
			if local+1 >= uint64(len(c.start)) {
				continue
			}
			from, to := c.start[local], c.start[local+1]
			if from == to {
				counts[si][j][0]++ // missing
			}
			for _, v := range c.vals[from:to] {
				counts[si][j][v]++
			}
		}
		sctx.DocumentMatchPool.Put(dm)
	}

	out := search.FacetResults{}
	for j, name := range names {
		byTerm := map[string]int{}
		missing := 0
		for i := range segs {
			missing += counts[i][j][0]
			for ord, n := range counts[i][j][1:] {
				if n > 0 {
					byTerm[cols[i][j].terms[ord]] += n
				}
			}
		}
		out[name] = facetResult(req.Facets[name], byTerm, missing)
	}
	return total, out, nil
}

// facetResult is what Bleve's terms facet reports for these counts: the
// req.Size most frequent terms (ties by term), the documents with a value
// (Total), without one (Missing), and those the top terms leave out (Other).
func facetResult(req *bleve.FacetRequest, byTerm map[string]int, missing int) *search.FacetResult {
	all := make([]*search.TermFacet, 0, len(byTerm))
	sum := 0
	for t, n := range byTerm {
		all = append(all, &search.TermFacet{Term: t, Count: n})
		sum += n
	}
	slices.SortFunc(all, func(a, b *search.TermFacet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Term < b.Term {
			return -1
		}
		return 1
	})
	top := all[:min(len(all), req.Size)]
	shown := 0
	for _, t := range top {
		shown += t.Count
	}
	terms := &search.TermFacets{}
	terms.Add(top...)
	return &search.FacetResult{Field: req.Field, Total: sum, Missing: missing, Other: sum - shown, Terms: terms}
}

func (fc *facetColumns) want(req *bleve.SearchRequest) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.fields == nil {
		fc.fields = map[string]bool{}
	}
	for _, f := range req.Facets {
		fc.fields[f.Field] = true
	}
}

// warmFacets builds, in the background, the columns of new segments for
// the fields facets have been asked for, so that the first search after
// a merge does not pay for a large segment's columns. It returns when
// stop is closed.
func (ix *Index) warmFacets(stop <-chan struct{}) {
	t := time.NewTicker(warmEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ix.facets.mu.Lock()
		fields := make([]string, 0, len(ix.facets.fields))
		for f := range ix.facets.fields {
			fields = append(fields, f)
		}
		ix.facets.mu.Unlock()
		if len(fields) == 0 {
			continue
		}
		// On an error searches build what is missing themselves.
		_ = ix.warm(fields, stop)
	}
}

func (ix *Index) warm(fields []string, stop <-chan struct{}) error {
	var err error
	if werr := ix.withSnapshot(func(snap *scorch.IndexSnapshot) { err = ix.warmSnapshot(snap, fields, stop) }); werr != nil {
		return werr
	}
	return err
}

// warmSnapshot builds the columns of fields that snap's segments lack.
func (ix *Index) warmSnapshot(snap *scorch.IndexSnapshot, fields []string, stop <-chan struct{}) error {
	// Building a column reads the field's doc values of every document of
	// the segment once; the column is then in memory and the pages the
	// build mapped are read by no search: release them (mapped.go).
	var before residency
	built := false
	defer func() {
		if built && before != nil {
			releaseRanges(mappedRanges(snap), before)
		}
	}()
	for _, ss := range snap.Segments() {
		sc := ix.facets.segment(ss.Id())
		for _, f := range fields {
			select {
			case <-stop:
				return nil
			default:
			}
			if _, ok := sc.cols.Load(f); ok {
				continue
			}
			// Only a segment read from its file maps pages as its column is
			// built (an in-memory one maps none): read the residency then.
			if _, file := ss.Segment().(fileSegment); file && !built {
				before, built = residentPages(mappedRanges(snap)), true
			}
			if _, err := sc.column(ss.Segment(), f); err != nil {
				return err
			}
		}
	}
	ix.facets.prune(snap.Segments())
	return nil
}

func (fc *facetColumns) segment(id uint64) *segmentColumns {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.segs == nil {
		fc.segs = map[uint64]*segmentColumns{}
	}
	sc := fc.segs[id]
	if sc == nil {
		sc = &segmentColumns{}
		fc.segs[id] = sc
	}
	return sc
}

// prune drops the columns of segments a merge has replaced, once they
// outnumber the live ones (a reader of an older snapshot that still needs
// one builds it again).
func (fc *facetColumns) prune(live []*scorch.SegmentSnapshot) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if len(fc.segs) <= 2*len(live)+8 {
		return
	}
	keep := make(map[uint64]bool, len(live))
	for _, ss := range live {
		keep[ss.Id()] = true
	}
	for id := range fc.segs {
		if !keep[id] {
			delete(fc.segs, id)
		}
	}
}

// column returns the field's column of the segment, reading its doc
// values for every document the first time.
func (sc *segmentColumns) column(seg segment.Segment, field string) (*column, error) {
	if c, ok := sc.cols.Load(field); ok {
		return c.(*column), nil
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if c, ok := sc.cols.Load(field); ok {
		return c.(*column), nil
	}
	n := seg.Count()
	c := &column{start: make([]uint32, n+1)}
	if dv, ok := seg.(segment.DocValueVisitable); ok {
		ordOf := map[string]uint32{}
		visit := func(_ string, term []byte) {
			ord, ok := ordOf[string(term)]
			if !ok {
				c.terms = append(c.terms, string(term))
				ord = uint32(len(c.terms))
				ordOf[string(term)] = ord
			}
			c.vals = append(c.vals, ord)
		}
		fields := []string{field}
		var state segment.DocVisitState
		for doc := range n {
			var err error
			if state, err = dv.VisitDocValues(doc, fields, visit, state); err != nil {
				return nil, fmt.Errorf("facet column %s: %w", field, err)
			}
			c.start[doc+1] = uint32(len(c.vals))
		}
	}
	sc.cols.Store(field, c)
	return c, nil
}

// searchWithFacets runs req with its terms facets counted by countFacets.
func (ix *Index) searchWithFacets(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	plain := *req
	plain.Facets = nil
	res, err := ix.b.SearchInContext(ctx, &plain)
	if err != nil {
		return nil, err
	}
	total, facets, err := ix.countFacets(ctx, req)
	if err != nil {
		return nil, err
	}
	res.Total, res.Facets, res.Request = total, facets, req
	return res, nil
}
