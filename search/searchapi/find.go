package searchapi

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
)

// Find is a capability's own query of one search index (公文查询 over the
// office index): the documents of one store collection, the reader's text
// read as the search API reads it, narrowed by filters on the index's
// fields, with facets. The scope's access control for the reader is part
// of the query, as in Search: no hit, total or facet count includes a
// document the reader may not open.
type Find struct {
	Scope      string
	Collection string
	Text       string
	// Filters narrow the documents (index.Term, index.Range on the
	// fields of query.Mapping); a bad one is a *index.ParamError.
	Filters []index.Filter
	// Facets count values of keyword fields over every match.
	Facets []index.Facet
	// Fields are the stored fields each hit carries.
	Fields []string
	// Highlight names text fields whose matching fragments each hit
	// carries (<mark>…</mark>); nothing without Text.
	Highlight []string
	// ByDate orders by publishedAt, newest first, even with Text (without
	// Text that is always the order; with it, relevance is).
	ByDate bool
	// Page from 1, Size from 1 to MaxSize (0: the defaults); Page × Size
	// at most MaxWindow.
	Page, Size int
	// ConsistentWith is a feed sequence a write returned: Find waits (a
	// few seconds at most) until the index has applied it.
	ConsistentWith string
}

// Found is a page of a Find with the total and the facets, all from one
// access-controlled query.
type Found struct {
	Total  uint64
	Hits   []FoundHit
	Facets map[string][]FacetValue // by field
	// DidYouMean is offered, as Result's is, when Text found nothing and
	// a close variant of it finds something with the same filters.
	DidYouMean *Correction
}

// FoundHit is one hit of a Find: its id, the stored fields asked for, and
// the highlighted fragments by field. When Highlight names
// query.FieldAttachmentText, Attachments are its fragments with the name
// of the file each comes from.
type FoundHit struct {
	ID          string
	Fields      map[string]any
	Highlights  map[string][]string
	Attachments []AttachmentMatch
}

// Find runs f for the reader p (see Find). Page or size out of bounds are
// problems naming "page" or "size"; a bad filter names its field.
func (s *Service) Find(ctx context.Context, p *auth.Principal, f Find) (Found, error) {
	sc, ok := s.scopes[f.Scope]
	if !ok {
		return Found{}, badParam("scope", "范围必须是 portal 或 office", "scope must be portal or office")
	}
	acl, err := access(f.Scope, p)
	if err != nil {
		return Found{}, err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Size < 1 {
		f.Size = DefaultSize
	}
	if f.Size > MaxSize {
		return Found{}, badParam("size", "每页条数必须是 1 到 50 之间的整数", "size must be an integer from 1 to 50")
	}
	if f.Page*f.Size > MaxWindow {
		return Found{}, badParam("page", "页码过大，请缩小查询范围", "page too deep: narrow the query")
	}
	if err := s.consistentWith(ctx, f.Scope, f.ConsistentWith); err != nil {
		return Found{}, err
	}
	l, err := sc.acquire()
	if err != nil {
		return Found{}, fail(err)
	}
	defer l.release()
	m := l.ix.Mapping()
	base := acl
	if f.Collection != "" {
		base = append(append([]bq.Query{}, acl...), terms(index.CollectionField, f.Collection))
	}
	var narrow []bq.Query
	for _, flt := range f.Filters {
		q, err := flt.Query(m)
		if err != nil {
			return Found{}, filterProblem(err)
		}
		narrow = append(narrow, q)
	}
	for _, fc := range f.Facets {
		if k, ok := m.KindOf(fc.Field); !ok || k != index.Keyword {
			return Found{}, errors.New("searchapi: facet on " + fc.Field + ", not a keyword field of the index")
		}
	}
	text := strings.TrimSpace(f.Text)
	mk := func(q bq.Query) *bleve.SearchRequest {
		req := bleve.NewSearchRequestOptions(q, f.Size, (f.Page-1)*f.Size, false)
		req.Fields = f.Fields
		if text != "" && slices.Contains(f.Highlight, query.FieldAttachmentText) {
			req.Fields = append(slices.Clone(f.Fields), source.FieldAttachmentNames)
		}
		if f.ByDate || text == "" {
			req.SortBy([]string{"-" + query.FieldPublishedAt, "-_score", index.KeyField})
		} else {
			req.SortBy([]string{"-_score", "-" + query.FieldPublishedAt, index.KeyField})
		}
		for _, fc := range f.Facets {
			size := fc.Size
			if size <= 0 {
				size = facetSize
			}
			req.AddFacet(fc.Field, bleve.NewFacetRequest(fc.Field, size))
		}
		if text != "" && len(f.Highlight) > 0 {
			setHighlight(req, f.Highlight)
		}
		return req
	}
	res, err := query.SearchNarrowed(ctx, l.ix, text, query.Options{}, base, narrow, mk)
	if err != nil {
		return Found{}, fail(err)
	}
	// As Search does; a no-op unless the caller asked for the title.
	query.Rerank(text, res)
	if text != "" {
		s.highlightFromStore(ctx, sc.src, res.Hits, f.Highlight)
	}
	out := Found{Total: res.Total, Hits: make([]FoundHit, 0, len(res.Hits)), Facets: map[string][]FacetValue{}}
	for _, h := range res.Hits {
		if !slices.Contains(f.Fields, index.VersionField) {
			delete(h.Fields, index.VersionField) // asked for highlighting only (setHighlight)
			if len(h.Fields) == 0 {
				h.Fields = nil // as Bleve leaves a hit asked for no field
			}
		}
		hit := FoundHit{ID: storeID(h.ID), Fields: h.Fields, Highlights: map[string][]string{}}
		for _, field := range f.Highlight {
			frags, files := highlightsOf(h, field)
			if len(frags) > 0 {
				hit.Highlights[field] = frags
			}
			hit.Attachments = append(hit.Attachments, files...)
		}
		out.Hits = append(out.Hits, hit)
	}
	for _, fc := range f.Facets {
		vals := []FacetValue{}
		if fr := res.Facets[fc.Field]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				vals = append(vals, FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		out.Facets[fc.Field] = vals
	}
	if out.Total == 0 && text != "" {
		if out.DidYouMean, err = didYouMean(ctx, l.ix, text, base, narrow); err != nil {
			return Found{}, fail(err)
		}
	}
	return out, nil
}

// filterProblem names the field of a bad filter value (a date that is not
// one, say); other errors pass through.
func filterProblem(err error) error {
	var pe *index.ParamError
	if errors.As(err, &pe) {
		return badParam(pe.Param, "参数值无效："+pe.Reason, "bad value: "+pe.Reason)
	}
	return err
}

// storeID is the store id of the document a hit names: search indexes
// key their documents by collection and id (source.Source.Consumer), and
// a hit says its id as the capability that owns it knows it.
func storeID(docID string) string {
	if _, id, ok := source.Entity(docID); ok {
		return id
	}
	return docID
}
