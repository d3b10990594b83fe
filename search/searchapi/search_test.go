package searchapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

var (
	reader = auth.Principal{UserID: "u-reader", Username: "reader", Clearance: classification.Feimi, Departments: []string{"bgt"}}
)

func TestPortalAccessControl(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Which documents are internal is the projection's call (the
	// portal's, with its channels, is tested in cms/item); the search
	// API shows them to signed-in readers only, in hits, facets and
	// suggestions alike.
	intl := newPage("政务公开内部通报", "内部的政务公开情况")
	intl.Internal, intl.Channel = true, "neibu"
	gone := newPage("政务公开已删除", "政务公开")
	gone.Status = "gone"
	inSub := newPage("政务公开栏目通知", "政务公开")
	inSub.Internal, inSub.Channel = true, "sub"
	e.save("pub", newPage("政务公开工作要点", "推进政务公开标准化"))
	e.save("int", intl)
	e.save("gone", gone)
	e.save("chan", inSub)
	e.open(nil, nil)
	e.sync()

	for _, params := range []url.Values{q("q", "政务公开"), q("q", ""), q("q", "政务公开", "sort", "date")} {
		anon := e.search(params, "")
		if got := anon.ids(); !slices.Equal(got, []string{"pub"}) || anon.Total != 1 {
			t.Fatalf("anonymous %v: total %d hits %v, want only pub", params, anon.Total, got)
		}
		if anon.facet("channel", "neibu") != 0 || anon.facet("channel", "sub") != 0 || anon.facet("channel", "news") != 1 {
			t.Fatalf("anonymous facets leak: %+v", anon.Facets)
		}
		signed := e.search(params, e.Token(reader))
		got := signed.ids()
		slices.Sort(got)
		if !slices.Equal(got, []string{"chan", "int", "pub"}) || signed.Total != 3 {
			t.Fatalf("signed in %v: total %d hits %v", params, signed.Total, got)
		}
	}
	// Suggestions obey the same rules.
	status, body, _ := e.get("/suggest", q("q", "政务公开"), "")
	if status != 200 || strings.Contains(string(body), "内部") || strings.Contains(string(body), "栏目") {
		t.Fatalf("anonymous suggest: %d %s", status, body)
	}
}

type officeDoc struct {
	Title          string               `json:"title"`
	Body           string               `json:"body"`
	Department     string               `json:"department"`
	Classification classification.Level `json:"classification"`
	Principals     []string             `json:"principals"`
	Restricted     bool                 `json:"restricted"`
}

// officeSource indexes office_docs with readers as an office capability
// gives them (auth.Access): the department's members (everyone for "*"),
// plus the need-to-know list, or the list alone when restricted.
func officeSource() []source.Projection {
	return []source.Projection{{Index: source.OfficeName, Collection: "office_docs", Project: func(d store.Doc) (source.Doc, bool) {
		var od officeDoc
		if d.Decode(&od) != nil {
			return source.Doc{}, false
		}
		var readers []string
		switch {
		case od.Restricted:
		case od.Department == "*":
			readers = append(readers, auth.Staff)
		default:
			readers = append(readers, auth.Member(od.Department))
		}
		for _, p := range od.Principals {
			readers = append(readers, auth.User(p))
		}
		return source.Doc{Title: od.Title, Body: od.Body, Type: "gongwen", Department: od.Department,
			Classification: od.Classification, Readers: readers, Visibility: source.Internal,
			PublishedAt: t0, Path: "docs/" + d.ID}, true
	}}}
}

func TestOfficeAccessControl(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	docs := map[string]officeDoc{
		"plain":     {Title: "防汛工作安排", Department: "bgt"},
		"secret":    {Title: "防汛秘密部署", Department: "bgt", Classification: classification.Mimi},
		"other":     {Title: "防汛他厅安排", Department: "caizheng"},
		"shared":    {Title: "防汛全办通知", Department: "*"},
		"ntk":       {Title: "防汛专项知悉", Department: "caizheng", Principals: []string{"u-reader"}},
		"ntkOnly":   {Title: "防汛限定知悉", Department: "bgt", Restricted: true, Principals: []string{"u-boss"}},
		"badLevel":  {Title: "防汛未知密级", Department: "bgt", Classification: "内部"},
		"confident": {Title: "防汛机密文件", Department: "*", Classification: classification.Jimi},
	}
	for id, d := range docs {
		if _, err := store.Save(ctx, e.Store, "office_docs", id, d, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	e.open(officeSource(), nil)
	e.sync()

	if status, body, ct := e.get("/search", q("q", "防汛", "scope", "office"), ""); status != 401 || !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("anonymous office search: %d %s %s", status, ct, body)
	}
	if status, _, _ := e.get("/suggest", q("q", "防汛", "scope", "office"), ""); status != 401 {
		t.Fatalf("anonymous office suggest: %d", status)
	}
	boss := auth.Principal{UserID: "u-boss", Clearance: classification.Mimi, Departments: []string{"bgt"}}
	outsider := auth.Principal{UserID: "u-out", Clearance: classification.Jimi, Departments: []string{"jiaoyu"}}
	cases := []struct {
		who  auth.Principal
		want []string
	}{
		{reader, []string{"ntk", "plain", "shared"}},
		{boss, []string{"ntkOnly", "plain", "secret", "shared"}},
		{outsider, []string{"confident", "shared"}},
		{auth.Principal{UserID: "u-x", Clearance: "unknown"}, nil},
	}
	for _, c := range cases {
		for _, params := range []url.Values{q("q", "防汛", "scope", "office"), q("scope", "office", "type", "gongwen")} {
			r := e.search(params, e.Token(c.who))
			got := r.ids()
			slices.Sort(got)
			if !slices.Equal(got, c.want) || r.Total != uint64(len(c.want)) {
				t.Fatalf("%s %v: total %d hits %v, want %v", c.who.UserID, params, r.Total, got, c.want)
			}
			if r.facet("type", "gongwen") != len(c.want) {
				t.Fatalf("%s: type facet %+v, want %d", c.who.UserID, r.Facets["type"], len(c.want))
			}
		}
	}
	// The portal never holds office documents.
	if r := e.search(q("q", "防汛"), e.Token(boss)); r.Total != 0 {
		t.Fatalf("portal scope shows office documents: %v", r.ids())
	}
}

func TestHighlightEscapesHTML(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("x", newPage(`<script>alert("政务")</script>公开`, `正文 <b>政务</b> & 公开 <img src=x onerror=alert(1)>`))
	e.open(nil, nil)
	e.sync()
	r := e.search(q("q", "政务"), "")
	if len(r.Hits) != 1 {
		t.Fatalf("hits %v", r.ids())
	}
	h := r.Hits[0].Highlights
	if len(h["title"]) == 0 || len(h["body"]) == 0 {
		t.Fatalf("highlights %v", h)
	}
	for _, frags := range h {
		for _, f := range frags {
			rest := strings.ReplaceAll(strings.ReplaceAll(f, "<mark>", ""), "</mark>", "")
			if strings.ContainsAny(rest, "<>\"") {
				t.Fatalf("unescaped HTML outside <mark>: %q", f)
			}
			if !strings.Contains(f, "<mark>政务</mark>") {
				t.Fatalf("fragment without the match marked: %q", f)
			}
		}
	}
	if want := `&lt;script&gt;alert(&#34;<mark>政务</mark>&#34;)&lt;/script&gt;公开`; h["title"][0] != want {
		t.Fatalf("title fragment %q, want %q", h["title"][0], want)
	}
	if r.Hits[0].Title != `<script>alert("政务")</script>公开` {
		t.Fatalf("title is returned as stored, JSON-encoded: %q", r.Hits[0].Title)
	}
}

func TestFacetsFiltersSort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mk := func(i int, channel, typ, issuer, validity string, at time.Time) page {
		p := newPage("关于森林防火工作的通知", "森林防火")
		p.Channel, p.Type, p.PublishedAt = channel, typ, at
		if issuer != "" {
			p.DocNumber, p.Issuer, p.Validity = "皖政办〔2026〕"+string(rune('0'+i))+"号", issuer, validity
		}
		return p
	}
	docs := []page{
		mk(1, "files", "policy", "省政府办公厅", "有效", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)),
		mk(2, "files", "policy", "省发展改革委", "已废止", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)),
		mk(3, "files", "policy", "省政府办公厅", "有效", time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)),
		mk(4, "news", "news", "", "", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)),
		mk(5, "news", "news", "", "", time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC)),
	}
	for i, p := range docs {
		e.save(id(i+1), p)
	}
	e.open(nil, nil)
	e.sync()

	all := e.search(q("q", "森林防火"), "")
	if all.Total != 5 {
		t.Fatalf("total %d", all.Total)
	}
	for _, c := range []struct {
		facet, value string
		n            int
	}{{"channel", "files", 3}, {"channel", "news", 2}, {"type", "policy", 3}, {"issuer", "省政府办公厅", 2},
		{"issuer", "省发展改革委", 1}, {"year", "2026", 2}, {"year", "2023", 1}, {"validity", "有效", 2}, {"validity", "已废止", 1}} {
		if got := all.facet(c.facet, c.value); got != c.n {
			t.Errorf("facet %s=%s: %d, want %d (%+v)", c.facet, c.value, got, c.n, all.Facets[c.facet])
		}
	}
	filters := []struct {
		params url.Values
		want   []string
	}{
		{q("q", "森林防火", "channel", "files", "sort", "date"), []string{id(3), id(2), id(1)}},
		{q("q", "森林防火", "issuer", "省政府办公厅", "sort", "date"), []string{id(3), id(1)}},
		{q("q", "森林防火", "year", "2026", "sort", "date"), []string{id(4), id(3)}},
		{q("q", "森林防火", "validity", "已废止"), []string{id(2)}},
		{q("q", "森林防火", "type", "news", "sort", "date"), []string{id(4), id(5)}},
		{q("q", "森林防火", "from", "2025-01-01", "to", "2026-01-10", "sort", "date"), []string{id(3), id(2)}},
		{q("channel", "files"), []string{id(3), id(2), id(1)}}, // browse: by date
		{q("sort", "date", "size", "2"), []string{id(4), id(3)}},
		{q("sort", "date", "size", "2", "page", "2"), []string{id(2), id(1)}},
	}
	for _, f := range filters {
		r := e.search(f.params, "")
		if got := r.ids(); !slices.Equal(got, f.want) {
			t.Errorf("%v: %v, want %v", f.params, got, f.want)
		}
	}
	// A filtered query's facets count the filtered hits only.
	r := e.search(q("q", "森林防火", "channel", "files"), "")
	if r.facet("channel", "news") != 0 || r.facet("type", "policy") != 3 {
		t.Fatalf("facets of a filtered search: %+v", r.Facets)
	}
	// Hit fields.
	r = e.search(q("q", "皖政办〔2026〕3号"), "")
	if len(r.Hits) == 0 || r.Hits[0].ID != id(3) || r.Hits[0].DocNumber != "皖政办〔2026〕3号" ||
		r.Hits[0].Validity != "有效" || r.Hits[0].Path != "pages/"+id(3) || !strings.HasPrefix(r.Hits[0].PublishedAt, "2026-01-10") {
		t.Fatalf("doc number search: %+v", r.Hits)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("a", newPage("关于加强森林草原火灾防控工作的通知", "正文"))
	e.save("b", newPage("全省农业农村工作会议召开", "正文"))
	e.open(nil, nil)
	e.sync()
	for _, typed := range []string{"关于加强", "森林草原", "森林草源火灾"} {
		status, body, _ := e.get("/suggest", q("q", typed), "")
		var res struct {
			Suggestions []struct{ Text, ID string } `json:"suggestions"`
		}
		if status != 200 || json.Unmarshal(body, &res) != nil {
			t.Fatalf("suggest %s: %d %s", typed, status, body)
		}
		if len(res.Suggestions) == 0 || res.Suggestions[0].ID != "a" || res.Suggestions[0].Text != "关于加强森林草原火灾防控工作的通知" {
			t.Fatalf("suggest %s: %s", typed, body)
		}
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.open(nil, nil)
	long := strings.Repeat("政", 201)
	bad := func(path string, params url.Values, field string) testkit.Scenario {
		name := path + "?" + params.Encode()
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		return testkit.Scenario{Name: name, Method: "GET", Path: searchapi.Prefix + path + "?" + params.Encode(),
			Status: 400, Code: problem.CodeInvalid, Field: field}
	}
	testkit.Run(t, e.app,
		bad("/search", q("q", long), "q"),
		bad("/search", q("scope", "all"), "scope"),
		bad("/search", q("sort", "-date"), "sort"),
		bad("/search", q("size", "51"), "size"),
		bad("/search", q("size", "0"), "size"),
		bad("/search", q("page", "x"), "page"),
		bad("/search", q("page", "1000", "size", "50"), "page"),
		bad("/search", q("year", "26"), "year"),
		bad("/search", q("from", "2026-13-01"), "from"),
		bad("/search", q("to", "yesterday"), "to"),
		bad("/search", q("from", "2026-02-01", "to", "2026-01-01"), "to"),
		bad("/search", q("channel", strings.Repeat("x", 101)), "channel"),
		bad("/search", q("q", "\xff"), "q"),
		bad("/suggest", q("q", ""), "q"),
		bad("/suggest", q("q", long), "q"),
		bad("/suggest", q("q", "政务", "scope", "nope"), "scope"),
		bad("/search", q("consistentWith", "-1"), "consistentWith"),
		bad("/search", q("consistentWith", "99999999"), "consistentWith"), // ahead of the store
		testkit.Scenario{Name: "anonymous office search", Method: "GET", Path: searchapi.Prefix + "/search?" + q("q", "政务", "scope", "office").Encode(),
			Status: 401, Code: problem.CodeUnauthenticated},
		// A bad token is refused, not treated as anonymous.
		testkit.Scenario{Name: "bad token", Method: "GET", Path: searchapi.Prefix + "/search?" + q("q", "政务").Encode(), Token: "not-a-token",
			Status: 401, Code: problem.CodeUnauthenticated},
	)
}

func TestConsistentWith(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.open(nil, nil)
	seq := e.save("new", newPage("刚刚发布的公告", "正文"))
	r := e.search(q("q", "刚刚发布", "consistentWith", fmt.Sprint(seq)), "")
	if len(r.Hits) != 1 || r.Hits[0].ID != "new" {
		t.Fatalf("read your write: %v", r.ids())
	}
}
