package content

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Get returns a document the caller may see, with its working and live
// editions.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	r, doc, err := s.load(ctx, p, id)
	if err != nil {
		return View{}, err
	}
	v := viewOf(r, doc)
	if v.Published != nil {
		if v.AttachmentIssues, err = item.ReportOf(ctx, s.store, r.ID, v.Published.Number); err != nil {
			return View{}, err
		}
	}
	return v, nil
}

// Editions lists every edition of a document, oldest first.
func (s *Service) Editions(ctx context.Context, p *auth.Principal, id string) ([]Edition, error) {
	r, _, err := s.load(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return store.LoadPrefix[Edition](ctx, s.store, EditionsCollection, r.ID+"/")
}

// Edition returns edition n of a document.
func (s *Service) Edition(ctx context.Context, p *auth.Principal, id string, n int) (Edition, error) {
	r, _, err := s.load(ctx, p, id)
	if err != nil {
		return Edition{}, err
	}
	if n < 1 || n > r.Editions {
		return Edition{}, problem.NotFound("该版本不存在", "no such edition")
	}
	e, _, err := store.Load[Edition](ctx, s.store, EditionsCollection, editionID(r.ID, n))
	if errors.Is(err, store.ErrNotFound) {
		return Edition{}, problem.NotFound("该版本不存在", "no such edition")
	}
	return e, err
}

// EditionList is a document's editions, oldest first, as the management
// API answers them.
type EditionList struct {
	Items []Edition `json:"items"`
}

// DiffResult is the field-level difference of two editions, as the
// management API answers it.
type DiffResult struct {
	From    int           `json:"from"`
	To      int           `json:"to"`
	Changes []FieldChange `json:"changes"`
}

// FieldChange is one changed field between two editions.
type FieldChange struct {
	Field string `json:"field"`
	Old   any    `json:"old"`
	New   any    `json:"new"`
}

// Diff compares the fields of editions from and to: every field whose
// value differs, in field-name order.
func (s *Service) Diff(ctx context.Context, p *auth.Principal, id string, from, to int) ([]FieldChange, error) {
	a, err := s.Edition(ctx, p, id, from)
	if err != nil {
		return nil, err
	}
	b, err := s.Edition(ctx, p, id, to)
	if err != nil {
		return nil, err
	}
	return DiffFields(a.Fields, b.Fields), nil
}

// DiffFields is the field-level difference of two field sets.
func DiffFields(a, b Fields) []FieldChange {
	am, bm := asMap(a), asMap(b)
	keys := map[string]bool{}
	for k := range am {
		keys[k] = true
	}
	for k := range bm {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	out := []FieldChange{}
	for _, k := range names {
		if !reflect.DeepEqual(am[k], bm[k]) {
			out = append(out, FieldChange{Field: k, Old: am[k], New: bm[k]})
		}
	}
	return out
}

func asMap(f Fields) map[string]any {
	data, _ := json.Marshal(f)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return m
}

// ListQuery filters the management list. Empty fields do not filter.
type ListQuery struct {
	State, Channel, Department, Type, Q string
	Size                                int
	Cursor                              string
}

// Summary is one listed document, from the index.
type Summary struct {
	Heading
	Live        string    `json:"live,omitempty"`
	Title       string    `json:"title"`
	DocNumber   string    `json:"docNumber,omitempty"`
	Editions    int       `json:"editions"`
	SubmittedBy string    `json:"submittedBy,omitempty"`
	UpdatedAt   time.Time `json:"updatedAt"`
	// WithdrawAt is when a scheduled withdrawal takes the live edition
	// off the portal.
	WithdrawAt *time.Time `json:"withdrawAt,omitempty"`
	Version    int64      `json:"version"`
}

// ListResult is one page of documents.
type ListResult struct {
	Items []Summary `json:"items"`
	Total uint64    `json:"total"`
	Next  string    `json:"next,omitempty"`
}

// List returns the documents of the departments the caller holds a portal
// permission in, newest change first.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (ListResult, error) {
	if err := checkPrincipal(p); err != nil {
		return ListResult{}, err
	}
	var filters []index.Filter
	depts, all := visibleDepartments(p)
	if !all {
		if len(depts) == 0 {
			return ListResult{Items: []Summary{}}, nil
		}
		filters = append(filters, index.Terms("department", depts...))
	}
	if q.State != "" {
		if !slices.Contains(States, q.State) {
			return ListResult{}, problem.Invalid(problem.Field("state", "状态必须是 "+strings.Join(States, "、")+" 之一", "unknown state"))
		}
		filters = append(filters, index.Term("state", q.State))
	}
	if q.Type != "" {
		if !slices.Contains(Types, q.Type) {
			return ListResult{}, problem.Invalid(problem.Field("type", "内容类型必须是 "+strings.Join(Types, "、")+" 之一", "unknown type"))
		}
		filters = append(filters, index.Term("type", q.Type))
	}
	if q.Channel != "" {
		if _, ok := s.channels.Get(q.Channel); !ok {
			return ListResult{}, problem.Invalid(problem.Field("channel", "栏目不存在", "no such channel"))
		}
		filters = append(filters, index.Terms("channel", s.channels.Descendants(q.Channel)...))
	}
	if q.Department != "" {
		filters = append(filters, index.Term("department", q.Department))
	}
	if t := strings.TrimSpace(q.Q); t != "" {
		filters = append(filters, index.Match("text", t))
	}
	return s.list(ctx, filters, q)
}

// ReviewQueue lists the documents awaiting a step the caller may take,
// newest change first; what the separation rules bar the caller from
// (their own writing or submission, a second step of one pass) is left
// out.
func (s *Service) ReviewQueue(ctx context.Context, p *auth.Principal, q ListQuery) (ListResult, error) {
	if err := checkPrincipal(p); err != nil {
		return ListResult{}, err
	}
	tokens := callerTokens(p)
	if len(tokens) == 0 {
		return ListResult{Items: []Summary{}}, nil
	}
	filters := []index.Filter{
		index.Term("state", StateInReview),
		index.Terms("queue", tokens...),
		index.Not(index.Term("submittedBy", p.UserID)),
		index.Not(index.Term("barred", p.UserID)),
	}
	return s.list(ctx, filters, q)
}

func (s *Service) list(ctx context.Context, filters []index.Filter, q ListQuery) (ListResult, error) {
	size := q.Size
	if size == 0 {
		size = 20
	}
	if size < 1 || size > 100 {
		return ListResult{}, problem.Invalid(problem.Field("size", "每页条数必须是 1 到 100 之间的整数", "size must be from 1 to 100"))
	}
	res, err := s.ix.List(ctx, index.Query{Filters: filters, Sort: []string{"-updatedAt"}, Size: size,
		After: q.Cursor, Fields: []string{"*"}})
	var pe *index.ParamError
	if errors.As(err, &pe) {
		return ListResult{}, problem.Invalid(problem.Field(pe.Param, "参数无效", pe.Reason))
	}
	if err != nil {
		return ListResult{}, err
	}
	out := ListResult{Items: make([]Summary, 0, len(res.Hits)), Total: res.Total, Next: res.Next}
	for _, h := range res.Hits {
		out.Items = append(out.Items, summaryOf(h))
	}
	return out, nil
}

func summaryOf(h index.Hit) Summary {
	str := func(k string) string { v, _ := h.Fields[k].(string); return v }
	sm := Summary{Heading: Heading{ID: h.ID, Type: str("type"), Channel: str("channel"), Department: str("department"),
		State: str("state"), Step: str("step")}, Version: h.Version, Live: str("live"), Title: str("titleKey"), DocNumber: str("docNumber"),
		SubmittedBy: str("submittedBy")}
	if n, ok := h.Fields["editions"].(float64); ok {
		sm.Editions = int(n)
	}
	if t, ok := h.Fields["updatedAt"].(time.Time); ok {
		sm.UpdatedAt = t
	}
	if t, ok := h.Fields["dueWithdrawAt"].(time.Time); ok {
		sm.WithdrawAt = &t
	}
	return sm
}
