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

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// List bounds of the delivery API.
const (
	defaultSize = 20
	maxSize     = 100
)

// channelNode is a channel as the delivery API shows it.
type channelNode struct {
	Key        string         `json:"key"`
	Name       string         `json:"name"`
	Types      []string       `json:"types"`
	Visibility string         `json:"visibility"`
	Department string         `json:"department"`
	Order      int            `json:"order"`
	Children   []*channelNode `json:"children"`
}

func toNodes(ns []*channel.Node) []*channelNode {
	out := make([]*channelNode, 0, len(ns))
	for _, n := range ns {
		types := n.Types
		if types == nil {
			types = []string{}
		}
		out = append(out, &channelNode{Key: n.Key, Name: n.Name, Types: types, Visibility: n.Visibility,
			Department: n.Department, Order: n.Order, Children: toNodes(n.Children)})
	}
	return out
}

func (s *Service) getChannels(c *fiber.Ctx) error {
	signedIn := auth.Caller(c) != nil
	if signedIn {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	}
	return c.JSON(toNodes(s.channels.Roots(signedIn)))
}

// listItem is one item of a list, made from the index's stored fields.
type listItem struct {
	ID          string      `json:"id"`
	Type        string      `json:"type,omitempty"`
	Channel     string      `json:"channel,omitempty"`
	Department  string      `json:"department,omitempty"`
	Path        string      `json:"path,omitempty"`
	Visibility  string      `json:"visibility,omitempty"`
	Status      string      `json:"status,omitempty"`
	Title       string      `json:"title,omitempty"`
	Summary     string      `json:"summary,omitempty"`
	Cover       string      `json:"cover,omitempty"`
	PublishedAt *time.Time  `json:"publishedAt,omitempty"`
	UpdatedAt   *time.Time  `json:"updatedAt,omitempty"`
	Policy      *listPolicy `json:"policy,omitempty"`
	Leader      *listLeader `json:"leader,omitempty"`
	Body        string      `json:"body,omitempty"`
	BodyText    string      `json:"bodyText,omitempty"`
}

type listPolicy struct {
	DocNumber string   `json:"docNumber,omitempty"`
	Validity  string   `json:"validity,omitempty"`
	Genre     string   `json:"genre,omitempty"`
	Issuers   []string `json:"issuers,omitempty"`
}

type listLeader struct {
	Name string `json:"name"`
}

type listResponse struct {
	Items []listItem `json:"items"`
	Total uint64     `json:"total"`
	Next  string     `json:"next,omitempty"`
}

// selectable maps each name a client may put in ?fields= to the index
// fields it needs ("" for id, always there; nil for the store-only body).
var selectable = map[string][]string{
	"id":               {},
	"type":             {fType},
	"channel":          {fChannel},
	"department":       {fDepartment},
	"path":             {fPath},
	"visibility":       {fVisibility},
	"status":           {fStatus},
	"title":            {fTitleSort},
	"summary":          {fSummary},
	"cover":            {fCover},
	"publishedAt":      {fPublishedAt},
	"updatedAt":        {fUpdatedAt},
	"policy":           {fDocNumber, fValidity, fGenre, fIssuers},
	"policy.docNumber": {fDocNumber},
	"policy.validity":  {fValidity},
	"policy.genre":     {fGenre},
	"policy.issuers":   {fIssuers},
	"leader":           {fLeader},
	"leader.name":      {fLeader},
	"body":             nil,
	"bodyText":         nil,
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

// listRequest is a parsed and validated ?query.
type listRequest struct {
	q         index.Query
	filterKey string   // the filters, canonical: the key of their total
	fields    []string // selected output names
	withBody  bool     // body or bodyText asked for: read the store
}

func invalid(param, zh, en string) *problem.Error {
	return problem.Invalid(problem.Field(param, zh, en))
}

func notFound() *problem.Error { return problem.NotFound("内容不存在", "not found") }

func (s *Service) listItems(c *fiber.Ctx) error {
	ctx := c.UserContext()
	signedIn := auth.Caller(c) != nil
	if err := index.ConsistentWith(ctx, s.index, c.Query(index.ConsistentWithParam), s.waitMax, s.store.LastSeq); err != nil {
		return s.indexErr(err)
	}
	st := s.stamp()
	key := cacheKey(signedIn, c.Request().URI().QueryString())
	if body, ok := s.lists.get(key, s.isFresh); ok {
		s.metrics.listHit.Inc()
		return sendList(c, signedIn, body)
	}
	s.metrics.listMiss.Inc()
	body, err := s.listFlight.do(key, func() ([]byte, error) {
		req, err := s.parseList(c, signedIn)
		if err != nil {
			return nil, err
		}
		res, err := s.newest(ctx, req)
		if err != nil {
			return nil, s.indexErr(err)
		}
		out := listResponse{Items: make([]listItem, 0, len(res.Hits)), Total: res.Total, Next: res.Next}
		for _, h := range res.Hits {
			out.Items = append(out.Items, toListItem(h, req.fields))
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
		return err
	}
	return sendList(c, signedIn, body)
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

func cacheKey(signedIn bool, query []byte) string {
	if signedIn {
		return "1" + string(query)
	}
	return "0" + string(query)
}

func sendList(c *fiber.Ctx, signedIn bool, body []byte) error {
	if signedIn {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	} else {
		// Lists change with every publication; let shared caches hold them
		// only briefly.
		c.Set(fiber.HeaderCacheControl, "public, max-age=10")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
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

func (s *Service) parseList(c *fiber.Ctx, signedIn bool) (listRequest, error) {
	var r listRequest
	statuses, err := parseStatuses(c.Query("status"))
	if err != nil {
		return r, err
	}
	fs := s.readable(statuses, signedIn)
	if v := c.Query("channel"); v != "" {
		ch, ok := s.channels.Get(v)
		// An unknown channel and one the caller may not see answer alike.
		if !ok || (!signedIn && (ch.Visibility == channel.Internal || s.channelInternal(v))) {
			return r, problem.NotFound("栏目不存在", "no such channel")
		}
		fs = append(fs, index.Term(fChannels, v))
	}
	if v := c.Query("type"); v != "" {
		if !slices.Contains(contentTypes, v) {
			return r, invalid("type", "未知的内容类型："+v, "unknown content type "+strconv.Quote(v))
		}
		fs = append(fs, index.Term(fType, v))
	}
	for _, p := range []struct{ param, field string }{{"genre", fGenre}, {"issuer", fIssuers}, {"department", fDepartment}} {
		if v := c.Query(p.param); v != "" {
			if len(v) > 200 {
				return r, invalid(p.param, "参数过长", "value too long")
			}
			fs = append(fs, index.Term(p.field, v))
		}
	}
	if v := c.Query("validity"); v != "" {
		if !slices.Contains(item.Validities, v) {
			return r, invalid("validity", "效力状态必须是："+strings.Join(item.Validities, "、"),
				"validity must be one of "+strings.Join(item.Validities, ", "))
		}
		fs = append(fs, index.Term(fValidity, v))
	}
	if v := c.Query("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1949 || y > 9999 {
			return r, invalid("year", "年份必须是四位数字", "year must be a four-digit year")
		}
		fs = append(fs, index.Term(fYear, strconv.Itoa(y)))
	}
	var from, to time.Time
	for _, p := range []struct {
		param string
		t     *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := c.Query(p.param); v != "" {
			t, err := time.ParseInLocation(time.DateOnly, v, chinaTime)
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
	var fk strings.Builder
	fk.WriteString(cacheKey(signedIn, nil))
	for _, p := range []string{"status", "channel", "type", "genre", "issuer", "department", "validity", "year", "from", "to"} {
		fk.WriteString("\x00")
		fk.WriteString(c.Query(p))
	}
	r.filterKey = fk.String()

	sortParam := c.Query("sort", "-publishedAt")
	sortField, ok := sorts[sortParam]
	if !ok {
		return r, invalid("sort", "排序方式必须是 -publishedAt、publishedAt、title 或 -updatedAt",
			"sort must be one of -publishedAt, publishedAt, title, -updatedAt")
	}
	r.q.Sort = []string{sortField}

	r.q.Size = defaultSize
	if v := c.Query("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSize {
			return r, invalid("size", "每页条数必须是 1 到 100 之间的整数", "size must be an integer from 1 to 100")
		}
		r.q.Size = n
	}
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return r, invalid("page", "页码必须是 1 到 10000 之间的整数", "page must be an integer from 1 to 10000")
		}
		r.q.Page = n
	}
	r.q.After = c.Query("cursor")
	if r.q.After != "" && r.q.Page > 1 {
		return r, invalid("page", "page 与 cursor 不能同时使用", "page cannot be combined with cursor")
	}

	r.fields = defaultFields
	if v := c.Query("fields"); v != "" {
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
	for _, f := range r.fields {
		if f == "body" || f == "bodyText" {
			r.withBody = true
		}
		for _, ixf := range selectable[f] {
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

func toListItem(h index.Hit, fields []string) listItem {
	f := h.Fields
	str := func(name string) string { v, _ := f[name].(string); return v }
	li := listItem{ID: h.ID}
	for _, name := range fields {
		switch name {
		case "type":
			li.Type = str(fType)
		case "channel":
			li.Channel = str(fChannel)
		case "department":
			li.Department = str(fDepartment)
		case "path":
			li.Path = str(fPath)
		case "visibility":
			li.Visibility = str(fVisibility)
		case "status":
			li.Status = str(fStatus)
		case "title":
			li.Title = str(fTitleSort)
		case "summary":
			li.Summary = str(fSummary)
		case "cover":
			li.Cover = str(fCover)
		case "publishedAt":
			if t, ok := f[fPublishedAt].(time.Time); ok {
				li.PublishedAt = &t
			}
		case "updatedAt":
			if t, ok := f[fUpdatedAt].(time.Time); ok {
				li.UpdatedAt = &t
			}
		case "policy", "policy.docNumber", "policy.validity", "policy.genre", "policy.issuers":
			p := li.Policy
			if p == nil {
				p = &listPolicy{}
			}
			all := name == "policy"
			if all || name == "policy.docNumber" {
				p.DocNumber = str(fDocNumber)
			}
			if all || name == "policy.validity" {
				p.Validity = str(fValidity)
			}
			if all || name == "policy.genre" {
				p.Genre = str(fGenre)
			}
			if all || name == "policy.issuers" {
				p.Issuers = strings2(f[fIssuers])
			}
			if p.DocNumber != "" || p.Validity != "" || p.Genre != "" || p.Issuers != nil {
				li.Policy = p
			}
		case "leader", "leader.name":
			if n := str(fLeader); n != "" {
				li.Leader = &listLeader{Name: n}
			}
		}
	}
	return li
}

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
func (s *Service) fillBodies(ctx context.Context, items []listItem, fields []string) error {
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
