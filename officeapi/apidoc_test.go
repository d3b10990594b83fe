package officeapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"zhengwu/officeapi/apidoc"
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
		doc.Paths["/gateway/status"]["get"] == nil {
		t.Fatalf("document: %s %v", doc.OpenAPI, doc.Servers)
	}
	// A bad token does not matter either: the routes carry no token check.
	r = e.do("GET", "/api/office/v1/docs", "not-a-token", nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(r.Body), "/info/items/{id}/portal-approve") {
		t.Fatalf("docs: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}

// Real responses validate against the schemas the document gives them,
// and the request examples are accepted by the server.
func TestResponsesMatchTheDescription(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := e.svc.Close(); err != nil {
			t.Error(err)
		}
	})
	api := apidoc.API()
	const base = "/api/office/v1"
	check := func(r response, status int, schema string) map[string]any {
		t.Helper()
		if r.Status != status {
			t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
		}
		var body any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("%s: %v", schema, err)
		}
		if !openapitest.Valid(t, api, schema, body) {
			t.Errorf("response (%d) does not match %s: %s", r.Status, schema, r.Body)
		}
		m, _ := body.(map[string]any)
		return m
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

	sess := check(e.do("POST", base+"/auth/login", "", map[string]string{"username": "editor", "password": demoPassword}), 200, "Session")
	editor := sess["accessToken"].(string)
	check(e.do("POST", base+"/auth/refresh", "", map[string]any{"refreshToken": sess["refreshToken"]}), 200, "Session")
	check(e.do("POST", base+"/auth/login", "", map[string]string{"username": "editor", "password": "wrong"}), 401, "Problem")
	check(e.do("GET", base+"/me", "", nil), 401, "Problem")
	check(e.do("GET", base+"/me", editor, nil), 200, "Me")
	check(e.do("GET", base+"/roles", editor, nil), 200, "RoleList")
	check(e.do("GET", base+"/org/departments", editor, nil), 200, "DepartmentList")
	check(e.do("GET", base+"/users/"+e.userID("editor")+"/grants", editor, nil), 200, "GrantList")

	sys, sec, aud, director := e.token("sysadmin"), e.token("secadmin"), e.token("auditor"), e.token("director")
	check(e.do("GET", base+"/users/no-such-user/grants", sec, nil), 404, "Problem")
	check(e.do("GET", base+"/users/no-such-user/grants", editor, nil), 403, "Problem")
	check(e.do("GET", base+"/users", sys, nil), 200, "UserList")
	u := check(e.do("POST", base+"/users", sys, example("POST", "/users")), 201, "User")
	check(e.do("PATCH", base+"/users/"+u["id"].(string), sys, map[string]any{"displayName": "赵磊"}), 200, "User")
	check(e.do("PUT", base+"/users/"+u["id"].(string)+"/clearance", sec, example("PUT", "/users/{id}/clearance")), 200, "User")
	check(e.do("POST", base+"/users/"+u["id"].(string)+"/grants", sec, map[string]string{"role": "staff"}), 201, "Grant")
	check(e.do("POST", base+"/org/departments", sys, example("POST", "/org/departments")), 201, "Department")
	check(e.do("POST", base+"/org/posts", sys, example("POST", "/org/posts")), 201, "Post")

	// The department information platforms, from draft to the portal.
	it := check(e.do("POST", base+"/info/items", editor, example("POST", "/info/items")), 201, "InfoItem")
	id := it["id"].(string)
	check(e.do("GET", base+"/info/items/"+id, editor, nil), 200, "InfoItem")
	check(e.do("POST", base+"/info/items/"+id+"/submit", editor, example("POST", "/info/items/{id}/submit")), 200, "InfoItem")
	it = check(e.do("GET", base+"/info/items/"+id, editor, nil), 200, "InfoItem")
	it = check(e.do("POST", base+"/info/items/"+id+"/approve", director, fmt.Sprintf(`{"version":%v}`, it["version"])), 200, "InfoItem")
	check(e.do("POST", base+"/info/items/"+id+"/designate", editor, map[string]any{"version": it["version"], "channel": "news"}), 200, "InfoItem")
	check(e.do("POST", base+"/info/items/"+id+"/designate", editor, map[string]any{"version": 1, "channel": "news"}), 409, "Problem")
	it = check(e.do("POST", base+"/info/items/"+id+"/portal-approve", director, nil), 200, "InfoItem")
	check(e.do("GET", fmt.Sprintf("%s/info/items?consistentWith=%v", base, it["seq"]), editor, nil), 200, "InfoList")
	list := check(e.do("GET", base+"/info/items?scope=office&size=1", editor, nil), 200, "InfoList")
	if list["total"].(float64) != 1 {
		t.Fatalf("office list: %v", list)
	}
	check(e.do("GET", base+"/info/desktop", director, nil), 200, "Desktop")
	check(e.do("POST", base+"/info/items/"+id+"/portal-revoke", director, example("POST", "/info/items/{id}/portal-revoke")), 200, "InfoItem")
	check(e.do("POST", base+"/info/items/"+id+"/withdraw", editor, example("POST", "/info/items/{id}/withdraw")), 200, "InfoItem")
	check(e.do("POST", base+"/info/rules", sec, example("POST", "/info/rules")), 201, "Rule")
	check(e.do("GET", base+"/info/rules", sec, nil), 200, "RuleList")
	check(e.do("GET", base+"/info/items/"+id+"x", editor, nil), 404, "Problem")

	check(e.do("GET", base+"/audit?size=500", aud, nil), 200, "AuditList")
	check(e.do("GET", base+"/audit/verify", aud, nil), 200, "AuditReport")
	check(e.do("GET", base+"/audit?after=-1", aud, nil), 400, "Problem")
}
