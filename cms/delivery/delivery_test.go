package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/channel"
	"zhengwu/cms/delivery/deliveryhttp"
	"zhengwu/cms/item"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

func TestChannels(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.get("/api/portal/v1/channels")
	if r.Status != 200 {
		t.Fatalf("status %d %s", r.Status, r.Body)
	}
	body := string(r.Body)
	if !strings.HasPrefix(body, "[") || !strings.Contains(body, `"key":"files"`) || !strings.Contains(body, `"children":[`) {
		t.Fatalf("not the tree: %s", body)
	}
	if strings.Contains(body, "library") || strings.Contains(body, "reviewSteps") {
		t.Fatalf("anonymous tree shows the internal 资料库 or editorial fields: %s", body)
	}
	r = e.get("/api/portal/v1/channels", "Authorization", "Bearer "+e.token())
	if !strings.Contains(string(r.Body), `"key":"library-drc"`) {
		t.Fatalf("signed-in tree lacks 国研报告: %s", r.Body)
	}
	if got := r.Header.Get("Cache-Control"); got != "private, no-cache" {
		t.Fatalf("signed-in Cache-Control %q", got)
	}
	if r := e.get("/api/portal/v1/channels", "Authorization", "Bearer nonsense"); r.Status != 401 {
		t.Fatalf("a bad token: %d, want 401", r.Status)
	}
}

func TestListFiltersAndSort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(
		article("n1", "news", "乙 新闻一", day(0)),
		article("n2", "news", "甲 新闻二", day(2)),
		policy("p1", "files-provincial-government", "丙 关于推进数字政府建设的意见", "皖政〔2025〕3号", "意见", item.ValidityInForce,
			[]string{"省政府"}, time.Date(2025, 6, 1, 2, 0, 0, 0, time.UTC)),
		policy("p2", "files-general-office", "丁 关于印发管理办法的通知", "皖政办〔2026〕12号", "通知", item.ValidityRepealed,
			[]string{"省政府办公厅", "省财政厅"}, day(1)),
		// Published 2025-12-31 20:00 UTC = 2026-01-01 04:00 in China: year 2026.
		policy("p3", "files-general-office", "戊 关于做好节日值班的通知", "皖政办〔2026〕1号", "通知", item.ValidityInForce,
			[]string{"省政府办公厅"}, time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC)),
	)
	cases := []struct {
		query string
		want  []string
	}{
		{"channel=news", []string{"n2", "n1"}},
		{"channel=files", []string{"p2", "p3", "p1"}}, // descendants, newest first
		{"channel=files-general-office", []string{"p2", "p3"}},
		{"type=policy&genre=通知", []string{"p2", "p3"}},
		{"issuer=省财政厅", []string{"p2"}},
		{"issuer=" + "省政府办公厅", []string{"p2", "p3"}},
		{"validity=已废止", []string{"p2"}},
		{"year=2026&type=policy", []string{"p2", "p3"}},
		{"year=2025", []string{"p1"}},
		{"from=2026-03-02&to=2026-03-03", []string{"p2", "n1"}}, // China days: p2 is 03-03 17:00
		{"from=2026-03-04", []string{"n2"}},
		{"to=2026-01-01", []string{"p3", "p1"}},
		{"department=zonghe&sort=publishedAt", []string{"p1", "p3", "p2"}},
		{"channel=news&sort=title", []string{"n1", "n2"}}, // code point order: 乙 U+4E59 < 甲 U+7532
		{"sort=-updatedAt&size=2", []string{"n2", "p2"}},
	}
	for _, c := range cases {
		got := e.list(c.query)
		if !slices.Equal(ids(got), c.want) {
			t.Errorf("%s: got %v, want %v", c.query, ids(got), c.want)
		}
		if c.query != "sort=-updatedAt&size=2" && got.Total != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.query, got.Total, len(c.want))
		}
	}
	// The list item's shape: stored fields put back in the item's shape, no body.
	got := e.list("channel=files-general-office&size=1")
	p := got.Items[0]
	pol, _ := p["policy"].(map[string]any)
	if p["title"] != "丁 关于印发管理办法的通知" || p["path"] != "files-general-office/p2" || pol["docNumber"] != "皖政办〔2026〕12号" ||
		pol["validity"] != "已废止" || p["publishedAt"] != "2026-03-03T09:00:00Z" || p["type"] != "policy" || p["status"] != "published" {
		t.Errorf("list item %v", p)
	}
	if iss, _ := pol["issuers"].([]any); len(iss) != 2 {
		t.Errorf("issuers %v", pol["issuers"])
	}
	if _, ok := p["body"]; ok {
		t.Errorf("list item carries the body: %v", p)
	}
	if got.Total != 2 || got.Next == "" {
		t.Errorf("total %d next %q", got.Total, got.Next)
	}
}

func TestPagingWithCursorAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var all []item.Item
	for i := range 25 {
		all = append(all, article(fmt.Sprintf("a%02d", i), "news", fmt.Sprintf("新闻%02d", i), day(i)))
	}
	e.publish(all...)
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		q := "channel=news&size=10"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		b := e.list(q)
		if b.Total != 25 {
			t.Fatalf("total %d", b.Total)
		}
		seen = append(seen, ids(b)...)
		if b.Next == "" {
			break
		}
		cursor = b.Next
		if pages > 5 {
			t.Fatal("cursor does not end")
		}
	}
	if len(seen) != 25 || seen[0] != "a24" || seen[24] != "a00" {
		t.Fatalf("cursor paging: %v", seen)
	}
	if b := e.list("channel=news&size=10&page=3"); !slices.Equal(ids(b), seen[20:]) || b.Next != "" {
		t.Fatalf("page 3: %v next %q", ids(b), b.Next)
	}
	// A cursor made for another sort is refused, naming the cursor.
	r := e.get("/api/portal/v1/items?channel=news&sort=title&cursor=" + e.list("channel=news&size=10").Next)
	if r.Status != 400 || !strings.Contains(string(r.Body), `"field":"cursor"`) {
		t.Fatalf("foreign cursor: %d %s", r.Status, r.Body)
	}
}

func TestFieldSelection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(policy("p1", "files-general-office", "关于印发管理办法的通知", "皖政办〔2026〕12号", "通知", item.ValidityInForce,
		[]string{"省政府办公厅"}, day(0)))
	b := e.list("fields=title,policy.docNumber")
	it := b.Items[0]
	if len(it) != 3 || it["id"] != "p1" || it["title"] != "关于印发管理办法的通知" {
		t.Fatalf("fields=title,policy.docNumber: %v", it)
	}
	if pol, _ := it["policy"].(map[string]any); len(pol) != 1 || pol["docNumber"] != "皖政办〔2026〕12号" {
		t.Fatalf("policy %v", it["policy"])
	}
	b = e.list("fields=title,body")
	if b.Items[0]["body"] != "<p>关于印发管理办法的通知</p>" || b.Items[0]["bodyText"] != nil {
		t.Fatalf("fields=title,body: %v", b.Items[0])
	}
	b = e.list("fields=bodyText")
	if b.Items[0]["bodyText"] != "关于印发管理办法的通知" || len(b.Items[0]) != 2 {
		t.Fatalf("fields=bodyText: %v", b.Items[0])
	}
}

// Every name ?fields= may give shows its own part of the item, and only
// that (beside the id): the index fields a name reads and the summary
// field it fills are declared together, so they cannot disagree.
func TestEveryFieldShowsItsPart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := policy("p1", "files-general-office", "关于印发管理办法的通知", "皖政办〔2026〕12号", "通知", item.ValidityInForce,
		[]string{"省政府办公厅", "省财政厅"}, day(0))
	p.Cover = "m1"
	s := article("s1", "leader-wang-speeches", "在全省会议上的讲话", day(1))
	s.Type = channel.TypeSpeech
	s.Leader = &item.Leader{Name: "王省长", Occasion: "全省会议", Date: day(1)}
	e.publish(p, s)
	policyAll := `{"docNumber":"皖政办〔2026〕12号","validity":"有效","genre":"通知","issuers":["省政府办公厅","省财政厅"]}`
	for _, c := range []struct{ fields, id, want string }{
		{"type", "p1", `{"id":"p1","type":"policy"}`},
		{"channel", "p1", `{"id":"p1","channel":"files-general-office"}`},
		{"department", "p1", `{"id":"p1","department":"zonghe"}`},
		{"path", "p1", `{"id":"p1","path":"files-general-office/p1"}`},
		{"visibility", "p1", `{"id":"p1","visibility":"public"}`},
		{"status", "p1", `{"id":"p1","status":"published"}`},
		{"title", "p1", `{"id":"p1","title":"关于印发管理办法的通知"}`},
		{"summary", "p1", `{"id":"p1","summary":"关于印发管理办法的通知的摘要"}`},
		{"cover", "p1", `{"id":"p1","cover":"m1"}`},
		{"publishedAt", "p1", `{"id":"p1","publishedAt":"` + day(0).Format("2006-01-02T15:04:05Z07:00") + `"}`},
		{"updatedAt", "p1", `{"id":"p1","updatedAt":"` + day(0).Format("2006-01-02T15:04:05Z07:00") + `"}`},
		{"policy", "p1", `{"id":"p1","policy":` + policyAll + `}`},
		{"policy.docNumber", "p1", `{"id":"p1","policy":{"docNumber":"皖政办〔2026〕12号"}}`},
		{"policy.validity", "p1", `{"id":"p1","policy":{"validity":"有效"}}`},
		{"policy.genre", "p1", `{"id":"p1","policy":{"genre":"通知"}}`},
		{"policy.issuers", "p1", `{"id":"p1","policy":{"issuers":["省政府办公厅","省财政厅"]}}`},
		{"policy.genre,policy.docNumber", "p1", `{"id":"p1","policy":{"docNumber":"皖政办〔2026〕12号","genre":"通知"}}`},
		{"policy", "s1", `{"id":"s1"}`},
		{"leader", "p1", `{"id":"p1"}`},
		{"leader", "s1", `{"id":"s1","leader":{"name":"王省长"}}`},
		{"leader.name", "s1", `{"id":"s1","leader":{"name":"王省长"}}`},
		{"id", "s1", `{"id":"s1"}`},
	} {
		var got map[string]any
		for _, it := range e.list("fields=" + c.fields).Items {
			if it["id"] == c.id {
				got = it
			}
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(c.want), &want); err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("fields=%s, %s: %s, want %s", c.fields, c.id, g, w)
		}
	}
}

func TestInternalItemsHiddenFromAnonymous(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	report := article("r1", "library-drc", "国研报告：区域协调发展", day(0))
	report.Type = channel.TypeReport
	secretNews := article("n2", "news", "内部通报", day(1))
	secretNews.Visibility = channel.Internal
	e.publish(report, secretNews, article("n1", "news", "公开新闻", day(2)))
	auth := []string{"Authorization", "Bearer " + e.token()}

	if b := e.list(""); b.Total != 1 || !slices.Equal(ids(b), []string{"n1"}) {
		t.Errorf("anonymous list: total %d %v", b.Total, ids(b))
	}
	if b := e.list("channel=news"); b.Total != 1 {
		t.Errorf("anonymous news: total %d %v", b.Total, ids(b))
	}
	if b := e.list("", auth...); b.Total != 3 {
		t.Errorf("signed-in list: total %d %v", b.Total, ids(b))
	}
	// An internal channel and an unknown one answer alike.
	for _, q := range []string{"channel=library", "channel=library-drc", "channel=no-such"} {
		if r := e.get("/api/portal/v1/items?" + q); r.Status != 404 {
			t.Errorf("anonymous %s: %d, want 404", q, r.Status)
		}
	}
	if b := e.list("channel=library", auth...); !slices.Equal(ids(b), []string{"r1"}) {
		t.Errorf("signed-in library: %v", ids(b))
	}
	for _, path := range []string{"/api/portal/v1/items/r1", "/api/portal/v1/items/n2", "/api/portal/v1/items/by-path/news/n2", "/api/portal/v1/items/nothing"} {
		if r := e.get(path); r.Status != 404 || r.Header.Get("Content-Type") != "application/problem+json; charset=utf-8" {
			t.Errorf("anonymous %s: %d %s", path, r.Status, r.Header.Get("Content-Type"))
		}
		if path == "/api/portal/v1/items/nothing" {
			continue
		}
		r := e.get(path, auth...)
		if r.Status != 200 || r.Header.Get("Cache-Control") != "private, no-cache" {
			t.Errorf("signed-in %s: %d %q", path, r.Status, r.Header.Get("Cache-Control"))
		}
	}
}

func TestItemDetailValidatorsAnd304(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	it := article("n1", "news", "新闻", day(-1))
	it.UpdatedAt = day(-1).Add(90 * time.Minute)
	e.publish(it)
	r := e.get("/api/portal/v1/items/n1")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	etag, lm := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || lm != it.UpdatedAt.Format(http.TimeFormat) {
		t.Fatalf("ETag %q Last-Modified %q", etag, lm)
	}
	body := r.JSON()
	if body["title"] != "新闻" || body["body"] != "<p>新闻</p>" || body["bodyText"] != nil {
		t.Fatalf("detail %v", body)
	}
	if r := e.get("/api/portal/v1/items/n1", "If-None-Match", etag); r.Status != 304 || len(r.Body) != 0 || r.Header.Get("ETag") != etag {
		t.Fatalf("If-None-Match: %d", r.Status)
	}
	if r := e.get("/api/portal/v1/items/n1", "If-None-Match", `"other", `+etag); r.Status != 304 {
		t.Fatalf("If-None-Match list: %d", r.Status)
	}
	if r := e.get("/api/portal/v1/items/n1", "If-Modified-Since", lm); r.Status != 304 {
		t.Fatalf("If-Modified-Since: %d", r.Status)
	}
	if r := e.get("/api/portal/v1/items/n1", "If-Modified-Since", it.UpdatedAt.Add(-time.Hour).Format(http.TimeFormat)); r.Status != 200 {
		t.Fatalf("older If-Modified-Since: %d", r.Status)
	}
	// If-None-Match wins over If-Modified-Since.
	if r := e.get("/api/portal/v1/items/n1", "If-None-Match", `"stale"`, "If-Modified-Since", lm); r.Status != 200 {
		t.Fatalf("stale ETag with fresh date: %d", r.Status)
	}
	// A new edition changes the ETag and the (cached) body.
	it.Edition, it.Title = 2, "新闻（修订）"
	e.publish(it)
	r = e.get("/api/portal/v1/items/n1", "If-None-Match", etag)
	if r.Status != 200 || r.Header.Get("ETag") == etag || r.JSON()["title"] != "新闻（修订）" {
		t.Fatalf("new edition: %d %s %s", r.Status, r.Header.Get("ETag"), r.Body)
	}
	// So does a withdrawal.
	it.Status, it.Withdrawal = item.StatusWithdrawn, &item.Notice{Reason: "过时", At: day(0)}
	e.publish(it)
	if r := e.get("/api/portal/v1/items/n1"); r.JSON()["status"] != "withdrawn" {
		t.Fatalf("withdrawn after caching: %s", r.Body)
	}
}

func TestCacheControlEndsAtNextChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	soon := t0.Add(100 * time.Second)
	past := t0.Add(-time.Second)
	late := t0.Add(time.Hour)
	a, b, c, d := article("a", "news", "甲", day(-1)), article("b", "news", "乙", day(-1)), article("c", "news", "丙", day(-1)), article("d", "news", "丁", day(-1))
	a.NextChangeAt, b.NextChangeAt, d.NextChangeAt = &soon, &past, &late
	e.publish(a, b, c, d)
	for id, want := range map[string]string{"a": "public, max-age=100", "b": "public, max-age=0", "c": "public, max-age=300", "d": "public, max-age=300"} {
		if got := e.get("/api/portal/v1/items/" + id).Header.Get("Cache-Control"); got != want {
			t.Errorf("%s: Cache-Control %q, want %q", id, got, want)
		}
	}
}

func TestWithdrawnRedirectedGone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := article("w", "news", "已撤回的新闻", day(-2))
	w.Status = item.StatusWithdrawn
	w.Withdrawal = &item.Notice{Reason: "信息有误", At: day(-1)}
	r := article("r", "news", "旧地址", day(-2))
	r.Status, r.RedirectTo = item.StatusRedirected, "n"
	g := article("g", "news", "已删除", day(-2))
	g.Status = item.StatusGone
	e.publish(w, r, g, article("n", "news", "新地址", day(-1)))

	resp := e.get("/api/portal/v1/items/w")
	body := resp.JSON()
	notice, _ := body["withdrawal"].(map[string]any)
	if resp.Status != 200 || body["status"] != "withdrawn" || notice["reason"] != "信息有误" {
		t.Fatalf("withdrawn: %d %v", resp.Status, body)
	}
	if lm := resp.Header.Get("Last-Modified"); lm != day(-1).Format(http.TimeFormat) {
		t.Errorf("withdrawn Last-Modified %q", lm)
	}
	for _, p := range []string{"/api/portal/v1/items/r", "/api/portal/v1/items/by-path/news/r"} {
		resp = e.get(p)
		if resp.Status != 301 || resp.Header.Get("Location") != "/api/portal/v1/items/n" {
			t.Fatalf("redirected %s: %d %q", p, resp.Status, resp.Header.Get("Location"))
		}
	}
	for _, p := range []string{"/api/portal/v1/items/g", "/api/portal/v1/items/by-path/news/g"} {
		resp = e.get(p)
		if m := resp.JSON(); resp.Status != 410 || m["code"] != "gone" || m["withdrawal"] != nil {
			t.Fatalf("gone %s: %d %s", p, resp.Status, resp.Body)
		}
	}
	// Lists show published items only; withdrawn ones when asked for
	// (?status=), never redirected or gone ones.
	if b := e.list("channel=news"); !slices.Equal(ids(b), []string{"n"}) || b.Total != 1 {
		t.Fatalf("default list: %v total %d", ids(b), b.Total)
	}
	if b := e.list("channel=news&status=withdrawn"); !slices.Equal(ids(b), []string{"w"}) || b.Total != 1 || b.Items[0]["status"] != "withdrawn" {
		t.Fatalf("withdrawn list: %v total %d", b.Items, b.Total)
	}
	if b := e.list("status=published,withdrawn"); !slices.Equal(ids(b), []string{"n", "w"}) || b.Total != 2 {
		t.Fatalf("both: %v total %d", ids(b), b.Total)
	}
	for _, bad := range []string{"gone", "redirected", "published,", "all"} {
		if r := e.get("/api/portal/v1/items?status=" + bad); r.Status != 400 || !strings.Contains(string(r.Body), `"field":"status"`) {
			t.Fatalf("status=%s: %d %s", bad, r.Status, r.Body)
		}
	}
}

// A withdrawn item leaves the default lists at once, though the list was
// cached (the home page's query), and the totals with it; it stays
// readable with its notice.
func TestWithdrawalLeavesCachedLists(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var all []item.Item
	for i := range 30 {
		all = append(all, article(fmt.Sprintf("n%02d", i), "news", fmt.Sprintf("要闻%02d", i), day(-i)))
	}
	e.publish(all...)
	if b := e.list("channel=news&size=5"); len(b.Items) == 0 || ids(b)[0] != "n00" || b.Total != 30 {
		t.Fatalf("before: %v total %d", ids(b), b.Total)
	}
	top := all[0]
	top.Status, top.Withdrawal = item.StatusWithdrawn, &item.Notice{Reason: "内容有误，已更正重发", At: day(0)}
	e.publish(top)
	b := e.list("channel=news&size=5")
	if slices.Contains(ids(b), "n00") || ids(b)[0] != "n01" || b.Total != 29 {
		t.Fatalf("after: %v total %d", ids(b), b.Total)
	}
	if b := e.list("size=5&fields=title"); slices.Contains(ids(b), "n00") {
		t.Fatalf("all-channels list keeps it: %v", ids(b))
	}
	r := e.get("/api/portal/v1/items/n00")
	if m := r.JSON(); r.Status != 200 || m["status"] != "withdrawn" || m["withdrawal"].(map[string]any)["reason"] != "内容有误，已更正重发" {
		t.Fatalf("item: %d %s", r.Status, r.Body)
	}
}

// A copy the data gateway took back answers 410 with its public notice.
func TestGatewayWithdrawnCopyShowsItsNotice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	it := article("imp", "news", "", day(-3))
	it.Status, it.Withdrawal = item.StatusGone, &item.Notice{Reason: "该信息已由发布部门撤回", At: day(-1)}
	it.Summary, it.Body, it.BodyText = "", "", ""
	e.publish(it)
	for _, p := range []string{"/api/portal/v1/items/imp", "/api/portal/v1/items/by-path/news/imp"} {
		r := e.get(p)
		m := r.JSON()
		w, _ := m["withdrawal"].(map[string]any)
		if r.Status != 410 || m["code"] != "withdrawn" || w["reason"] != "该信息已由发布部门撤回" ||
			w["at"] != day(-1).Format(time.RFC3339) || !strings.Contains(m["detail"].(string), "已撤回") {
			t.Fatalf("%s: %d %s", p, r.Status, r.Body)
		}
	}
	if b := e.list("status=published,withdrawn"); len(b.Items) != 0 {
		t.Fatalf("listed: %v", ids(b))
	}
}

func TestLinksReverseLinksAndBanner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := policy("old", "files-general-office", "关于旧办法的通知", "皖政办〔2020〕5号", "通知", item.ValidityRepealed, []string{"省政府办公厅"}, day(-400))
	base := policy("base", "files-provincial-government", "关于促进就业的意见", "皖政〔2025〕8号", "意见", item.ValidityAmended, []string{"省政府"}, day(-200))
	repl := policy("new", "files-general-office", "关于新办法的通知", "皖政办〔2026〕9号", "通知", item.ValidityInForce, []string{"省政府办公厅"}, day(-1))
	repl.Links = item.Links{Repeals: []string{"old"}, Amends: []string{"base"}}
	interp := article("jd", "files-interpretation", "《关于新办法的通知》政策解读", day(0))
	interp.Links = item.Links{Interprets: []string{"new", "missing"}}
	e.publish(old, base, repl, interp)

	resp := e.get("/api/portal/v1/items/new")
	body := resp.JSON()
	links, _ := body["links"].(map[string]any)
	repeals, _ := links["repeals"].([]any)
	amends, _ := links["amends"].([]any)
	interpretedBy, _ := links["interpretedBy"].([]any)
	if len(repeals) != 1 || len(amends) != 1 || len(interpretedBy) != 1 {
		t.Fatalf("links of new: %v", links)
	}
	if r := repeals[0].(map[string]any); r["id"] != "old" || r["title"] != "关于旧办法的通知" || r["docNumber"] != "皖政办〔2020〕5号" ||
		r["validity"] != "已废止" || r["path"] != "files-general-office/old" {
		t.Errorf("repeals[0] %v", r)
	}
	if r := interpretedBy[0].(map[string]any); r["id"] != "jd" || r["title"] != "《关于新办法的通知》政策解读" {
		t.Errorf("interpretedBy[0] %v", r)
	}
	if body["banner"] != nil {
		t.Errorf("a file in force has a banner: %v", body["banner"])
	}

	body = e.get("/api/portal/v1/items/base").JSON()
	if l, _ := body["links"].(map[string]any)["amendedBy"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != "new" {
		t.Errorf("amendedBy of base: %v", body["links"])
	}

	body = e.get("/api/portal/v1/items/old").JSON()
	if l, _ := body["links"].(map[string]any)["repealedBy"].([]any); len(l) != 1 {
		t.Errorf("repealedBy of old: %v", body["links"])
	}
	banner, _ := body["banner"].(map[string]any)
	replacement, _ := banner["replacement"].(map[string]any)
	if replacement["id"] != "new" || replacement["path"] != "files-general-office/new" || !strings.Contains(banner["text"].(string), "已废止") {
		t.Errorf("banner %v", banner)
	}

	// The interpretation links to a missing item: left out, not an error.
	body = e.get("/api/portal/v1/items/jd").JSON()
	if l, _ := body["links"].(map[string]any)["interprets"].([]any); len(l) != 1 {
		t.Errorf("interprets of jd: %v", body["links"])
	}

	// Reverse links follow the index: a removed interpretation no longer
	// links back, an internal one only for a signed-in reader.
	interp.Status = item.StatusGone
	secret := article("jd2", "files-interpretation", "内部解读", day(0))
	secret.Visibility = channel.Internal
	secret.Links.Interprets = []string{"new"}
	e.publish(interp, secret)
	body = e.get("/api/portal/v1/items/new").JSON()
	if l := body["links"].(map[string]any)["interpretedBy"]; l != nil {
		t.Errorf("anonymous: a gone or internal interpretation links back: %v", l)
	}
	body = e.get("/api/portal/v1/items/new", "Authorization", "Bearer "+e.token()).JSON()
	if l, _ := body["links"].(map[string]any)["interpretedBy"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != "jd2" {
		t.Errorf("signed in: interpretedBy %v", body["links"])
	}
}

func TestConsistentWith(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.svc.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	e.list("channel=news") // primes the list cache at the old checkpoint
	seq := e.put(article("n1", "news", "刚发布的新闻", day(0)))
	e.svc.Notify()
	b := e.list(fmt.Sprintf("channel=news&consistentWith=%d", seq))
	if !slices.Equal(ids(b), []string{"n1"}) {
		t.Fatalf("consistentWith=%d: %v", seq, ids(b))
	}
	// And the cached list of before is not served any more.
	if b := e.list("channel=news"); b.Total != 1 {
		t.Fatalf("cached list after a write: %v", ids(b))
	}
	// A sequence no write has returned is the client's error, at once
	// (it was a 503 after the whole wait, logged as a server error).
	start := time.Now()
	r := e.get(fmt.Sprintf("/api/portal/v1/items?consistentWith=%d", seq+1000))
	if r.Status != 400 || !strings.Contains(string(r.Body), `"field":"consistentWith"`) {
		t.Fatalf("seq ahead of the store: %d %s", r.Status, r.Body)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("seq ahead of the store refused after %s", d)
	}
}

func TestBadParamsName400(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(article("n1", "news", "新闻", day(0)))
	for query, field := range map[string]string{
		"size=0":                        "size",
		"size=101":                      "size",
		"size=x":                        "size",
		"page=0":                        "page",
		"page=2&cursor=abc":             "page",
		"cursor=%%%":                    "cursor",
		"cursor=bm9wZQ":                 "cursor",
		"sort=-title":                   "sort",
		"type=poem":                     "type",
		"year=26":                       "year",
		"validity=有效吗":                  "validity",
		"from=2026/01/01":               "from",
		"to=yesterday":                  "to",
		"from=2026-02-02&to=2026-01-01": "to",
		"fields=title,secret":           "fields",
		"consistentWith=-1":             "consistentWith",
	} {
		r := e.get("/api/portal/v1/items?" + query)
		if r.Status != 400 {
			t.Errorf("%s: %d, want 400", query, r.Status)
			continue
		}
		body := r.JSON()
		if fields := testkit.ProblemFields(body); !slices.Equal(fields, []string{field}) || body["code"] != "invalid" {
			t.Errorf("%s: want field %q: %s", query, field, r.Body)
		}
	}
}

func TestByPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	it := article("p1", "files-general-office", "通知", day(0))
	it.Path = "files/皖政办-2026-12"
	e.publish(it)
	r := e.get("/api/portal/v1/items/by-path/files/%E7%9A%96%E6%94%BF%E5%8A%9E-2026-12")
	if r.Status != 200 || r.JSON()["id"] != "p1" || r.Header.Get("ETag") == "" {
		t.Fatalf("by path: %d %s", r.Status, r.Body)
	}
	if r := e.get("/api/portal/v1/items/by-path/files/nothing"); r.Status != 404 {
		t.Fatalf("missing path: %d", r.Status)
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(policy("base", "files-provincial-government", "关于促进就业的意见", "皖政〔2025〕8号", "意见", item.ValidityInForce, []string{"省政府"}, day(-2)))
	draft := article("d1", "files-interpretation", "草稿", day(0))
	draft.Links.Interprets = []string{"base"}
	openapi.Mount(e.app.Group("/api/portal/v1"), []openapi.Route{deliveryhttp.PreviewRoute(e.svc, e.Tokens,
		func(_ context.Context, token string) (item.Item, error) {
			if token != "tok" {
				return item.Item{}, fmt.Errorf("wrapped: %w", errNotFoundPreview)
			}
			return draft, nil
		})})
	r := e.get("/api/portal/v1/preview/tok")
	if r.Status != 200 || r.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("preview: %d %s", r.Status, r.Body)
	}
	if l, _ := r.JSON()["links"].(map[string]any)["interprets"].([]any); len(l) != 1 {
		t.Fatalf("preview links: %s", r.Body)
	}
	if r := e.get("/api/portal/v1/preview/other"); r.Status != 404 {
		t.Fatalf("bad preview token: %d", r.Status)
	}
}

var errNotFoundPreview = problem.NotFound("预览不存在或已过期", "no such preview")

// A newest-first list pages through recent and old items alike, at every
// page size, with the total of the whole list. (Bleve's answer once looked
// for the first page in recent windows first; the list view has one path,
// and this keeps its paging honest.)
func TestNewestFirstPagesAtEverySize(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var all []item.Item
	for i := range 5 {
		all = append(all, article(fmt.Sprintf("recent%d", i), "news", "近期", day(-1-i)))
		all = append(all, article(fmt.Sprintf("old%d", i), "news", "往期", day(-100-i)))
	}
	e.publish(all...)
	want := []string{"recent0", "recent1", "recent2", "recent3", "recent4", "old0", "old1", "old2", "old3", "old4"}
	for _, size := range []int{1, 3, 4, 5, 6, 10} {
		var got []string
		q := fmt.Sprintf("channel=news&size=%d", size)
		for b := e.list(q); ; b = e.list(q + "&cursor=" + b.Next) {
			if b.Total != 10 {
				t.Fatalf("size %d: total %d", size, b.Total)
			}
			got = append(got, ids(b)...)
			if b.Next == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("size %d: %v", size, got)
		}
	}
	// The cached total follows a publication.
	e.publish(article("recent5", "news", "最新", day(0)))
	if b := e.list("channel=news&size=2"); b.Total != 11 || ids(b)[0] != "recent5" {
		t.Errorf("after a publication: total %d, %v", b.Total, ids(b))
	}
}

// Fiber reuses request memory unless the app is Immutable; the caches
// keep keys and values past the handler, so they must copy. This mounts
// the routes on a plain (mutable) Fiber app and checks that cached lists
// and items stay right.
func TestCachesSurviveFiberMemoryReuse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.publish(article("n1", "news", "新闻一", day(0)), article("p1", "files-interpretation", "解读一", day(1)))
	app := fiber.New(fiber.Config{ErrorHandler: httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	openapi.Mount(app.Group("/api/portal/v1"), deliveryhttp.Routes(e.svc, e.Tokens))
	e.app = app
	first := map[string]string{}
	for round := range 3 {
		for _, p := range []string{"/api/portal/v1/items?channel=news", "/api/portal/v1/items?channel=files", "/api/portal/v1/items/n1", "/api/portal/v1/items/p1"} {
			r := e.get(p)
			if r.Status != 200 {
				t.Fatalf("%s: %d", p, r.Status)
			}
			if round == 0 {
				first[p] = string(r.Body)
			} else if string(r.Body) != first[p] {
				t.Fatalf("%s changed between requests:\n%s\n%s", p, first[p], r.Body)
			}
		}
	}
}
