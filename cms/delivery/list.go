package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

// List bounds of the delivery API.
const (
	defaultSize = 20
	maxSize     = 100
)

// ChannelNode is a channel as the delivery API shows it, with the
// channels below it.
type ChannelNode struct {
	Key        string         `json:"key"`
	Name       string         `json:"name"`
	Types      []string       `json:"types"`
	Visibility string         `json:"visibility" jsonschema:"enum=public,enum=internal"`
	Department string         `json:"department"`
	Order      int            `json:"order"`
	Children   []*ChannelNode `json:"children"`
}

func toNodes(ns []*channel.Node) []*ChannelNode {
	out := make([]*ChannelNode, 0, len(ns))
	for _, n := range ns {
		types := n.Types
		if types == nil {
			types = []string{}
		}
		out = append(out, &ChannelNode{Key: n.Key, Name: n.Name, Types: types, Visibility: n.Visibility,
			Department: n.Department, Order: n.Order, Children: toNodes(n.Children)})
	}
	return out
}

// Channels is the channel tree the reader p (nil: anonymous) may see:
// internal channels only to a signed-in reader.
func (s *Service) Channels(p *auth.Principal) []*ChannelNode {
	return toNodes(s.channels.Roots(p != nil))
}

// Summary is one item of a list, made from the index's stored fields:
// the fields a list asked for (?fields=), in the item's shape.
type Summary struct {
	ID          string         `json:"id"`
	Type        string         `json:"type,omitempty"`
	Channel     string         `json:"channel,omitempty"`
	Department  string         `json:"department,omitempty"`
	Path        string         `json:"path,omitempty"`
	Visibility  string         `json:"visibility,omitempty"`
	Status      string         `json:"status,omitempty"`
	Title       string         `json:"title,omitempty"`
	Summary     string         `json:"summary,omitempty"`
	Cover       string         `json:"cover,omitempty"`
	PublishedAt *time.Time     `json:"publishedAt,omitempty"`
	UpdatedAt   *time.Time     `json:"updatedAt,omitempty"`
	Policy      *SummaryPolicy `json:"policy,omitempty"`
	Leader      *SummaryLeader `json:"leader,omitempty"`
	Body        string         `json:"body,omitempty"`
	BodyText    string         `json:"bodyText,omitempty"`
}

// SummaryPolicy is the part of a policy file's metadata a list shows.
type SummaryPolicy struct {
	DocNumber string   `json:"docNumber,omitempty"`
	Validity  string   `json:"validity,omitempty"`
	Genre     string   `json:"genre,omitempty"`
	Issuers   []string `json:"issuers,omitempty"`
}

// SummaryLeader is the leader of a listed speech or activity.
type SummaryLeader struct {
	Name string `json:"name"`
}

// Page is one page of a list: the items, the total of the list (every
// page) and the cursor of the next page.
type Page struct {
	Items []Summary `json:"items"`
	Total uint64    `json:"total"`
	Next  string    `json:"next,omitempty"`
}

// ListQuery is a list's parameters (GET /items), as given: List validates
// them (the validate tags, then what they cannot say). The tags also
// describe the parameters in the API's description.
type ListQuery struct {
	Channel    string `query:"channel" validate:"max=64" doc:"栏目（含下级栏目）"`
	Type       string `query:"type" validate:"omitempty,oneof=article policy speech activity report" doc:"稿件类型"`
	Genre      string `query:"genre" validate:"max=200" doc:"文种"`
	Issuer     string `query:"issuer" validate:"max=200" doc:"发文机关"`
	Department string `query:"department" validate:"max=200" doc:"所属处室"`
	Validity   string `query:"validity" validate:"omitempty,oneof=有效 已修改 部分失效 已废止 已失效" doc:"效力状态"`
	Year       *int   `query:"year" validate:"omitempty,min=1949,max=9999" doc:"发布年份（北京时间）"`
	Status     string `query:"status" validate:"max=64" doc:"列出哪些稿件：published（默认，仅已发布）、withdrawn（已撤回）或 published,withdrawn；已撤回的稿件默认不出现在列表中"`
	From       string `query:"from" validate:"max=10" doc:"发布日期起（含），2006-01-02（北京时间）"`
	To         string `query:"to" validate:"max=10" doc:"发布日期止（含），2006-01-02（北京时间）"`
	Sort       string `query:"sort" validate:"omitempty,oneof=-publishedAt publishedAt title -updatedAt" doc:"排序（默认 -publishedAt，最新在前）"`
	Size       *int   `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Page       *int   `query:"page" validate:"omitempty,min=1,max=10000" doc:"页码（不能与 cursor 同用）"`
	Cursor     string `query:"cursor" validate:"max=2000" doc:"游标（上一页的 next）"`
	Fields     string `query:"fields" validate:"max=1000" doc:"返回的字段，逗号分隔（如 title,policy.docNumber；body、bodyText 须明确要求）"`
	// ConsistentWith is a feed sequence a write returned: List waits (a
	// few seconds at most) until the index has applied it.
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待查询端应用到该变更序号（读己之写）"`
}

// key is the list's cache key: every parameter but ConsistentWith (which
// changes when the answer is made, not what it is), each prefixed with
// its length, so that no two different queries share a key (a value may
// hold any byte).
func (q *ListQuery) key(signedIn bool) string {
	var buf [128]byte // most keys fit: the string is the only allocation
	b := append(buf[:0], '0')
	if signedIn {
		b[0] = '1'
	}
	for _, v := range [...]string{q.Channel, q.Type, q.Genre, q.Issuer, q.Department, q.Validity, q.Status,
		q.From, q.To, q.Sort, q.Cursor, q.Fields} {
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(b, ':')
		b = append(b, v...)
	}
	for _, n := range [...]*int{q.Year, q.Size, q.Page} {
		b = append(b, '|')
		if n != nil {
			b = strconv.AppendInt(b, int64(*n), 10)
		}
	}
	return string(b)
}

// A field is a name a client may put in ?fields=: the index fields it
// reads and how it fills a Summary from a hit's. "id" has neither (the hit
// always has it), body and bodyText read no index field and fill nothing
// (the store holds them: fillBodies).
type field struct {
	index []string
	fill  func(li *Summary, f map[string]any)
}

// text is a field shown as one stored string.
func text(ix string, to func(*Summary) *string) field {
	return field{index: []string{ix}, fill: func(li *Summary, f map[string]any) { *to(li), _ = f[ix].(string) }}
}

// moment is a field shown as a stored time (absent when not stored).
func moment(ix string, to func(*Summary) **time.Time) field {
	return field{index: []string{ix}, fill: func(li *Summary, f map[string]any) {
		if t, ok := f[ix].(time.Time); ok {
			*to(li) = &t
		}
	}}
}

// policyPart is (a part of) a policy file's metadata: set fills its part,
// and the policy is shown once any part of it is not empty.
func policyPart(ix []string, set func(p *SummaryPolicy, f map[string]any)) field {
	return field{index: ix, fill: func(li *Summary, f map[string]any) {
		p := li.Policy
		if p == nil {
			p = &SummaryPolicy{}
		}
		set(p, f)
		if p.DocNumber != "" || p.Validity != "" || p.Genre != "" || p.Issuers != nil {
			li.Policy = p
		}
	}}
}

func str(f map[string]any, name string) string { v, _ := f[name].(string); return v }

// leader is the leader of a speech or activity, by name.
var leader = field{index: []string{fLeader}, fill: func(li *Summary, f map[string]any) {
	if n := str(f, fLeader); n != "" {
		li.Leader = &SummaryLeader{Name: n}
	}
}}

// selectable are the fields a list may show, by the name ?fields= gives.
var selectable = map[string]field{
	"id":          {},
	"type":        text(fType, func(li *Summary) *string { return &li.Type }),
	"channel":     text(fChannel, func(li *Summary) *string { return &li.Channel }),
	"department":  text(fDepartment, func(li *Summary) *string { return &li.Department }),
	"path":        text(fPath, func(li *Summary) *string { return &li.Path }),
	"visibility":  text(fVisibility, func(li *Summary) *string { return &li.Visibility }),
	"status":      text(fStatus, func(li *Summary) *string { return &li.Status }),
	"title":       text(fTitleSort, func(li *Summary) *string { return &li.Title }),
	"summary":     text(fSummary, func(li *Summary) *string { return &li.Summary }),
	"cover":       text(fCover, func(li *Summary) *string { return &li.Cover }),
	"publishedAt": moment(fPublishedAt, func(li *Summary) **time.Time { return &li.PublishedAt }),
	"updatedAt":   moment(fUpdatedAt, func(li *Summary) **time.Time { return &li.UpdatedAt }),
	"policy": policyPart([]string{fDocNumber, fValidity, fGenre, fIssuers}, func(p *SummaryPolicy, f map[string]any) {
		p.DocNumber, p.Validity, p.Genre, p.Issuers = str(f, fDocNumber), str(f, fValidity), str(f, fGenre), strings2(f[fIssuers])
	}),
	"policy.docNumber": policyPart([]string{fDocNumber}, func(p *SummaryPolicy, f map[string]any) { p.DocNumber = str(f, fDocNumber) }),
	"policy.validity":  policyPart([]string{fValidity}, func(p *SummaryPolicy, f map[string]any) { p.Validity = str(f, fValidity) }),
	"policy.genre":     policyPart([]string{fGenre}, func(p *SummaryPolicy, f map[string]any) { p.Genre = str(f, fGenre) }),
	"policy.issuers":   policyPart([]string{fIssuers}, func(p *SummaryPolicy, f map[string]any) { p.Issuers = strings2(f[fIssuers]) }),
	"leader":           leader,
	"leader.name":      leader,
	"body":             {},
	"bodyText":         {},
}

// defaultFields is what a list shows without ?fields= (no body).
var defaultFields = []string{"type", "channel", "department", "path", "visibility", "status", "title",
	"summary", "cover", "publishedAt", "updatedAt", "policy", "leader"}

var sorts = map[string]string{
	"-publishedAt": "-" + fPublishedAt,
	"publishedAt":  fPublishedAt,
	"title":        fTitleSort,
	"-updatedAt":   "-" + fUpdatedAt,
}

// listRequest is a validated ListQuery, ready for the index.
type listRequest struct {
	q         index.Query
	filterKey string                                // the filters, canonical: the key of their total
	fields    []string                              // selected output names
	fills     []func(li *Summary, f map[string]any) // how they fill a summary (field.fill)
	withBody  bool                                  // body or bodyText asked for: read the store
}

func invalid(param, zh, en string) *problem.Error {
	return problem.Invalid(problem.Field(param, zh, en))
}

func notFound() *problem.Error { return problem.NotFound("内容不存在", "not found") }

// List answers a list for the reader p (nil: anonymous): the JSON of a
// Page, rendered once and kept until the next change to any portal item
// (cache.go), so that the lists readers ask for cost a map look-up. A
// query is validated when its answer is made; a cached answer was made
// from a valid one. Internal items are listed to signed-in readers only.
//
// The returned bytes are shared: the caller must not change them.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) ([]byte, error) {
	signedIn := p != nil
	if err := index.ConsistentWith(ctx, s.index, q.ConsistentWith, s.waitMax, s.store.LastSeq); err != nil {
		return nil, s.indexErr(err)
	}
	st := s.stamp()
	key := q.key(signedIn)
	if body, ok := s.lists.get(key, s.isFresh); ok {
		s.metrics.listHit.Inc()
		return body, nil
	}
	s.metrics.listMiss.Inc()
	// Right after a publication every list is a miss: the readers asking
	// for the same list meanwhile wait for one answer rather than each
	// running the index query.
	body, err, _ := s.listFlight.Do(key, func() (any, error) {
		// The answer is shared: it must not fail because the reader who
		// happened to ask first went away.
		ctx := context.WithoutCancel(ctx)
		req, err := s.parseList(q, signedIn)
		if err != nil {
			return nil, err
		}
		res, err := s.newest(ctx, req)
		if err != nil {
			return nil, s.indexErr(err)
		}
		// Each summary is filled in place: a pointer into the page, not to
		// a local, costs no allocation per hit.
		out := Page{Items: make([]Summary, len(res.Hits)), Total: res.Total, Next: res.Next}
		for i, h := range res.Hits {
			out.Items[i].ID = h.ID
			for _, fill := range req.fills {
				fill(&out.Items[i], h.Fields)
			}
		}
		if req.withBody {
			if err := s.fillBodies(ctx, out.Items, req.fields); err != nil {
				return nil, err
			}
		}
		body, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		s.lists.put(key, st, body)
		return body, nil
	})
	if err != nil {
		return nil, err
	}
	return body.([]byte), nil
}

// recentWindows are how far back newest tries to find a page, in turn:
// each try costs in proportion to the items in its window.
var recentWindows = []time.Duration{2 * 24 * time.Hour, 14 * 24 * time.Hour, 90 * 24 * time.Hour}

// newest runs the list. The first page of a newest-first list, the
// portal's most common query, is tried within the last two days, two
// weeks and three months first: Bleve sorts by reading the sort field of
// every match, so a channel with 36,000 items costs ~20 ms in full and a
// few days of it well under one. When a window holds more than a page,
// the page is the same as the full query's (the newest items are all in
// the window) and so is its cursor (bound to the sort, not to the
// filters); the total comes from a count, which reads no sort fields (and
// is cached for the filters, shared by every page, sort and field
// selection). Otherwise the full query runs.
func (s *Service) newest(ctx context.Context, req listRequest) (index.Result, error) {
	q := req.q
	if q.Sort[0] != "-"+fPublishedAt || q.After != "" || q.Page > 1 {
		return s.index.List(ctx, q)
	}
	var res index.Result
	found := false
	for _, w := range recentWindows {
		windowed := q
		windowed.Filters = append(slices.Clip(q.Filters), index.Range(fPublishedAt, s.now().Add(-w), nil))
		var err error
		if res, err = s.index.List(ctx, windowed); err != nil {
			return res, err
		}
		if found = res.Next != ""; found {
			break
		}
	}
	if !found {
		return s.index.List(ctx, q)
	}
	st := s.stamp()
	if total, ok := s.totals.get(req.filterKey, s.isFresh); ok {
		res.Total = total
		return res, nil
	}
	var err error
	if res.Total, err = s.index.Count(ctx, q.Filters...); err != nil {
		return index.Result{}, err
	}
	s.totals.put(req.filterKey, st, res.Total)
	return res, nil
}

// indexErr turns index errors into problems: a bad parameter is 400
// naming it, a lagging index 503.
func (s *Service) indexErr(err error) error {
	var pe *index.ParamError
	if errors.As(err, &pe) {
		param := pe.Param
		if param == fTitleSort || param == fPublishedAt || param == fUpdatedAt {
			param = "sort"
		}
		return invalid(param, "参数无效："+pe.Reason, pe.Error())
	}
	if errors.Is(err, index.ErrWaitTimeout) {
		return &problem.Error{Status: http.StatusServiceUnavailable, Code: problem.CodeUnavailable,
			Zh: "索引尚未更新，请稍后重试", En: "the index has not caught up yet; retry shortly", Cause: err}
	}
	return err
}

// parseList validates q and turns it into an index query.
func (s *Service) parseList(q ListQuery, signedIn bool) (listRequest, error) {
	var r listRequest
	if err := validation.Query(&q); err != nil {
		return r, err
	}
	for _, p := range []struct{ param, v string }{{"channel", q.Channel}, {"genre", q.Genre}, {"issuer", q.Issuer},
		{"department", q.Department}, {"cursor", q.Cursor}, {"fields", q.Fields}} {
		if !validation.ValidUTF8(p.v) {
			return r, invalid(p.param, "参数不是有效的 UTF-8 文本", "not valid UTF-8")
		}
	}
	statuses, err := parseStatuses(q.Status)
	if err != nil {
		return r, err
	}
	fs := s.readable(statuses, signedIn)
	if v := q.Channel; v != "" {
		_, ok := s.channels.Get(v)
		// An unknown channel and one the caller may not see answer alike.
		if !ok || (!signedIn && s.channels.Visibility(v) != channel.Public) {
			return r, problem.NotFound("栏目不存在", "no such channel")
		}
		fs = append(fs, index.Term(fChannels, v))
	}
	for _, f := range []struct{ v, field string }{{q.Type, fType}, {q.Genre, fGenre}, {q.Issuer, fIssuers},
		{q.Department, fDepartment}, {q.Validity, fValidity}} {
		if f.v != "" {
			fs = append(fs, index.Term(f.field, f.v))
		}
	}
	if q.Year != nil {
		fs = append(fs, index.Term(fYear, strconv.Itoa(*q.Year)))
	}
	var from, to time.Time
	for _, p := range []struct {
		param, v string
		t        *time.Time
	}{{"from", q.From, &from}, {"to", q.To, &to}} {
		if p.v != "" {
			t, err := time.ParseInLocation(time.DateOnly, p.v, chinaTime)
			if err != nil {
				return r, invalid(p.param, "日期格式应为 2006-01-02", "date must look like 2006-01-02")
			}
			*p.t = t
		}
	}
	if !from.IsZero() || !to.IsZero() {
		if !to.IsZero() {
			to = to.AddDate(0, 0, 1) // "to" is inclusive: up to the end of that day
			if !from.IsZero() && !to.After(from) {
				return r, invalid("to", "结束日期不能早于开始日期", "to must not be before from")
			}
		}
		fs = append(fs, index.Range(fPublishedAt, from, to))
	}
	r.q.Filters = fs
	// The filters alone decide the total: lists that differ only in sort,
	// page, size or fields share it.
	filters := ListQuery{Status: q.Status, Channel: q.Channel, Type: q.Type, Genre: q.Genre, Issuer: q.Issuer,
		Department: q.Department, Validity: q.Validity, Year: q.Year, From: q.From, To: q.To}
	r.filterKey = filters.key(signedIn)

	sortParam := q.Sort
	if sortParam == "" {
		sortParam = "-publishedAt"
	}
	sortField, ok := sorts[sortParam]
	if !ok { // the validate tag lists the same values
		return r, invalid("sort", "排序方式必须是 -publishedAt、publishedAt、title 或 -updatedAt",
			"sort must be one of -publishedAt, publishedAt, title, -updatedAt")
	}
	r.q.Sort = []string{sortField}
	r.q.Size = defaultSize
	if q.Size != nil {
		r.q.Size = *q.Size
	}
	if q.Page != nil {
		r.q.Page = *q.Page
	}
	r.q.After = q.Cursor
	if r.q.After != "" && r.q.Page > 1 {
		return r, invalid("page", "page 与 cursor 不能同时使用", "page cannot be combined with cursor")
	}

	r.fields = defaultFields
	if v := q.Fields; v != "" {
		r.fields = nil
		for f := range strings.SplitSeq(v, ",") {
			f = strings.TrimSpace(f)
			if _, ok := selectable[f]; !ok {
				return r, invalid("fields", "未知字段："+f, "unknown field "+strconv.Quote(f))
			}
			if !slices.Contains(r.fields, f) {
				r.fields = append(r.fields, f)
			}
		}
	}
	r.fills = make([]func(*Summary, map[string]any), 0, len(r.fields))
	for _, f := range r.fields {
		if f == "body" || f == "bodyText" {
			r.withBody = true
		}
		sel := selectable[f]
		if sel.fill != nil {
			r.fills = append(r.fills, sel.fill)
		}
		for _, ixf := range sel.index {
			if !slices.Contains(r.q.Fields, ixf) {
				r.q.Fields = append(r.q.Fields, ixf)
			}
		}
	}
	return r, nil
}

// linkedStatuses are the statuses a link (or a reverse link) may point
// at: a withdrawn item stays readable, with its notice. Redirected and
// gone items are indexed (for by-path look-ups) but never listed.
var linkedStatuses = []string{item.StatusPublished, item.StatusWithdrawn}

// listStatuses are the values of ?status=; a list without it shows
// published items only (a withdrawn item leaves the lists, GOV.UK-style,
// and stays readable by id or path).
var listStatuses = []string{item.StatusPublished, item.StatusWithdrawn}

// parseStatuses reads ?status= (comma-separated listStatuses; "" is
// published only).
func parseStatuses(v string) ([]string, error) {
	if v == "" {
		return []string{item.StatusPublished}, nil
	}
	var out []string
	for st := range strings.SplitSeq(v, ",") {
		st = strings.TrimSpace(st)
		if !slices.Contains(listStatuses, st) {
			return nil, invalid("status", "状态必须是 published（已发布）或 withdrawn（已撤回），多个用逗号分隔",
				"status must be published, withdrawn or both, comma-separated")
		}
		if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out, nil
}

// readable is the filter every list applies: the statuses asked for and,
// for an anonymous caller, public items only, in one term query on the
// listing field. Public is the effective visibility the projection
// computed from the item and every channel above it, so the term
// excludes internal channels too (a negated channel filter would cost
// Bleve a walk over the whole index on every query).
func (s *Service) readable(statuses []string, signedIn bool) []index.Filter {
	terms := listingTerms(statuses, signedIn)
	if len(terms) == 1 {
		return []index.Filter{index.Term(fListing, terms[0])}
	}
	return []index.Filter{index.Terms(fListing, terms...)}
}

var contentTypes = []string{channel.TypeArticle, channel.TypePolicy, channel.TypeSpeech, channel.TypeActivity, channel.TypeReport}

// strings2 reads a multi-valued keyword: Bleve returns one value as a
// string and several as []any.
func strings2(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// fillBodies reads the listed items from the store, for a list that asked
// for body or bodyText (the index does not hold them).
func (s *Service) fillBodies(ctx context.Context, items []Summary, fields []string) error {
	ids := make([]string, len(items))
	for i, li := range items {
		ids[i] = li.ID
	}
	found, err := s.getItems(ctx, ids)
	if err != nil {
		return err
	}
	for i := range items {
		it, ok := found[items[i].ID]
		if !ok {
			continue
		}
		if slices.Contains(fields, "body") {
			items[i].Body = it.Body
		}
		if slices.Contains(fields, "bodyText") {
			items[i].BodyText = it.BodyText
		}
	}
	return nil
}
