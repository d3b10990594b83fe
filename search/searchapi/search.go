package searchapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Prefix is where package searchhttp serves the search API.
const Prefix = "/api/search/v1"

// Limits of a search (the HTTP layer's parameters say the same).
const (
	MaxQueryRunes = 200
	MaxSize       = 50
	DefaultSize   = 10
	// MaxWindow bounds page × size: deeper pages are refused.
	MaxWindow = 10000
)

// Sort orders of a search.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Request is a parsed search. Page 0 is the first, Size 0 the default.
type Request struct {
	Q        string
	Scope    string
	Channel  string
	Type     string
	Issuer   string
	Year     string
	Validity string
	From, To time.Time // publishedAt in [From, To); zero: open
	Sort     string
	Page     int // from 1
	Size     int
	// ConsistentWith is a feed sequence a write returned: Search waits (a
	// few seconds at most) until the scope's index has applied it.
	ConsistentWith string
}

// Hit is one search result.
type Hit struct {
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Type        string              `json:"type,omitempty"`
	Channel     string              `json:"channel,omitempty"`
	Path        string              `json:"path,omitempty"`
	PublishedAt string              `json:"publishedAt,omitempty"`
	DocNumber   string              `json:"docNumber,omitempty"`
	Validity    string              `json:"validity,omitempty"`
	Status      string              `json:"status,omitempty"` // "withdrawn": readable with a notice
	Highlights  map[string][]string `json:"highlights"`
	// Attachments are the fragments of highlights.attachment with the
	// name of the file each comes from ("附件《细则.pdf》中：…").
	Attachments []AttachmentMatch `json:"attachments,omitempty"`
}

// AttachmentMatch is a highlighted fragment of one attachment's text.
type AttachmentMatch struct {
	File     string `json:"file"`
	Fragment string `json:"fragment"`
}

// FacetValue is one value of a facet with its count.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is a page of hits with the total and the facets, all from one
// access-controlled query.
type Result struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
	// DidYouMean is offered when the text found nothing and a close
	// variant of it (a character off, or the Chinese its pinyin spells:
	// query.Corrections) finds something
	// the reader may see, with the same filters.
	DidYouMean *Correction `json:"didYouMean,omitempty"`
	// LogID names this search in the query log (package analytics), for
	// the click report (POST /search/clicks); empty when not logged.
	LogID string `json:"logId,omitempty"`
}

// Correction is a variant of what was typed, and how many documents it
// finds.
type Correction struct {
	Text  string `json:"text"`
	Total uint64 `json:"total"`
}

// Suggestion is one autocomplete entry.
type Suggestion struct {
	Text string `json:"text"`
	ID   string `json:"id"`
}

// Suggestions are the answer of a suggestion request.
type Suggestions struct {
	Suggestions []Suggestion `json:"suggestions"`
}

// facets of a search: response name → index field.
var facetFields = []struct{ name, field string }{
	{"channel", query.FieldChannel},
	{"type", query.FieldType},
	{"issuer", query.FieldIssuer},
	{"year", query.FieldYear},
	{"validity", query.FieldValidity},
}

const facetSize = 20

// highlight fields: response name → index field.
var highlightFields = []struct{ name, field string }{
	{"title", query.FieldTitle},
	{"summary", query.FieldSummary},
	{"body", query.FieldBody},
	{"attachment", query.FieldAttachmentText},
}

// highlightedFields are the index fields of highlightFields.
var highlightedFields = func() []string {
	out := make([]string, len(highlightFields))
	for i, f := range highlightFields {
		out[i] = f.field
	}
	return out
}()

var hitFields = []string{query.FieldTitle, query.FieldType, query.FieldChannel, source.FieldPath,
	query.FieldPublishedAt, query.FieldDocNumber, query.FieldValidity, query.FieldStatus, source.FieldAttachmentNames}

// access is the access-control part of every query of a scope for the
// reader p (nil: anonymous). The office scope refuses anonymous readers.
func access(scope string, p *auth.Principal) ([]bq.Query, error) {
	if scope == source.PortalName {
		vis := []string{source.Public}
		if p != nil {
			vis = append(vis, source.Internal)
		}
		return []bq.Query{terms(query.FieldVisibility, vis...)}, nil
	}
	if p == nil {
		return nil, problem.Unauthenticated("the office scope needs a signed-in reader")
	}
	rank := p.Clearance.Rank()
	if rank < 0 {
		return []bq.Query{bq.NewMatchNoneQuery()}, nil
	}
	lo, hi, yes := 0.0, float64(rank), true
	class := bq.NewNumericRangeInclusiveQuery(&lo, &hi, &yes, &yes)
	class.SetField(query.FieldClass)
	// The reader holds one of the document's reader tokens: the same rule
	// (auth.Access) that a read of the object by id applies.
	return []bq.Query{class, terms(query.FieldReaders, p.Tokens()...)}, nil
}

func terms(field string, values ...string) bq.Query {
	qs := make([]bq.Query, len(values))
	for i, v := range values {
		t := bq.NewTermQuery(v)
		t.SetField(field)
		qs[i] = t
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bq.NewDisjunctionQuery(qs)
}

func (r Request) filters() []bq.Query {
	var fs []bq.Query
	for _, f := range []struct{ field, value string }{
		{query.FieldChannel, r.Channel}, {query.FieldType, r.Type}, {query.FieldIssuer, r.Issuer},
		{query.FieldYear, r.Year}, {query.FieldValidity, r.Validity},
	} {
		if f.value != "" {
			fs = append(fs, terms(f.field, f.value))
		}
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		yes, no := true, false
		dr := bq.NewDateRangeInclusiveQuery(r.From, r.To, &yes, &no)
		dr.SetField(query.FieldPublishedAt)
		fs = append(fs, dr)
	}
	return fs
}

// Search runs r for the reader p: access control, filters, the text query,
// facets and highlights in one Bleve request (two when the strict query
// finds less than a page: see query.Search); the first page ordered by
// relevance has its near-ties re-ranked (query.Rerank).
func (s *Service) Search(ctx context.Context, p *auth.Principal, r Request) (Result, error) {
	sc, ok := s.scopes[r.Scope]
	if !ok {
		return Result{}, badParam("scope", "范围必须是 portal 或 office", "scope must be portal or office")
	}
	acl, err := access(r.Scope, p)
	if err != nil {
		return Result{}, err
	}
	if r.Page < 1 {
		r.Page = 1
	}
	if r.Size < 1 {
		r.Size = DefaultSize
	}
	if r.Size > MaxSize {
		return Result{}, badParam("size", "每页条数必须是 1 到 50 之间的整数", "size must be an integer from 1 to 50")
	}
	if r.Page*r.Size > MaxWindow {
		return Result{}, badParam("page", "页码过大，请缩小搜索范围", "page too deep: narrow the search")
	}
	if err := s.consistentWith(ctx, r.Scope, r.ConsistentWith); err != nil {
		return Result{}, err
	}
	text := strings.TrimSpace(r.Q)
	mk := func(q bq.Query) *bleve.SearchRequest {
		req := bleve.NewSearchRequestOptions(q, r.Size, (r.Page-1)*r.Size, false)
		req.Fields = hitFields
		if r.Sort == SortDate || text == "" {
			req.SortBy([]string{"-" + query.FieldPublishedAt, "-_score", index.KeyField})
		} else {
			req.SortBy([]string{"-_score", "-" + query.FieldPublishedAt, index.KeyField})
		}
		for _, f := range facetFields {
			req.AddFacet(f.name, bleve.NewFacetRequest(f.field, facetSize))
		}
		if text != "" {
			setHighlight(req, highlightedFields)
		}
		return req
	}

	l, err := sc.acquire()
	if err != nil {
		return Result{}, fail(err)
	}
	defer l.release()
	// The strict query first, the any-token fallback only when it finds
	// fewer than a page (query.Search).
	res, err := query.SearchNarrowed(ctx, l.ix, text, query.Options{}, acl, r.filters(), mk)
	if err != nil {
		return Result{}, fail(err)
	}
	query.Rerank(text, res) // the first page's near-ties (hitFields has what it reads)
	if text != "" {
		s.highlightFromStore(ctx, sc.src, res.Hits, highlightedFields)
	}
	out := Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits)), Facets: map[string][]FacetValue{}}
	for _, h := range res.Hits {
		hit := Hit{ID: storeID(h.ID), Highlights: map[string][]string{}}
		hit.Title, _ = h.Fields[query.FieldTitle].(string)
		hit.Type, _ = h.Fields[query.FieldType].(string)
		hit.Channel, _ = h.Fields[query.FieldChannel].(string)
		hit.Path, _ = h.Fields[source.FieldPath].(string)
		hit.PublishedAt, _ = h.Fields[query.FieldPublishedAt].(string)
		hit.DocNumber, _ = h.Fields[query.FieldDocNumber].(string)
		hit.Validity, _ = h.Fields[query.FieldValidity].(string)
		hit.Status, _ = h.Fields[query.FieldStatus].(string)
		for _, f := range highlightFields {
			frags, files := highlightsOf(h, f.field)
			if len(frags) > 0 {
				hit.Highlights[f.name] = frags
			}
			hit.Attachments = append(hit.Attachments, files...)
		}
		out.Hits = append(out.Hits, hit)
	}
	for _, f := range facetFields {
		vals := []FacetValue{}
		if fr := res.Facets[f.name]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				vals = append(vals, FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		out.Facets[f.name] = vals
	}
	if out.Total == 0 && text != "" {
		if out.DidYouMean, err = didYouMean(ctx, l.ix, text, acl, r.filters()); err != nil {
			return Result{}, fail(err)
		}
	}
	return out, nil
}

// highlightsOf are the fragments of field in h that mark a match, and
// for the attachments' text the same with the name of the file each
// comes from (the highlighter's element position, source's names: see
// markFormatter).
func highlightsOf(h *bsearch.DocumentMatch, field string) (frags []string, files []AttachmentMatch) {
	var names []string
	if field == query.FieldAttachmentText {
		names = storedStrings(h.Fields[source.FieldAttachmentNames])
	}
	for _, frag := range h.Fragments[field] {
		frag, file := fileOf(frag)
		if !strings.Contains(frag, "<mark>") {
			continue
		}
		frags = append(frags, frag)
		if file >= 0 && file < len(names) {
			files = append(files, AttachmentMatch{File: names[file], Fragment: frag})
		}
	}
	return frags, files
}

// storedStrings reads a stored keyword field: Bleve gives one value as
// itself and several as a list.
func storedStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// didYouMean is the correction of a text that found nothing: of
// query.Corrections (from the titles query.Suggest and, for pinyin,
// query.PinyinTitles find for it, the
// reader's access applied), the one that finds the most with the same
// filters, or nil when none finds anything. It costs a few queries, and
// only on a search that found nothing.
func didYouMean(ctx context.Context, ix *index.Index, text string, acl, filters []bq.Query) (*Correction, error) {
	titles, err := titlesNear(ctx, ix, query.Suggest(text), acl)
	if err != nil {
		return nil, err
	}
	if pq := query.PinyinTitles(text); pq != nil {
		// Typed in pinyin: the titles holding a stretch it may spell.
		more, err := titlesNear(ctx, ix, pq, acl)
		if err != nil {
			return nil, err
		}
		titles = append(titles, more...)
	}
	var best *Correction
	for _, c := range query.Corrections(text, titles, nil) {
		res, err := query.SearchNarrowed(ctx, ix, c, query.Options{}, acl, filters, func(q bq.Query) *bleve.SearchRequest {
			return bleve.NewSearchRequestOptions(q, DefaultSize, 0, false)
		})
		if err != nil {
			return nil, err
		}
		if res.Total > 0 && (best == nil || res.Total > best.Total) {
			best = &Correction{Text: c, Total: res.Total}
		}
	}
	return best, nil
}

// titlesNear are the titles of the first suggestSize documents the
// reader may see that q matches.
func titlesNear(ctx context.Context, ix *index.Index, q bq.Query, acl []bq.Query) ([]string, error) {
	req := bleve.NewSearchRequestOptions(query.Filtered(q, acl...), suggestSize, 0, false)
	req.Fields = []string{query.FieldTitle}
	res, err := ix.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	var titles []string
	for _, h := range res.Hits {
		if t, _ := h.Fields[query.FieldTitle].(string); t != "" {
			titles = append(titles, t)
		}
	}
	return titles, nil
}

const suggestSize = 10

// Suggest returns titles for what the reader has typed: title prefixes,
// tolerating a typo, best first, each title once.
func (s *Service) Suggest(ctx context.Context, p *auth.Principal, scope, typed string) ([]Suggestion, error) {
	sc, ok := s.scopes[scope]
	if !ok {
		return nil, badParam("scope", "范围必须是 portal 或 office", "scope must be portal or office")
	}
	acl, err := access(scope, p)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(query.Filtered(query.Suggest(typed), acl...), suggestSize*2, 0, false)
	req.Fields = []string{query.FieldTitle}
	req.SortBy([]string{"-_score", "-" + query.FieldPublishedAt, index.KeyField})
	l, err := sc.acquire()
	if err != nil {
		return nil, fail(err)
	}
	defer l.release()
	res, err := l.ix.Search(ctx, req)
	if err != nil {
		return nil, fail(err)
	}
	out := []Suggestion{}
	seen := map[string]bool{}
	for _, h := range res.Hits {
		title, _ := h.Fields[query.FieldTitle].(string)
		if title == "" || seen[title] {
			continue
		}
		seen[title] = true
		out = append(out, Suggestion{Text: title, ID: storeID(h.ID)})
		if len(out) == suggestSize {
			break
		}
	}
	return out, nil
}

func badParam(name, zh, en string) error {
	return problem.Invalid(problem.Field(name, zh, en))
}

// consistentWithWait bounds how long a search waits for its index.
const consistentWithWait = 3 * time.Second

// consistentWith waits until the scope's index has applied the feed
// sequence seq (read your write); "" waits for nothing.
func (s *Service) consistentWith(ctx context.Context, scope, seq string) error {
	if seq == "" {
		return nil
	}
	ix := s.Index(scope)
	if ix == nil {
		return nil
	}
	s.Notify()
	err := index.ConsistentWith(ctx, ix, seq, consistentWithWait, s.store.LastSeq)
	var pe *index.ParamError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return badParam(index.ConsistentWithParam, "必须是写操作返回的序号（非负整数）", pe.Reason)
	case errors.Is(err, index.ErrWaitTimeout), errors.Is(err, index.ErrClosed):
		return problem.New(http.StatusServiceUnavailable, problem.CodeUnavailable,
			"搜索索引尚未更新，请稍后再试", "the search index has not caught up yet, try again")
	}
	return err
}

// fail turns index errors into problems; others pass through.
func fail(err error) error {
	if errors.Is(err, index.ErrClosed) {
		return problem.New(http.StatusServiceUnavailable, problem.CodeUnavailable,
			"搜索服务暂不可用，请稍后再试", "search is unavailable, try again")
	}
	return err
}
