package contenthttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms/cmstest"
	"zhengwu/cms/content"
	"zhengwu/cms/content/contenthttp"
	"zhengwu/cms/item"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/testkit"

	"github.com/gofiber/fiber/v2"
)

// env is one test's management API: the content service, running as
// serve runs it, on a testkit environment, mounted behind the shared
// middleware, and a token for each of the principals by name.
type env struct {
	*testkit.Env
	app    *fiber.App
	svc    *content.Service
	tokens map[string]string
}

// principal is an unclassified portal user u-<username>.
func principal(username, name string, grants ...testkit.Grant) auth.Principal {
	p := testkit.Principal("u-"+username, classification.Feimi, nil, grants...)
	p.Username, p.Name = username, name
	return p
}

var (
	edit, review, publish = content.PermEdit, content.PermReview, content.PermPublish
	principals            = map[string]auth.Principal{
		"editor":   principal("editor", "李文静", testkit.Holds(edit, "xinxi")),
		"reviewer": principal("reviewer", "周丽", testkit.Holds(review, "xinxi"), testkit.Holds(publish, "xinxi")),
		"director": principal("director", "王建国", testkit.Holds(review, auth.OfficeWide), testkit.Holds(publish, auth.OfficeWide)),
		"dc":       principal("dc", "孙强", testkit.Holds(edit, "ducha")),
		"staff":    principal("staff", "职员"),
		// writer edits in 信息处 and reviews and publishes office-wide.
		"writer": principal("writer", "郑华", testkit.Holds(edit, "xinxi"),
			testkit.Holds(review, auth.OfficeWide), testkit.Holds(publish, auth.OfficeWide)),
	}
)

func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

func newEnvWith(t *testing.T, opt func(*content.Deps)) *env {
	t.Helper()
	k := testkit.New(t)
	svc := cmstest.Content(k, opt)
	cmstest.Run(k, svc)
	app := httpx.NewApp(httpx.Options{BodyLimit: 256 << 10, Registry: prometheus.NewRegistry(), Logger: k.Log})
	openapi.Mount(app.Group("/api/portal/v1"), contenthttp.Routes(svc, k.Tokens))
	e := &env{Env: k, app: app, svc: svc, tokens: map[string]string{}}
	for name, p := range principals {
		e.tokens[name] = k.Token(p)
	}
	return e
}

const base = "/api/portal/v1/manage"

// do sends a request as the principal named who ("" = anonymous).
func (e *env) do(method, path, who string, body any) testkit.Response {
	e.T.Helper()
	return testkit.Do(e.T, e.app, method, path, e.tokens[who], body)
}

func (e *env) want(r testkit.Response, status int) map[string]any {
	e.T.Helper()
	if r.Status != status {
		e.T.Fatalf("want %d, got %d: %s", status, r.Status, r.Body)
	}
	return r.JSON()
}

func version(m map[string]any) float64 { return m["version"].(float64) }

func docID(m map[string]any) string { return m["document"].(map[string]any)["id"].(string) }

func newsBody(title string) map[string]any {
	return map[string]any{"type": "article", "channel": "news", "department": "xinxi",
		"fields": map[string]any{"title": title, "body": "<p>正文<script>x()</script></p>"}, "changeNote": "初稿"}
}

func TestManagementFlowOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if r := e.do("GET", base+"/documents", "", nil); r.Status != 401 {
		t.Fatalf("anonymous list: %d", r.Status)
	}
	m := e.want(e.do("POST", base+"/documents", "editor", newsBody("省政府召开常务会议")), 201)
	id := docID(m)
	if m["id"] != id {
		t.Fatalf("create answer lacks top-level id: %v", m)
	}
	if strings.Contains(string(mustJSON(m)), "script") {
		t.Fatalf("body not sanitised: %v", m)
	}
	v := version(m)
	// Two saves with the same version: the second is 409 problem+json.
	m = e.want(e.do("PUT", base+"/documents/"+id+"/draft", "editor", map[string]any{"version": v,
		"fields": map[string]any{"title": "省政府召开第12次常务会议", "body": "<p>会议研究了……</p>"}, "changeNote": "补充"}), 200)
	r := e.do("PUT", base+"/documents/"+id+"/draft", "editor", map[string]any{"version": v, "fields": map[string]any{"title": "另一个标题"}})
	testkit.WantProblem(t, r, 409, "conflict")
	v = version(m)
	m = e.want(e.do("POST", base+"/documents/"+id+"/submit", "editor", map[string]any{"version": v}), 200)
	seq := m["seq"].(float64)
	q := e.want(e.do("GET", fmt.Sprintf("%s/review-queue?consistentWith=%d", base, int64(seq)), "reviewer", nil), 200)
	if items := q["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("queue: %v", q)
	}
	m = e.want(e.do("POST", base+"/documents/"+id+"/approve", "reviewer", map[string]any{"version": version(m), "comment": "同意"}), 200)
	// Wrong step: the department reviewer cannot take 终审.
	e.want(e.do("POST", base+"/documents/"+id+"/approve", "reviewer", map[string]any{"version": version(m)}), 403)
	e.want(e.do("POST", base+"/documents/"+id+"/reject", "director", map[string]any{"version": version(m), "reason": ""}), 400)
	m = e.want(e.do("POST", base+"/documents/"+id+"/approve", "director", map[string]any{"version": version(m), "comment": "发布"}), 200)
	if m["document"].(map[string]any)["state"] != "published" {
		t.Fatalf("not published: %v", m)
	}
	l := e.want(e.do("GET", fmt.Sprintf("%s/documents?state=published&channel=news&consistentWith=%d", base, int64(m["seq"].(float64))), "editor", nil), 200)
	if items := l["items"].([]any); len(items) != 1 || items[0].(map[string]any)["title"] != "省政府召开第12次常务会议" {
		t.Fatalf("list: %v", l)
	}
	if l := e.want(e.do("GET", base+"/documents", "dc", nil), 200); len(l["items"].([]any)) != 0 {
		t.Fatalf("督查室 editor sees 信息处 documents: %v", l)
	}
	e.want(e.do("GET", base+"/documents/"+id, "dc", nil), 404)
	eds := e.want(e.do("GET", base+"/documents/"+id+"/editions", "editor", nil), 200)
	if len(eds["items"].([]any)) != 1 {
		t.Fatalf("editions: %v", eds)
	}
	e.want(e.do("GET", base+"/documents/"+id+"/editions/1", "editor", nil), 200)
	e.want(e.do("GET", base+"/documents/"+id+"/editions/2", "editor", nil), 404)
	d := e.want(e.do("GET", base+"/documents/"+id+"/diff?from=1&to=1", "editor", nil), 200)
	if len(d["changes"].([]any)) != 0 {
		t.Fatalf("diff: %v", d)
	}
	pv := e.want(e.do("POST", base+"/documents/"+id+"/preview", "editor", map[string]any{}), 200)
	if !strings.HasPrefix(pv["url"].(string), "/api/portal/v1/preview/") {
		t.Fatalf("preview: %v", pv)
	}
	e.want(e.do("POST", base+"/documents/"+id+"/withdraw", "editor", map[string]any{"reason": "过时"}), 403)
	m = e.want(e.do("POST", base+"/documents/"+id+"/withdraw", "director", map[string]any{"reason": "过时"}), 200)
	m = e.want(e.do("POST", base+"/documents/"+id+"/rollback", "director", map[string]any{"edition": 1}), 200)
	if m["published"].(map[string]any)["number"].(float64) != 2 {
		t.Fatalf("rollback: %v", m)
	}
	e.want(e.do("POST", base+"/documents/"+id+"/remove", "director", nil), 200)
	e.want(e.do("POST", base+"/documents/"+id+"/remove", "director", nil), 409)
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// TestBadInputIsProblem sends bad input to every route: 4xx problem+json,
// never 5xx.
func TestBadInputIsProblem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.want(e.do("POST", base+"/documents", "editor", newsBody("测试")), 201)
	id := docID(m)
	bodies := []any{
		"{", "[]", "null", "12", `"x"`, `{"version": "1"}`, `{"version": 1.5}`, `{"version": 1e30}`,
		`{"unknown": 1}`, []byte("{\"reason\": \"\xff\xfe\"}"), `{"reason": {"$gt": ""}}`, `{"to": {"$gt": ""}}`,
		`{"type": {"$gt": ""}, "channel": "news"}`, `{"fields": {"title": {"$gt": ""}}}`, `{"fields": []}`,
		`{"version": 1, "fields": {"title": "` + strings.Repeat("长", 300) + `"}}`,
		`{"version": 1, "publishAt": "tomorrow"}`, `{"edition": -1}`, `{"version": -5}`, `{} {}`,
		`{"type":"article","channel":"news","department":"xinxi","fields":{"title":"t","issuers":[1]}}`,
		`{"type":"article","channel":"{\"$gt\":\"\"}","department":"xinxi","fields":{"title":"t"}}`,
	}
	routes := []struct{ method, path string }{
		{"POST", "/documents"},
		{"PUT", "/documents/" + id + "/draft"},
		{"POST", "/documents/" + id + "/submit"},
		{"POST", "/documents/" + id + "/approve"},
		{"POST", "/documents/" + id + "/reject"},
		{"POST", "/documents/" + id + "/withdraw"},
		{"POST", "/documents/" + id + "/redirect"},
		{"POST", "/documents/" + id + "/remove"},
		{"POST", "/documents/" + id + "/rollback"},
		{"POST", "/documents/" + id + "/preview"},
	}
	for _, rt := range routes {
		for _, b := range bodies {
			for _, who := range []string{"editor", "director"} {
				r := e.do(rt.method, base+rt.path, who, b)
				if r.Status < 400 && !(rt.path == "/documents/"+id+"/preview") {
					// A few bodies are acceptable to some routes (e.g. an empty
					// object to submit); they must still not be 5xx.
					continue
				}
				if r.Status >= 500 {
					t.Errorf("%s %s %s body %q: %d %s", who, rt.method, rt.path, b, r.Status, r.Body)
					continue
				}
				if r.Status >= 400 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
					t.Errorf("%s %s body %q: %d without problem+json", rt.method, rt.path, b, r.Status)
				}
			}
		}
	}
	gets := []string{
		"/documents?state=%7B%22%24gt%22%3A%22%22%7D", "/documents?size=0", "/documents?size=abc", "/documents?size=101",
		"/documents?cursor=garbage", "/documents?consistentWith=-1", "/documents?consistentWith=abc",
		"/documents?channel=nope", "/documents?type=video", "/documents?q=%FF%FE", "/documents?department=%00",
		"/review-queue?size=1000", "/review-queue?cursor=%7B%7D",
		"/documents/nope", "/documents/" + strings.Repeat("x", 100), "/documents/%FF",
		"/documents/" + id + "/editions/abc", "/documents/" + id + "/editions/0", "/documents/" + id + "/editions/99999999999999999999",
		"/documents/" + id + "/diff", "/documents/" + id + "/diff?from=1&to=x", "/documents/" + id + "/diff?from=1&to=5",
	}
	for _, p := range gets {
		for _, who := range []string{"editor", "director"} {
			if who == "editor" && strings.HasPrefix(p, "/review-queue?cursor") {
				continue // an editor's queue is empty before any cursor is read
			}
			r := e.do("GET", base+p, who, nil)
			if r.Status < 400 || r.Status >= 500 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s GET %s: %d %s", who, p, r.Status, r.Body)
			}
		}
	}
	// Field names in validation problems.
	r := e.do("POST", base+"/documents", "editor", map[string]any{"type": "policy", "channel": "files-general-office",
		"department": "xinxi", "fields": map[string]any{"title": "通知", "docNumber": "12号"}})
	fields := testkit.ProblemFields(testkit.WantProblem(t, r, 400, ""))
	if !slices.Contains(fields, "fields.docNumber") {
		t.Fatalf("fields: %v", fields)
	}
	// A staff member without portal permissions is forbidden to create.
	e.want(e.do("POST", base+"/documents", "staff", newsBody("x")), 403)
}

func TestMissingMediaIs400NamingTheField(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(d *content.Deps) {
		d.MediaInfo = func(_ context.Context, id string) (item.Attachment, bool, error) {
			if id == "pdf1" {
				return item.Attachment{MediaID: id, Name: "方案.pdf", Size: 42, Type: "application/pdf"}, true, nil
			}
			return item.Attachment{}, false, nil
		}
	})
	b := newsBody("带附件")
	f := b["fields"].(map[string]any)
	f["cover"] = "nosuchcover"
	f["attachments"] = []map[string]any{{"mediaId": "nosuch"}}
	fields := testkit.ProblemFields(testkit.WantProblem(t, e.do("POST", base+"/documents", "editor", b), 400, ""))
	if !slices.Contains(fields, "fields.cover") || !slices.Contains(fields, "fields.attachments[0].mediaId") {
		t.Fatalf("fields: %v", fields)
	}
	delete(f, "cover")
	f["attachments"] = []map[string]any{{"mediaId": "pdf1"}}
	m := e.want(e.do("POST", base+"/documents", "editor", b), 201)
	att := m["draft"].(map[string]any)["fields"].(map[string]any)["attachments"].([]any)[0].(map[string]any)
	if att["name"] != "方案.pdf" || att["size"] != float64(42) || att["type"] != "application/pdf" {
		t.Fatalf("attachment: %v", att)
	}
}
