package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Page sizes of List.
const (
	DefaultSize = 20
	MaxSize     = 1000
)

// Query is one list request.
type Query struct {
	Filters []Filter
	// Sort is a list of fields, "-" in front for descending
	// ("-publishedAt", "title"); "_id" and "_score" are allowed too. Ties
	// are broken by id, so the order, and paging through it, is stable.
	// Default: by id.
	Sort []string
	// Page (from 1) and Size (default DefaultSize, at most MaxSize) pick an
	// offset page. Deep offsets cost more the deeper they go; use After.
	Page, Size int
	// After is the Next cursor of a previous Result with the same Sort;
	// the list continues after that hit. Exclusive with Page > 1.
	After string
	// Fields are the stored fields to return with each hit ("*": all).
	Fields []string
	// Facets count the values of keyword or bool fields over all matches.
	Facets []Facet
}

// Facet asks for the Size most frequent values of a field (default 10).
type Facet struct {
	Field string
	Size  int
}

// Result is one page of a list.
type Result struct {
	Hits  []Hit
	Total uint64 // all matches, not just this page
	// Next is the cursor for the page after this one ("" when this is the
	// last page). Pass it as Query.After with the same Sort.
	Next   string
	Facets map[string]FacetResult // by field
}

// Hit is one listed document.
type Hit struct {
	ID      string
	Version int64 // the store version it was indexed from
	// Fields holds the requested stored fields: strings for keyword and
	// text, float64 for numeric, time.Time for datetime, bool for bool, and
	// []any of those for a field with several values.
	Fields map[string]any
}

// FacetResult is the value counts of one facet.
type FacetResult struct {
	Terms   []TermCount // most frequent first
	Missing int         // matches without the field
	Other   int         // values beyond the requested size
}

// TermCount is one facet value and how many matches have it.
type TermCount struct {
	Term  string
	Count int
}

// List runs q and returns one page of ids, stored fields, the total and
// the facets. Bad fields, values or cursors are *ParamError.
func (ix *Index) List(ctx context.Context, q Query) (Result, error) {
	ctx, span := ix.startSpan(ctx, "index.list")
	res, err := ix.list(ctx, q)
	endSpan(span, int64(res.Total), err)
	return res, err
}

func (ix *Index) list(ctx context.Context, q Query) (Result, error) {
	bq, err := ix.filterQuery(q.Filters)
	if err != nil {
		return Result{}, err
	}
	size := q.Size
	switch {
	case size == 0:
		size = DefaultSize
	case size < 0 || size > MaxSize:
		return Result{}, paramErr("size", strconv.Itoa(q.Size), "must be between 1 and %d", MaxSize)
	}
	page := q.Page
	switch {
	case page == 0:
		page = 1
	case page < 0:
		return Result{}, paramErr("page", strconv.Itoa(q.Page), "must be 1 or more")
	case page > 1 && q.After != "":
		return Result{}, paramErr("page", strconv.Itoa(q.Page), "cannot be combined with a cursor")
	}
	sortSpec, order, err := ix.sortOrder(q.Sort)
	if err != nil {
		return Result{}, err
	}
	// One hit more than asked tells whether there is a next page.
	req := bleve.NewSearchRequestOptions(bq, size+1, (page-1)*size, false)
	req.SortByCustom(order)
	if q.After != "" {
		after, err := decodeCursor(q.After, sortSpec)
		if err != nil {
			return Result{}, err
		}
		req.SetSearchAfter(after)
	}
	if req.Fields, err = ix.fields(q.Fields); err != nil {
		return Result{}, err
	}
	for _, f := range q.Facets {
		k, ok := ix.m.KindOf(f.Field)
		if !ok || (k != Keyword && k != Bool) {
			return Result{}, paramErr("facet", f.Field, "facets need a keyword or bool field of this index")
		}
		n := f.Size
		if n <= 0 {
			n = 10
		}
		req.AddFacet(f.Field, bleve.NewFacetRequest(f.Field, n))
	}
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("index %s: list: %w", ix.name, err)
	}
	out := Result{Total: res.Total}
	hits := res.Hits
	if len(hits) > size {
		hits = hits[:size]
		out.Next = encodeCursor(sortSpec, hits[size-1].Sort)
	}
	out.Hits = make([]Hit, 0, len(hits))
	for _, h := range hits {
		out.Hits = append(out.Hits, ix.hit(h, q.Fields))
	}
	if len(res.Facets) > 0 {
		out.Facets = make(map[string]FacetResult, len(res.Facets))
		for name, fr := range res.Facets {
			r := FacetResult{Missing: fr.Missing, Other: fr.Other}
			if fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					r.Terms = append(r.Terms, TermCount{Term: boolTerm(ix.m, name, t.Term), Count: t.Count})
				}
			}
			out.Facets[name] = r
		}
	}
	return out, nil
}

// Count is the number of documents matching all filters.
func (ix *Index) Count(ctx context.Context, filters ...Filter) (uint64, error) {
	q, err := ix.filterQuery(filters)
	if err != nil {
		return 0, err
	}
	res, err := ix.b.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
	if err != nil {
		return 0, fmt.Errorf("index %s: count: %w", ix.name, err)
	}
	return res.Total, nil
}

func (ix *Index) filterQuery(filters []Filter) (query.Query, error) {
	if len(filters) == 0 {
		return query.NewMatchAllQuery(), nil
	}
	qs := make([]query.Query, 0, len(filters))
	for _, f := range filters {
		q, err := f.query(ix.m)
		if err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	if len(qs) == 1 {
		return qs[0], nil
	}
	return query.NewConjunctionQuery(qs), nil
}

// sortOrder turns the sort strings into Bleve's sort, with the id as the
// last key. The returned spec (the normalised strings) is what a cursor
// is bound to.
func (ix *Index) sortOrder(keys []string) ([]string, search.SortOrder, error) {
	spec := make([]string, 0, len(keys)+1)
	order := make(search.SortOrder, 0, len(keys)+1)
	byID := false
	for _, k := range keys {
		name, desc := strings.CutPrefix(k, "-")
		switch name {
		case "_id":
			byID = true
			order = append(order, byKey(desc))
		case "_score":
			order = append(order, &search.SortScore{Desc: desc})
		default:
			kind, ok := ix.m.KindOf(name)
			if !ok || kind == Text {
				return nil, nil, paramErr("sort", k, "not a sortable field of this index")
			}
			// Keywords sort as strings: byte order, which for Chinese is
			// code point order. Numbers and dates are stored prefix-coded;
			// Bleve's automatic type picks their full-precision term, and
			// keeps search-after values as raw terms (see encodeCursor).
			typ := search.SortFieldAuto
			if kind == Keyword || kind == Bool {
				typ = search.SortFieldAsString
			}
			order = append(order, &search.SortField{Field: name, Desc: desc, Type: typ})
		}
		spec = append(spec, k)
	}
	if !byID {
		spec = append(spec, "_id")
		order = append(order, byKey(false))
	}
	return spec, order, nil
}

// byKey orders by document id through KeyField's column (see KeyField).
func byKey(desc bool) search.SearchSort {
	return &search.SortField{Field: KeyField, Desc: desc, Type: search.SortFieldAsString}
}

func (ix *Index) fields(names []string) ([]string, error) {
	out := []string{VersionField}
	for _, f := range names {
		if f == "*" {
			return []string{"*"}, nil
		}
		if _, ok := ix.m.KindOf(f); !ok {
			return nil, paramErr("fields", f, "not a field of this index")
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

func (ix *Index) hit(h *search.DocumentMatch, asked []string) Hit {
	out := Hit{ID: h.ID, Version: version(h.Fields)}
	if len(asked) == 0 {
		return out
	}
	out.Fields = make(map[string]any, len(h.Fields))
	all := slices.Contains(asked, "*")
	for name, v := range h.Fields {
		if name == VersionField && !all && !slices.Contains(asked, VersionField) {
			continue
		}
		kind, _ := ix.m.KindOf(name)
		out.Fields[name] = storedValue(kind, v)
	}
	return out
}

// storedValue turns what Bleve returns for a stored field into the type of
// its kind; Bleve hands datetimes back as strings.
func storedValue(kind Kind, v any) any {
	if list, ok := v.([]any); ok {
		out := make([]any, len(list))
		for i, e := range list {
			out[i] = storedValue(kind, e)
		}
		return out
	}
	if s, ok := v.(string); ok && kind == Datetime {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC()
		}
	}
	return v
}

func version(fields map[string]any) int64 {
	f, _ := fields[VersionField].(float64)
	return int64(f)
}

// boolTerm shows Bleve's indexed booleans ("T", "F") as the values a
// client filters with.
func boolTerm(m *Mapping, field, term string) string {
	if k, _ := m.KindOf(field); k == Bool {
		return strconv.FormatBool(term == "T")
	}
	return term
}

// A cursor carries the raw sort values of the last hit, bound to the sort
// it was made for. Raw values are prefix-coded bytes for numbers and
// dates, so they travel as bytes, not strings.
type cursor struct {
	Sort   []string `json:"s"`
	Values [][]byte `json:"v"`
}

func encodeCursor(spec, values []string) string {
	c := cursor{Sort: spec, Values: make([][]byte, len(values))}
	for i, v := range values {
		c.Values[i] = []byte(v)
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, spec []string) ([]string, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || len(c.Values) != len(c.Sort) {
		return nil, paramErr("cursor", "", "malformed cursor")
	}
	if !slices.Equal(c.Sort, spec) {
		return nil, paramErr("cursor", "", "the cursor was made for sort %q, not %q",
			strings.Join(c.Sort, ","), strings.Join(spec, ","))
	}
	out := make([]string, len(c.Values))
	for i, v := range c.Values {
		out[i] = string(v)
	}
	return out, nil
}
