package officeapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/shared/openapi/openapitest"
)

// The description and its docs page are public: no token needed.
func TestOpenAPIIsServedWithoutToken(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/office/v1/openapi.json", "", nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Servers []struct{ URL string }    `json:"servers"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/office/v1" ||
		doc.Paths["/auth/login"]["post"] == nil || doc.Paths["/info/items/{id}/approve"]["post"] == nil ||
		doc.Paths["/desktop"]["get"] == nil {
		t.Fatalf("document: %s %v", doc.OpenAPI, doc.Servers)
	}
	// A bad token does not matter either: the routes carry no token check.
	r = e.do("GET", "/api/office/v1/docs", "not-a-token", nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(r.Body), "/info/items/{id}/portal-approve") {
		t.Fatalf("docs: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}

// Real responses validate against what the description says each route
// answers, and the request examples are accepted by the server.
func TestResponsesMatchTheDescription(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	const base = "/api/office/v1"
	check := func(method, path string, r response, status int) map[string]any {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Body)
		}
		if len(r.Body) > 0 {
			openapitest.Response(t, api, method, path, r.Status, r.Body)
		}
		return r.JSON()
	}
	example := func(method, path string) any {
		for _, o := range api.Ops {
			if o.Method == method && o.Path == path {
				return o.BodyExample
			}
		}
		t.Fatalf("no operation %s %s", method, path)
		return nil
	}
	do := func(method, path, token string, body any, status int) map[string]any {
		t.Helper()
		url := base + strings.NewReplacer("{id}", "x").Replace(path)
		return check(method, path, e.do(method, url, token, body), status)
	}
	at := func(method, path, id, token string, body any, status int) map[string]any {
		t.Helper()
		url := base + strings.Replace(path, "{id}", id, 1)
		return check(method, path, e.do(method, url, token, body), status)
	}

	sess := do("POST", "/auth/login", "", map[string]string{"username": "editor", "password": demoPassword}, 200)
	editor := sess["accessToken"].(string)
	do("POST", "/auth/refresh", "", map[string]any{"refreshToken": sess["refreshToken"]}, 200)
	do("POST", "/auth/login", "", map[string]string{"username": "editor", "password": "wrong"}, 401)
	do("GET", "/me", "", nil, 401)
	do("GET", "/me", editor, nil, 200)
	do("GET", "/roles", editor, nil, 200)
	do("GET", "/org/departments", editor, nil, 200)
	at("GET", "/users/{id}/grants", e.userID("editor"), editor, nil, 200)

	sys, sec, aud, director := e.token("sysadmin"), e.token("secadmin"), e.token("auditor"), e.token("director")
	at("GET", "/users/{id}/grants", "no-such-user", sec, nil, 404)
	at("GET", "/users/{id}/grants", "no-such-user", editor, nil, 403)
	do("GET", "/users", sys, nil, 200)
	u := do("POST", "/users", sys, example("POST", "/users"), 201)
	uid := u["id"].(string)
	at("PATCH", "/users/{id}", uid, sys, map[string]any{"displayName": "赵磊"}, 200)
	at("PUT", "/users/{id}/clearance", uid, sec, example("PUT", "/users/{id}/clearance"), 200)
	at("POST", "/users/{id}/grants", uid, sec, map[string]string{"role": "staff"}, 201)
	do("POST", "/org/departments", sys, example("POST", "/org/departments"), 201)
	do("POST", "/org/posts", sys, example("POST", "/org/posts"), 201)

	// The department information platforms, from draft to the portal.
	it := do("POST", "/info/items", editor, map[string]any{"department": "xinxi", "kind": "update",
		"title": "省政府办公厅召开2026年全省政务信息工作会议", "summary": "会议部署2026年重点任务。",
		"body": "<p>3月16日，省政府办公厅召开2026年全省政务信息工作会议。</p>", "classification": "非密",
		"principals": []string{}, "audience": "portal"}, 201)
	id := it["id"].(string)
	at("GET", "/info/items/{id}", id, editor, nil, 200)
	at("POST", "/info/items/{id}/submit", id, editor, map[string]any{}, 200)
	it = at("GET", "/info/items/{id}", id, editor, nil, 200)
	it = at("POST", "/info/items/{id}/approve", id, director, fmt.Sprintf(`{"version":%v}`, it["version"]), 200)
	at("POST", "/info/items/{id}/designate", id, editor, map[string]any{"version": it["version"], "channel": "news"}, 200)
	at("POST", "/info/items/{id}/designate", id, editor, map[string]any{"version": 1, "channel": "news"}, 409)
	it = at("POST", "/info/items/{id}/portal-approve", id, director, nil, 200)
	check("GET", "/info/items", e.do("GET", fmt.Sprintf("%s/info/items?consistentWith=%v", base, it["seq"]), editor, nil), 200)
	list := check("GET", "/info/items", e.do("GET", base+"/info/items?scope=office&size=1", editor, nil), 200)
	if list["total"].(float64) != 1 {
		t.Fatalf("office list: %v", list)
	}
	do("GET", "/info/desktop", director, nil, 200)
	do("GET", "/desktop", director, nil, 200)
	do("GET", "/desktop", editor, nil, 200)
	at("POST", "/info/items/{id}/portal-revoke", id, director, map[string]any{"reason": "涉及未公开数据，暂缓公开"}, 200)
	at("POST", "/info/items/{id}/withdraw", id, editor, map[string]any{"reason": "会议时间调整，待重新发布"}, 200)
	do("POST", "/info/rules", sec, map[string]string{"department": "xinxi", "kind": "update", "channel": "news"}, 201)
	do("GET", "/info/rules", sec, nil, 200)
	at("GET", "/info/items/{id}", id+"x", editor, nil, 404)

	check("GET", "/audit", e.do("GET", base+"/audit?size=500", aud, nil), 200)
	do("GET", "/audit/verify", aud, nil, 200)
	check("GET", "/audit", e.do("GET", base+"/audit?after=-1", aud, nil), 400)
}

// The request schemas reflected from the Go types carry the validation
// rules: what the server refuses, they refuse (a check that nothing
// validates would pass vacuously).
func TestRequestSchemasRefuseWhatTheServerRefuses(t *testing.T) {
	api := officeapi.API(newEnv(t).Routes)
	ok := map[string]any{"department": "xinxi", "kind": "notice", "title": "t", "classification": "非密", "audience": "office"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for a, b := range ok {
			m[a] = b
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	if !openapitest.RequestValid(t, api, "POST", "/info/items", ok) {
		t.Fatal("a good item is refused")
	}
	for name, body := range map[string]any{
		"unknown kind":         with("kind", "memo"),
		"above the ceiling":    with("classification", "绝密"),
		"no title":             with("title", nil),
		"an unknown field":     with("remember", true),
		"a title over 200":     with("title", strings.Repeat("长", 201)),
		"an unknown audience":  with("audience", "world"),
		"update, no version":   ok,
		"reason without text":  map[string]any{"version": 2},
		"rule without channel": map[string]any{"department": "xinxi", "kind": "update"},
	} {
		method, path := "POST", "/info/items"
		switch name {
		case "update, no version":
			method, path = "PUT", "/info/items/{id}"
		case "reason without text":
			path = "/info/items/{id}/reject"
		case "rule without channel":
			path = "/info/rules"
		}
		if openapitest.RequestValid(t, api, method, path, body) {
			t.Errorf("%s: %s %s accepts %v", name, method, path, body)
		}
	}
}
