package officialdochttp_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/officialdoc/officialdochttp"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

// newSearchEnv is newEnv with the office search index (real Bleve, fed
// from the test's store) and 公文查询 mounted as the server mounts it:
// its route before the others.
func newSearchEnv(t *testing.T) *officetest.Env {
	e := officetest.New(t)
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := officialdoc.New(officialdoc.Deps{Deps: e.Deps("officialdoc"), Calendar: cal, Holders: e.Identity.Holders, Account: e.Identity.User})
	if err != nil {
		t.Fatal(err)
	}
	search, err := searchapi.New(searchapi.Deps{Store: e.Store, DataDir: t.TempDir(), Logger: e.Log, Now: e.Clock.Now,
		Projections: []source.Projection{officialdoc.SearchProjection(officialdoc.SearchDeps{})}})
	if err != nil {
		t.Fatal(err)
	}
	if err := search.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { search.Close() })
	e.Store.Subscribe(search.Notify)
	e.Mount(svc, append(officialdochttp.SearchRoutes(officialdoc.NewSearch(svc, search), e.Tokens), officialdochttp.Routes(svc, e.Tokens)...))
	return e
}

// find runs a document query as user, after every write so far, and
// checks the answer against the API's description.
func find(t *testing.T, e *officetest.Env, user string, params url.Values) officialdoc.SearchResult {
	t.Helper()
	params.Set("consistentWith", strconv.FormatInt(e.LastSeq, 10))
	r := e.Do("GET", base+"/documents/search?"+params.Encode(), e.TokenOf(user), nil)
	if r.Status != 200 {
		t.Fatalf("search %v as %s: %d %s", params, user, r.Status, r.Body)
	}
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/documents/search", r.Status, r.Body)
	var res officialdoc.SearchResult
	r.Decode(t, &res)
	return res
}

func ids(res officialdoc.SearchResult) []string {
	out := []string{}
	for _, h := range res.Items {
		out = append(out, h.ID)
	}
	return out
}

func count(vals []searchapi.FacetValue, value string) int {
	for _, v := range vals {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

func submit(t *testing.T, e *officetest.Env, user, id string) {
	t.Helper()
	if r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf(user), nil); r.Status != 200 {
		t.Fatalf("submit %s: %d %s", id, r.Status, r.Body)
	}
}

// numbered drafts a 请示 and takes it through 审核, 签发 and 复核 to
// 登记编号, where it gets the first 皖政办 number of 2026.
func numbered(t *testing.T, e *officetest.Env, title string) string {
	t.Helper()
	id := idOf(t, draft(e, "staff", map[string]any{"docType": "请示", "title": title, "mainTo": []string{"省人民政府"},
		"body": "<p>为切实做好今年汛期防汛抗旱工作，保障人民群众生命财产安全，现申请省级补助资金。</p>"}))
	submit(t, e, "staff", id)
	for _, step := range []string{"chuzhang", "director", "clerk", "clerk"} {
		if r := act(e, step, taskOf(t, e, step, id).ID, "approve", "同意"); r.Status != 200 {
			t.Fatalf("%s approves: %d %s", step, r.Status, r.Body)
		}
	}
	return id
}

func TestSearchFindsADocumentNumberInAnyBracketFormAndTitleWords(t *testing.T) {
	e := newSearchEnv(t)
	id := numbered(t, e, "关于申请2026年省级防汛抗旱补助资金的请示")
	other := idOf(t, draft(e, "staff", map[string]any{"title": "关于做好2026年春节期间值班工作的通知"}))

	for _, q := range []string{"皖政办〔2026〕1号", "皖政办[2026]1号", "皖政办(2026)1号", "皖政办（2026）1号", "皖政办2026 1号"} {
		res := find(t, e, "staff", url.Values{"q": {q}})
		if len(res.Items) == 0 || res.Items[0].ID != id || res.Items[0].DocNumber != "皖政办〔2026〕1号" {
			t.Errorf("q=%s: %v (%d)", q, ids(res), res.Total)
		}
		if slices.Contains(ids(res), other) {
			t.Errorf("q=%s also finds the unnumbered notice", q)
		}
	}
	if res := find(t, e, "staff", url.Values{"q": {"皖政办〔2026〕2号"}}); slices.Contains(ids(res), id) {
		t.Errorf("another number finds it: %v", ids(res))
	}
	// Chinese title words, together or apart; and a word of the body.
	for q, want := range map[string]string{"防汛抗旱": id, "补助资金": id, "春节 值班": other, "值班工作": other, "生命财产安全": id} {
		res := find(t, e, "staff", url.Values{"q": {q}})
		if len(res.Items) == 0 || res.Items[0].ID != want {
			t.Errorf("q=%s: %v, want %s first", q, ids(res), want)
		}
	}
	res := find(t, e, "staff", url.Values{"q": {"防汛抗旱"}})
	if h := res.Items[0]; len(h.Highlights["title"]) == 0 || !strings.Contains(h.Highlights["title"][0], "<mark>") || h.Body != "" {
		t.Errorf("the hit's highlights and body: %+v %q", h.Highlights, h.Body)
	}
	// Filters and facets: 请示 processing, 通知 draft.
	res = find(t, e, "staff", url.Values{})
	if res.Total != 2 || count(res.Facets.DocType, "请示") != 1 || count(res.Facets.DocType, "通知") != 1 ||
		count(res.Facets.State, "processing") != 1 || count(res.Facets.State, "draft") != 1 {
		t.Errorf("everything: %d %+v", res.Total, res.Facets)
	}
	for params, want := range map[string][]string{
		"docType=请示": {id}, "state=draft": {other}, "direction=incoming": {}, "department=mishu2&direction=outgoing": {id, other},
		"drafter=" + e.UserID("staff") + "&docType=通知": {other}, "from=2026-01-01&to=2026-12-31&state=processing": {id},
	} {
		v, _ := url.ParseQuery(params)
		got := ids(find(t, e, "staff", v))
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", params, got, want)
		}
	}
}

func TestSearchCountsOnlyWhatTheReaderMayRead(t *testing.T) {
	e := newSearchEnv(t)
	open := idOf(t, draft(e, "staff", map[string]any{"title": "关于做好防汛物资储备工作的通知"}))
	// 秘密, drafted by the head of 秘书二处 with the clerk (综合处, 秘密) on
	// its need-to-know list.
	secret := idOf(t, draft(e, "chuzhang", map[string]any{"docType": "报告", "title": "关于防汛物资储备情况的报告",
		"classification": "秘密", "secrecyPeriod": "1年", "knowers": []string{e.UserID("clerk")}}))

	cases := []struct {
		user  string
		want  []string
		why   string
		types map[string]int
	}{
		{"staff", []string{open}, "its department, but 非密: not cleared for 秘密", map[string]int{"通知": 1, "报告": 0}},
		{"editor", []string{}, "cleared for 秘密, but neither of the department nor on the list", map[string]int{"通知": 0, "报告": 0}},
		{"clerk", []string{secret}, "on the need-to-know list, cleared", map[string]int{"通知": 0, "报告": 1}},
		{"chuzhang", []string{open, secret}, "the drafter, cleared", map[string]int{"通知": 1, "报告": 1}},
	}
	for _, c := range cases {
		for _, q := range []string{"防汛物资", ""} { // by words, and the whole list
			res := find(t, e, c.user, url.Values{"q": {q}})
			got := ids(res)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) || res.Total != uint64(len(want)) {
				t.Errorf("%s (%s), q=%q: %v total %d, want %v", c.user, c.why, q, got, res.Total, want)
			}
			for typ, n := range c.types {
				if count(res.Facets.DocType, typ) != n {
					t.Errorf("%s, q=%q: facet %s counts %d, want %d (%+v)", c.user, q, typ, count(res.Facets.DocType, typ), n, res.Facets)
				}
			}
			if count(res.Facets.State, "draft") != len(want) {
				t.Errorf("%s, q=%q: the state facet counts %+v, want %d drafts", c.user, q, res.Facets.State, len(want))
			}
		}
		// Filtering by the hidden document's own fields finds nothing either.
		if !slices.Contains(c.want, secret) {
			res := find(t, e, c.user, url.Values{"docType": {"报告"}, "department": {"mishu2"}})
			if res.Total != 0 || len(res.Items) != 0 {
				t.Errorf("%s finds the 秘密 report by its fields: %v", c.user, ids(res))
			}
		}
	}
	for _, it := range find(t, e, "chuzhang", url.Values{"q": {"防汛物资"}}).Items {
		if want := map[string]string{open: "非密", secret: "秘密"}[it.ID]; string(it.Classification) != want {
			t.Errorf("%s is marked %q, want %q", it.ID, it.Classification, want)
		}
	}
}

func TestSearchOverdueChangesWithTheClockAndHolderFollowsTheFlow(t *testing.T) {
	e := newSearchEnv(t)
	// Monday 2026-03-02, 09:00 in China: 审核 has two working days.
	e.Clock.Set(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	clear(e.TokenCache())
	first := idOf(t, draft(e, "staff", map[string]any{"title": "关于开展安全生产大检查的通知"}))
	submit(t, e, "staff", first)
	e.Clock.Advance(48 * time.Hour)
	clear(e.TokenCache())
	second := idOf(t, draft(e, "staff", map[string]any{"title": "关于加强森林防火工作的通知"}))
	submit(t, e, "staff", second)
	idle := idOf(t, draft(e, "staff", map[string]any{"title": "关于印发政务公开工作要点的通知"}))

	overdue := func() []string {
		t.Helper()
		got := ids(find(t, e, "chuzhang", url.Values{"overdue": {"true"}}))
		slices.Sort(got)
		return got
	}
	if got := overdue(); len(got) != 0 {
		t.Fatalf("overdue before any limit passed: %v", got)
	}
	// Past the first one's limit (Wednesday evening), not the second's:
	// no write in between, the index is as it was.
	e.Clock.Set(time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC))
	clear(e.TokenCache())
	if got := overdue(); !slices.Equal(got, []string{first}) {
		t.Fatalf("overdue on Thursday morning: %v, want [%s]", got, first)
	}
	res := find(t, e, "chuzhang", url.Values{"q": {"安全生产"}})
	if len(res.Items) != 1 || !res.Items[0].Overdue {
		t.Fatalf("the overdue hit is not marked: %+v", res.Items)
	}
	e.Clock.Set(time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC))
	clear(e.TokenCache())
	want := []string{first, second}
	slices.Sort(want)
	if got := overdue(); !slices.Equal(got, want) {
		t.Fatalf("overdue a week later: %v, want %v", got, want)
	}

	// Holder: both wait on the head at 审核; once he approves the first,
	// it waits on the director.
	holder := func(user string) []string {
		got := ids(find(t, e, "chuzhang", url.Values{"holder": {e.UserID(user)}}))
		slices.Sort(got)
		return got
	}
	if got := holder("chuzhang"); !slices.Equal(got, want) {
		t.Fatalf("held by the head: %v, want %v", got, want)
	}
	if r := act(e, "chuzhang", taskOf(t, e, "chuzhang", first).ID, "approve", "同意"); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	if got := holder("chuzhang"); !slices.Equal(got, []string{second}) {
		t.Fatalf("held by the head after approving the first: %v", got)
	}
	if got := holder("director"); !slices.Equal(got, []string{first}) {
		t.Fatalf("held by the director: %v", got)
	}
	if slices.Contains(overdue(), first) {
		t.Fatal("the first is overdue at 签发 as soon as it arrives")
	}
	if slices.Contains(holder("staff"), idle) {
		t.Fatal("a draft is held by its drafter in the index")
	}
}

func TestSearchRefusesBadParametersNamingThem(t *testing.T) {
	e := newSearchEnv(t)
	for params, field := range map[string]string{
		"docType=便条": "docType", "state=open": "state", "direction=up": "direction", "overdue=maybe": "overdue",
		"from=yesterday": "from", "to=2026-13-01": "to", "from=2026-03-02&to=2026-03-01": "to", "size=51": "size",
		"page=201": "page", "department=Bad%20Dept": "department", "q=" + strings.Repeat("政", 101): "q",
		"sort=title": "sort", "consistentWith=x": "consistentWith",
	} {
		r := e.Do("GET", base+"/documents/search?"+params, e.TokenOf("staff"), nil)
		testkit.WantProblem(t, r, 400, "invalid")
		if !strings.Contains(string(r.Body), `"`+field+`"`) {
			t.Errorf("%s: the problem does not name %s: %s", params, field, r.Body)
		}
	}
	testkit.WantProblem(t, e.Do("GET", base+"/documents/search", "", nil), 401, "unauthenticated")
	// The list takes 文种 from the same fifteen.
	r := e.Do("GET", base+"/documents?docType=便条", e.TokenOf("staff"), nil)
	testkit.WantProblem(t, r, 400, "invalid")
	if !strings.Contains(string(r.Body), `"docType"`) {
		t.Errorf("the list's bad 文种: %s", r.Body)
	}
}

// A query that finds nothing is offered the variant that finds the
// reader's documents (issue 15 item 6), in the answer's didYouMean: pinyin
// for the Chinese (in full or first letters), a near character. Traditional
// characters need none: they find the simplified title directly.
func TestSearchOffersDidYouMean(t *testing.T) {
	e := newSearchEnv(t)
	id := idOf(t, draft(e, "staff", map[string]any{"title": "关于做好2026年春节期间值班工作的通知"}))
	for q, want := range map[string]string{"zhibangongzuo": "值班工作", "zbgz": "值班工作", "值斑工作": "值班工作"} {
		res := find(t, e, "staff", url.Values{"q": {q}})
		if res.Total != 0 || res.DidYouMean == nil || res.DidYouMean.Text != want || res.DidYouMean.Total != 1 {
			t.Errorf("q=%s: found %d, did you mean %+v, want %q", q, res.Total, res.DidYouMean, want)
		}
		if res := find(t, e, "staff", url.Values{"q": {want}}); !slices.Equal(ids(res), []string{id}) {
			t.Errorf("q=%s finds %v, want [%s]", want, ids(res), id)
		}
	}
	for _, q := range []string{"值班工作", "春節期間"} {
		if res := find(t, e, "staff", url.Values{"q": {q}}); !slices.Equal(ids(res), []string{id}) || res.DidYouMean != nil {
			t.Errorf("q=%s: %v, did you mean %+v; want [%s] and nothing offered", q, ids(res), res.DidYouMean, id)
		}
	}
}
