package officeapi_test

import (
	"strings"
	"testing"

	"zhengwu/shared/testkit"
)

// References are validated (issue #10): posts accepted ids such as
// "a\u0000b" or "../../etc"; every id has a form (department and post
// ids: lower-case letters, digits, - and _; user, grant and request ids:
// 32 hex digits), checked at every route, and references must exist. A
// bad id is a 400 naming the field (in a body) or a 404 (in a path),
// never a 500.
func TestIDsAndReferencesAreValidated(t *testing.T) {
	e := newEnv(t)
	sys, sec := e.token("sysadmin"), e.token("secadmin")
	staff := e.userID("staff")
	bad := []string{"a\u0000b", "../../etc", "Xinxi", "信息处", "a b", "-x", strings.Repeat("a", 65), "a/b", "a%00b"}
	var sc []testkit.Scenario
	for _, id := range bad {
		sc = append(sc,
			testkit.Scenario{Name: "post id " + id, Method: "POST", Path: v1 + "/org/posts", Token: sys,
				Body: map[string]string{"id": id, "name": "岗位", "departmentId": "xinxi"}, Status: 400, Field: "id"},
			testkit.Scenario{Name: "post department " + id, Method: "POST", Path: v1 + "/org/posts", Token: sys,
				Body: map[string]string{"id": "p1", "name": "岗位", "departmentId": id}, Status: 400, Field: "departmentId"},
			testkit.Scenario{Name: "department id " + id, Method: "POST", Path: v1 + "/org/departments", Token: sys,
				Body: map[string]string{"id": id, "name": "处室"}, Status: 400, Field: "id"},
			testkit.Scenario{Name: "department parent " + id, Method: "POST", Path: v1 + "/org/departments", Token: sys,
				Body: map[string]string{"id": "d1", "name": "处室", "parentId": id}, Status: 400, Field: "parentId"},
			testkit.Scenario{Name: "user departments " + id, Method: "POST", Path: v1 + "/users", Token: sys,
				Body: map[string]any{"username": "u1", "displayName": "x", "password": "Xinren-Pass-1", "departmentIds": []string{id}}, Status: 400, Field: "departmentIds[0]"},
			testkit.Scenario{Name: "user posts " + id, Method: "PATCH", Path: v1 + "/users/" + staff, Token: sys,
				Body: map[string]any{"postIds": []string{"mishu2-keyuan", id}}, Status: 400, Field: "postIds[1]"},
			testkit.Scenario{Name: "grant department " + id, Method: "POST", Path: v1 + "/users/" + staff + "/grants", Token: sec,
				Body: map[string]string{"role": "editor", "departmentId": id}, Status: 400, Field: "departmentId"},
		)
	}
	// Well-formed, but naming nothing.
	sc = append(sc,
		testkit.Scenario{Name: "post in a missing department", Method: "POST", Path: v1 + "/org/posts", Token: sys,
			Body: map[string]string{"id": "p1", "name": "岗位", "departmentId": "nowhere"}, Status: 400, Field: "departmentIds"},
		testkit.Scenario{Name: "department under a missing parent", Method: "POST", Path: v1 + "/org/departments", Token: sys,
			Body: map[string]string{"id": "d1", "name": "处室", "parentId": "nowhere"}, Status: 400, Field: "parentId"},
		testkit.Scenario{Name: "user in a missing department", Method: "PATCH", Path: v1 + "/users/" + staff, Token: sys,
			Body: map[string]any{"departmentIds": []string{"nowhere"}}, Status: 400, Field: "departmentIds"},
		testkit.Scenario{Name: "user with a missing post", Method: "POST", Path: v1 + "/users", Token: sys,
			Body: map[string]any{"username": "u2", "displayName": "x", "password": "Xinren-Pass-1", "postIds": []string{"nowhere"}}, Status: 400, Field: "postIds"},
		testkit.Scenario{Name: "grant in a missing department", Method: "POST", Path: v1 + "/users/" + staff + "/grants", Token: sec,
			Body: map[string]string{"role": "editor", "departmentId": "nowhere"}, Status: 400, Field: "departmentId"},
	)
	// Ids in paths: of the wrong form or naming nothing, a 404 (a path
	// with dot segments, a 400).
	for _, p := range []struct{ method, path, token string }{
		{"PATCH", "/users/..%2F..%2Fetc", sys},
		{"PATCH", "/users/" + strings.ToUpper(staff), sys},
		{"PATCH", "/users/0123456789abcdef0123456789abcdef", sys},
		{"POST", "/users/a%00b/password", sys},
		{"PUT", "/users/x/clearance", sec},
		{"GET", "/users/x/grants", sec},
		{"POST", "/users/x/grants", sec},
		{"DELETE", "/users/" + staff + "/grants/..%2Fx", sec},
		{"PATCH", "/org/departments/A%00", sys},
		{"PATCH", "/org/departments/nowhere", sys},
		{"PATCH", "/org/posts/..", sys},
		{"PATCH", "/org/posts/nowhere", sys},
		{"POST", "/officer-changes/x/approve", sec},
		{"POST", "/officer-changes/0123456789abcdef0123456789abcdef/refuse", sec},
	} {
		var body any = map[string]any{"displayName": "x"}
		switch {
		case strings.HasSuffix(p.path, "/password"):
			body = map[string]any{"password": "Xinren-Pass-1"}
		case strings.HasSuffix(p.path, "/clearance"):
			body = map[string]any{"clearance": "秘密"}
		case strings.HasSuffix(p.path, "/grants"):
			body = map[string]any{"role": "staff"}
		case strings.Contains(p.path, "/org/"):
			body = map[string]any{"name": "新名称"}
		case strings.Contains(p.path, "/officer-changes/"), p.method == "GET", p.method == "DELETE":
			body = nil
		}
		status, code := 404, "not_found"
		if strings.Contains(p.path, "..") {
			// Dot segments never reach a route: the server refuses the path.
			status, code = 400, "invalid_path"
		}
		sc = append(sc, testkit.Scenario{Name: p.method + " " + p.path, Method: p.method, Path: v1 + p.path, Token: p.token,
			Body: body, Status: status, Code: code})
	}
	testkit.Run(t, e.App, sc...)

	// Nothing was stored under a bad id.
	r := e.do("GET", v1+"/org/posts", sys, nil)
	if r.Status != 200 || strings.Contains(string(r.Body), "etc") || strings.Contains(string(r.Body), `\u0000`) {
		t.Fatalf("posts: %d %s", r.Status, r.Body)
	}
}

// The organisation's posts are listed, and departments and posts renamed
// (the officers' console).
func TestOrganisationRenamesAndPostList(t *testing.T) {
	e := newEnv(t)
	sys := e.token("sysadmin")
	r := e.do("GET", v1+"/org/posts", e.token("staff"), nil)
	if r.Status != 200 || r.JSON()["total"].(float64) < 5 || !strings.Contains(string(r.Body), "mishu2-keyuan") {
		t.Fatalf("posts: %d %s", r.Status, r.Body)
	}
	if r := e.do("PATCH", v1+"/org/departments/xinxi", sys, map[string]any{"name": "政务信息处", "order": 45}); r.Status != 200 || r.JSON()["name"] != "政务信息处" {
		t.Fatalf("rename department: %d %s", r.Status, r.Body)
	}
	if r := e.do("PATCH", v1+"/org/posts/xinxi-bianji", sys, map[string]any{"name": "信息编辑岗"}); r.Status != 200 || r.JSON()["name"] != "信息编辑岗" {
		t.Fatalf("rename post: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("PATCH", v1+"/org/posts/xinxi-bianji", e.token("secadmin"), map[string]any{"name": "x"}), 403, "forbidden")
	wantProblem(t, e.do("PATCH", v1+"/org/departments/xinxi", sys, map[string]any{"name": ""}), 400, "invalid")
}
