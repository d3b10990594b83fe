package searchapi

import (
	"context"
	"errors"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// storeHighlighted are the highlighted text fields the index keeps no
// copy of (query.Mapping: the summary and the body, a tenth of the portal
// index). A hit's fragments of them are cut from the document's text as
// the search source's projection makes it from the store
// (source.Source.Text, the code that made the indexed text, so the
// index's term offsets fall on the same characters), with the same
// highlighter, for the page of hits only. The attachments' text stays
// stored: remaking it means extracting every file of a hit again.
var storeHighlighted = []string{query.FieldSummary, query.FieldBody}

// setHighlight asks req for the fragments of fields: Bleve cuts those of
// the stored fields; for the others (storeHighlighted) it keeps the
// matches' term locations and each hit's indexed version, which
// highlightFromStore reads.
func setHighlight(req *bleve.SearchRequest, fields []string) {
	stored := false
	fromStore := false
	for _, f := range fields {
		if slices.Contains(storeHighlighted, f) {
			fromStore = true
			continue
		}
		if !stored {
			req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
			stored = true
		}
		req.Highlight.AddField(f)
	}
	if fromStore {
		req.IncludeLocations = true
		if !slices.Contains(req.Fields, index.VersionField) {
			req.Fields = append(slices.Clip(req.Fields), index.VersionField)
		}
	}
}

// highlightFromStore adds to each hit the fragments of those of fields
// that are storeHighlighted, as Bleve would have from a stored copy. A hit
// is fetched from the store only when one of them matched (a hit without
// a match there has no fragment to show), and shows no fragment when its
// document is gone or was written since it was indexed (another version:
// the offsets may not fall on the text any more) until the index catches
// up. Hits are the access-controlled query's, so no document the reader
// may not see is read.
func (s *Service) highlightFromStore(ctx context.Context, src *source.Source, hits []*bsearch.DocumentMatch, fields []string) {
	var want []string
	for _, f := range fields {
		if slices.Contains(storeHighlighted, f) {
			want = append(want, f)
		}
	}
	if len(want) == 0 {
		return
	}
	// One after the other: reading the page's documents at once measured
	// slower on two cores (BenchmarkSearchHighlights, mean 1.13× the
	// stored body's against 1.06–1.10×).
	for _, h := range hits {
		if slices.ContainsFunc(want, func(f string) bool { return len(h.Locations[f]) > 0 }) {
			s.highlightHit(ctx, src, h, want)
		}
	}
}

// highlightHit adds h's fragments of fields (storeHighlighted) from its
// document in the store, if that is still the version indexed.
func (s *Service) highlightHit(ctx context.Context, src *source.Source, h *bsearch.DocumentMatch, fields []string) {
	collection, id, ok := source.Entity(h.ID)
	version, isNum := h.Fields[index.VersionField].(float64)
	if !ok || !isNum {
		return
	}
	d, err := s.store.Get(ctx, collection, id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
			s.log.Warn("search: a hit's document not read for its highlights", "collection", collection, "id", id, "err", err)
		}
		return
	}
	if float64(d.Version) != version {
		return
	}
	text, ok := src.Text(d)
	if !ok {
		return
	}
	doc := document.NewDocument(h.ID)
	for _, f := range fields {
		switch v := text[f].(type) {
		case string:
			doc.AddField(document.NewTextField(f, nil, []byte(v)))
		case []string: // one value per element, as Bleve maps a list
			for i, e := range v {
				doc.AddField(document.NewTextField(f, []uint64{uint64(i)}, []byte(e)))
			}
		}
	}
	for _, f := range fields {
		if len(h.Locations[f]) > 0 {
			markHighlighter.BestFragmentsInField(h, doc, f, 1)
		}
	}
}
