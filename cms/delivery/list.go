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

// A field is a name a client may put in ?fields=: how it copies its part
// of an entry's shown summary into a listed one. "id" copies nothing (a
// listed summary always has it); body and bodyText neither (the store
// holds them: fillBodies).
type field struct {
	copy func(dst, src *Summary)
}

// part is a field shown as one part of the summary.
func part[T any](at func(*Summary) *T) field {
	return field{copy: func(dst, src *Summary) { *at(dst) = *at(src) }}
}

// policyPart is (a part of) a policy file's metadata: set copies its
// part, and the policy is shown once any part of it is not empty.
func policyPart(set func(dst, src *SummaryPolicy)) field {
	return field{copy: func(dst, src *Summary) {
		if src.Policy == nil {
			return
		}
		p := dst.Policy
		if p == nil {
			p = &SummaryPolicy{}
		}
		set(p, src.Policy)
		if p.shown() {
			dst.Policy = p
		}
	}}
}

func str(f map[string]any, name string) string { v, _ := f[name].(string); return v }

// leader is the leader of a speech or activity, by name.
var leader = part(func(li *Summary) **SummaryLeader { return &li.Leader })

// selectable are the fields a list may show, by the name ?fields= gives.
var selectable = map[string]field{
	"id":               {},
	"type":             part(func(li *Summary) *string { return &li.Type }),
	"channel":          part(func(li *Summary) *string { return &li.Channel }),
	"department":       part(func(li *Summary) *string { return &li.Department }),
	"path":             part(func(li *Summary) *string { return &li.Path }),
	"visibility":       part(func(li *Summary) *string { return &li.Visibility }),
	"status":           part(func(li *Summary) *string { return &li.Status }),
	"title":            part(func(li *Summary) *string { return &li.Title }),
	"summary":          part(func(li *Summary) *string { return &li.Summary }),
	"cover":            part(func(li *Summary) *string { return &li.Cover }),
	"publishedAt":      part(func(li *Summary) **time.Time { return &li.PublishedAt }),
	"updatedAt":        part(func(li *Summary) **time.Time { return &li.UpdatedAt }),
	"policy":           policyPart(func(dst, src *SummaryPolicy) { *dst = *src }),
	"policy.docNumber": policyPart(func(dst, src *SummaryPolicy) { dst.DocNumber = src.DocNumber }),
	"policy.validity":  policyPart(func(dst, src *SummaryPolicy) { dst.Validity = src.Validity }),
	"policy.genre":     policyPart(func(dst, src *SummaryPolicy) { dst.Genre = src.Genre }),
	"policy.issuers":   policyPart(func(dst, src *SummaryPolicy) { dst.Issuers = src.Issuers }),
	"leader":           leader,
	"leader.name":      leader,
	"body":             {},
	"bodyText":         {},
}

// defaultFields is what a list shows without ?fields= (no body).
var defaultFields = []string{"type", "channel", "department", "path", "visibility", "status", "title",
	"summary", "cover", "publishedAt", "updatedAt", "policy", "leader"}

// listRequest is a validated ListQuery, ready for the list view.
type listRequest struct {
	filter    listFilter
	filterKey string // the filters, canonical: the key of their total
	order     int    // in listOrders
	after     *entry // the cursor's entry (nil: none)
	offset    int    // matches skipped before the page ((page-1)×size)
	size      int
	fields    []string                  // selected output names
	copies    []func(dst, src *Summary) // how they fill a summary (field.copy)
	withBody  bool                      // body or bodyText asked for: read the store
	// allDefault: the fields are the default ones (in any order, with or
	// without "id"), whose summary is the entry's whole shown one.
	allDefault bool
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
		v := s.view.cur.Load()
		pg := v.page(&req.filter, req.order, req.after, req.offset, req.size)
		// The total is the filters' alone: shared by every page, sort and
		// field selection of them.
		total, ok := s.totals.get(req.filterKey, s.isFresh)
		if !ok {
			total = v.count(&req.filter)
			s.totals.put(req.filterKey, st, total)
		}
		body, err := s.render(ctx, req, pg, total)
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

// render is the JSON of a Page. A list of the default fields (the
// portal's own lists ask for no others) joins each entry's summary,
// encoded once per entry near a list's head (entry.json); any other selection fills the
// summaries and encodes them.
func (s *Service) render(ctx context.Context, req listRequest, pg viewPage, total uint64) ([]byte, error) {
	if req.allDefault {
		b := append(make([]byte, 0, 64+512*len(pg.entries)), `{"items":[`...)
		for i, e := range pg.entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, e.json(req.after == nil && req.offset+i < keptDepth)...)
		}
		b = append(b, `],"total":`...)
		b = strconv.AppendUint(b, total, 10)
		if pg.next != "" {
			b = append(b, `,"next":`...)
			b = strconv.AppendQuote(b, pg.next) // base64url: nothing JSON escapes differently
		}
		return append(b, '}'), nil
	}
	// Each summary is filled in place: a pointer into the page, not to
	// a local, costs no allocation per hit.
	out := Page{Items: make([]Summary, len(pg.entries)), Total: total, Next: pg.next}
	shown := make([]shownParts, len(pg.entries)) // what the items' pointers point at
	for i, e := range pg.entries {
		out.Items[i].ID = e.id()
		src := e.shown(&shown[i])
		for _, copy := range req.copies {
			copy(&out.Items[i], src)
		}
	}
	if req.withBody {
		if err := s.fillBodies(ctx, out.Items, req.fields); err != nil {
			return nil, err
		}
	}
	return json.Marshal(out)
}

// indexErr turns index errors into problems: a bad parameter is 400
// naming it, a lagging index 503.
func (s *Service) indexErr(err error) error {
	var pe *index.ParamError
	if errors.As(err, &pe) {
		return invalid(pe.Param, "参数无效："+pe.Reason, pe.Error())
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
	// The filter's strings outlive no request (the answer is made while
	// the first reader's handler waits), but they are cloned anyway:
	// Fiber reuses request memory, and a copy costs nothing here.
	f := &r.filter
	f.listing = listingMask(listingTerms(statuses, signedIn))
	if v := q.Channel; v != "" {
		_, ok := s.channels.Get(v)
		// An unknown channel and one the caller may not see answer alike.
		if !ok || (!signedIn && s.channels.Visibility(v) != channel.Public) {
			return r, problem.NotFound("栏目不存在", "no such channel")
		}
		f.channel = strings.Clone(v)
	}
	f.typ, f.genre, f.issuer = strings.Clone(q.Type), strings.Clone(q.Genre), strings.Clone(q.Issuer)
	f.department, f.validity = strings.Clone(q.Department), strings.Clone(q.Validity)
	for _, p := range []struct {
		param, v string
		t        *time.Time
	}{{"from", q.From, &f.from}, {"to", q.To, &f.to}} {
		if p.v != "" {
			t, err := time.ParseInLocation(time.DateOnly, p.v, chinaTime)
			if err != nil {
				return r, invalid(p.param, "日期格式应为 2006-01-02", "date must look like 2006-01-02")
			}
			*p.t = t
		}
	}
	if !f.to.IsZero() {
		f.to = f.to.AddDate(0, 0, 1) // "to" is inclusive: up to the end of that day
		if !f.from.IsZero() && !f.to.After(f.from) {
			return r, invalid("to", "结束日期不能早于开始日期", "to must not be before from")
		}
	}
	// A year is its days in China time (the index's year field is the
	// publication's year there): a date range, narrowed by from and to.
	if q.Year != nil {
		start := time.Date(*q.Year, 1, 1, 0, 0, 0, 0, chinaTime)
		end := start.AddDate(1, 0, 0)
		if f.from.IsZero() || f.from.Before(start) {
			f.from = start
		}
		if f.to.IsZero() || f.to.After(end) {
			f.to = end
		}
	}
	// The filters alone decide the total: lists that differ only in sort,
	// page, size or fields share it.
	filters := ListQuery{Status: q.Status, Channel: q.Channel, Type: q.Type, Genre: q.Genre, Issuer: q.Issuer,
		Department: q.Department, Validity: q.Validity, Year: q.Year, From: q.From, To: q.To}
	r.filterKey = filters.key(signedIn)

	sortParam := q.Sort
	if sortParam == "" {
		sortParam = "-publishedAt"
	}
	order, ok := orderOf(sortParam)
	if !ok { // the validate tag lists the same values
		return r, invalid("sort", "排序方式必须是 -publishedAt、publishedAt、title 或 -updatedAt",
			"sort must be one of -publishedAt, publishedAt, title, -updatedAt")
	}
	r.order = order
	r.size = defaultSize
	if q.Size != nil {
		r.size = *q.Size
	}
	page := 1
	if q.Page != nil {
		page = *q.Page
	}
	r.offset = (page - 1) * r.size
	if q.Cursor != "" {
		if page > 1 {
			return r, invalid("page", "page 与 cursor 不能同时使用", "page cannot be combined with cursor")
		}
		if r.after, err = decodeListCursor(q.Cursor, order); err != nil {
			return r, err
		}
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
	r.allDefault = true
	for _, f := range defaultFields {
		r.allDefault = r.allDefault && slices.Contains(r.fields, f)
	}
	for _, f := range r.fields {
		r.allDefault = r.allDefault && (f == "id" || slices.Contains(defaultFields, f))
	}
	r.copies = make([]func(dst, src *Summary), 0, len(r.fields))
	for _, f := range r.fields {
		if f == "body" || f == "bodyText" {
			r.withBody = true
		}
		if c := selectable[f].copy; c != nil {
			r.copies = append(r.copies, c)
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

var contentTypes = []string{channel.TypeArticle, channel.TypePolicy, channel.TypeSpeech, channel.TypeActivity, channel.TypeReport}

// strings2 reads a multi-valued keyword: Bleve returns one value as a
// string and several as []any; project makes a []string.
func strings2(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
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
