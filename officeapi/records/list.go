package records

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// The index fields every list filters on: the reader tokens and the rank
// of the 密级 of each document (its Access).
const (
	fReaders   = "readers"
	fClassRank = "classRank"
)

// wait is how long a list waits for ?consistentWith= before a 503.
const wait = 2 * time.Second

// Query is how one page of a list is asked for.
type Query struct {
	Sort   string // a field, "-" in front for descending ("-updatedAt")
	Size   int    // default index.DefaultSize
	Cursor string // the Next of the page before
	// ConsistentWith is a feed sequence to wait for first (a write's seq,
	// passed back as ?consistentWith=): the reader sees their own write.
	ConsistentWith string
}

// Page is one page of a list; the API description names it after L
// (records.Page[leave.Request] → LeaveRequestPage). A capability whose
// own page type predates it (info.Page, schema InfoPage) converts: Page(p).
type Page[L any] struct {
	Items []L    `json:"items"`
	Total uint64 `json:"total"`
	Next  string `json:"next,omitempty"`
}

// List answers a list from the index: the documents that match filters and
// that p may read (one of its reader tokens, a clearance that covers the
// 密级), decoded into T from the index's fields.
func (c *Collection[T]) List(ctx context.Context, p *auth.Principal, q Query, filters ...index.Filter) (Page[T], error) {
	return ListAs[T](ctx, c, p, q, filters...)
}

// ListAs is List decoded into L, a summary type whose JSON names are
// fields of the index (info.Summary for info.Item).
func ListAs[L, T any](ctx context.Context, c *Collection[T], p *auth.Principal, q Query, filters ...index.Filter) (Page[L], error) {
	out := Page[L]{Items: []L{}}
	if err := c.Wait(ctx, q.ConsistentWith); err != nil {
		return Page[L]{}, err
	}
	if p == nil {
		return out, nil
	}
	fields := fieldsOf(reflect.TypeFor[L]())
	names := make([]string, 0, len(fields))
	for name := range fields {
		if _, ok := c.mapping.KindOf(name); ok {
			names = append(names, name)
		}
	}
	f := append([]index.Filter{index.Terms(fReaders, p.Tokens()...),
		index.Range(fClassRank, 0, p.Clearance.Rank()+1)}, filters...) // no clearance (-1): nothing
	var sort []string
	if q.Sort != "" {
		sort = []string{q.Sort}
	}
	res, err := c.Index().List(ctx, index.Query{Filters: f, Sort: sort, Size: q.Size, After: q.Cursor, Fields: names})
	if err != nil {
		return Page[L]{}, listErr(err)
	}
	out.Total, out.Next = res.Total, res.Next
	for _, h := range res.Hits {
		l, err := decode[L](h, fields)
		if err != nil {
			return Page[L]{}, err
		}
		out.Items = append(out.Items, l)
	}
	return out, nil
}

// Wait waits until the list index has applied the feed sequence a client
// passed back (?consistentWith=; "" waits for nothing), as List does first:
// a sequence that is no number or that the store never wrote is a 400, a
// wait longer than two seconds a 503. A page of several lists waits once.
func (c *Collection[T]) Wait(ctx context.Context, consistentWith string) error {
	return listErr(c.ConsistentWith(ctx, consistentWith, wait))
}

// decode turns a hit's stored fields back into L by their JSON names.
func decode[L any](h index.Hit, fields map[string]field) (L, error) {
	var l L
	m := make(map[string]any, len(h.Fields)+1)
	for k, v := range h.Fields {
		_, many := v.([]any)
		if f := fields[k]; !many && f.typ != nil && f.typ.Kind() == reflect.Slice {
			v = []any{v} // the index gives a one-element list as its element
		}
		m[k] = v
	}
	m["id"] = h.ID
	data, err := json.Marshal(m)
	if err == nil {
		err = json.Unmarshal(data, &l)
	}
	return l, err
}

// listErr turns the index's errors into problems: a bad cursor, size or
// sequence is a 400 naming its parameter, a list that has not caught up in
// time a 503.
func listErr(err error) error {
	var pe *index.ParamError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return problem.Invalid(problem.Field(pe.Param, "参数无效："+pe.Reason, "invalid: "+pe.Reason))
	case errors.Is(err, index.ErrWaitTimeout):
		return problem.New(http.StatusServiceUnavailable, problem.CodeUnavailable, "列表尚未更新，请稍后重试",
			"the list has not caught up yet; retry")
	}
	return err
}

// project is the index document of a stored one: Project's fields (or its
// JSON), with its readers and the rank of its 密级. A document whose 密级
// is no level is never listed (fail closed).
func (c *Collection[T]) project(d store.Doc) (any, bool) {
	var v T
	if d.Decode(&v) != nil {
		return nil, false
	}
	acc := c.cfg.Access(&v)
	if !acc.Classification.Valid() {
		return nil, false
	}
	var m map[string]any
	if c.cfg.Project != nil {
		m = c.cfg.Project(&v)
	} else if d.Decode(&m) != nil {
		return nil, false
	}
	if m == nil {
		return nil, false
	}
	m[fReaders], m[fClassRank] = acc.Readers, float64(acc.Classification.Rank())
	return m, true
}

// MappingOf is the list mapping of T's JSON fields: strings (and lists of
// them) as keywords, numbers as numeric, booleans as bool, time.Time as
// datetime; other fields and those named in except are left out. Add to
// it, or leave a field out and map it another way:
//
//	records.MappingOf[Request]("reason").FullText("reason", analysis.Analyzer, false)
func MappingOf[T any](except ...string) *index.Mapping {
	m := index.NewMapping()
	fields := fieldsOf(reflect.TypeFor[T]())
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if name == "id" || slices.Contains(except, name) {
			continue
		}
		t := fields[name].typ
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String {
			t = t.Elem()
		}
		switch {
		case t == reflect.TypeFor[time.Time]():
			m.Datetime(name)
		case t.Kind() == reflect.String:
			m.Keyword(name)
		case t.Kind() == reflect.Bool:
			m.Bool(name)
		case t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64:
			m.Numeric(name)
		}
	}
	return m
}

// field is a struct field as encoding/json names it.
type field struct {
	index []int
	typ   reflect.Type
}

// fieldsOf are t's fields by JSON name, those of embedded structs
// included.
func fieldsOf(t reflect.Type) map[string]field {
	out := map[string]field{}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case !f.IsExported() || name == "-":
			continue
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			for n, sub := range fieldsOf(f.Type) {
				if _, ok := out[n]; !ok {
					out[n] = field{index: append([]int{i}, sub.index...), typ: sub.typ}
				}
			}
			continue
		case name == "":
			name = f.Name
		}
		out[name] = field{index: []int{i}, typ: f.Type}
	}
	return out
}
