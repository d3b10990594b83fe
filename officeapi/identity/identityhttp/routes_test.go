package identityhttp_test

import (
	"strings"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/officetest"
)

// The routes answer as their handlers did before they became
// openapi.Handle functions: a path id of the wrong form is refused before
// the body is read, the grants of another account before its id is
// checked; an answer that holds a credential is not kept; a 204 has no
// body; a whole list counts its items.
func TestRoutesKeepTheirOrderAndAnswers(t *testing.T) {
	e := officetest.New(t)
	sys, staff := e.TokenOf("sysadmin"), e.TokenOf("staff")
	base := officeapi.Base
	for _, c := range []struct {
		name, method, path, token, body string
		status                          int
	}{
		{"bad user id, bad body", "PATCH", "/users/nothex", sys, "{", 404},
		{"bad department id, bad body", "PATCH", "/org/departments/NO", sys, "{", 404},
		{"bad post id, bad body", "PATCH", "/org/posts/NO", sys, "{", 404},
		{"bad request id, bad body", "POST", "/officer-changes/nothex/approve", sys, "{", 404},
		{"bad grant id", "DELETE", "/users/" + e.UserID("staff") + "/grants/nothex", e.TokenOf("secadmin"), "", 404},
		{"another's grants, bad id", "GET", "/users/nothex/grants", staff, "", 403},
		{"a good id, a bad body", "PATCH", "/users/" + e.UserID("staff"), sys, "{", 400},
	} {
		var body any
		if c.body != "" {
			body = c.body
		}
		if r := e.Do(c.method, base+c.path, c.token, body); r.Status != c.status {
			t.Errorf("%s: %s %s: %d, want %d: %s", c.name, c.method, c.path, r.Status, c.status, r.Body)
		}
	}

	login := e.Do("POST", base+"/auth/login", "", map[string]string{"username": "staff", "password": officetest.Password})
	if login.Status != 200 || login.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("login: %d, Cache-Control %q", login.Status, login.Header.Get("Cache-Control"))
	}
	out := e.Do("POST", base+"/auth/logout", "", map[string]string{"refreshToken": login.JSON()["refreshToken"].(string)})
	if ct := out.Header.Get("Content-Type"); out.Status != 204 || len(out.Body) != 0 || strings.Contains(ct, "json") {
		t.Errorf("logout: %d %q %q", out.Status, ct, out.Body)
	}

	for _, path := range []string{"/org/departments", "/org/posts", "/org/people", "/users", "/users/" + e.UserID("staff") + "/grants"} {
		r := e.Do("GET", base+path, e.TokenOf("secadmin"), nil)
		m := r.JSON()
		items, _ := m["items"].([]any)
		if total, _ := m["total"].(float64); r.Status != 200 || len(items) == 0 || int(total) != len(items) {
			t.Errorf("GET %s: %d, %d items, total %v", path, r.Status, len(items), m["total"])
		}
	}
}

// The address book (通讯录) is for every signed-in user: it names the
// departments' people (whom a 会签 or 转办 may go to) and leaves out the
// three officers, who belong to no department.
func TestPeopleNamesTheDepartmentsPeopleNotTheOfficers(t *testing.T) {
	e := officetest.New(t)
	r := e.Do("GET", officeapi.Base+"/org/people", e.TokenOf("staff"), nil)
	if r.Status != 200 {
		t.Fatalf("GET /org/people as staff: %d %s", r.Status, r.Body)
	}
	names := map[string]string{}
	items, _ := r.JSON()["items"].([]any)
	for _, it := range items {
		p := it.(map[string]any)
		names[p["id"].(string)] = p["name"].(string)
		if _, ok := p["clearance"]; ok {
			t.Errorf("the address book shows a clearance: %v", p)
		}
	}
	if names[e.UserID("chuzhang")] != "刘志强" {
		t.Errorf("chuzhang is %q in the address book, want 刘志强", names[e.UserID("chuzhang")])
	}
	for _, officer := range []string{"sysadmin", "secadmin", "auditor"} {
		if _, ok := names[e.UserID(officer)]; ok {
			t.Errorf("the address book names the officer %s", officer)
		}
	}
	if r := e.Do("GET", officeapi.Base+"/org/people", "", nil); r.Status != 401 {
		t.Errorf("GET /org/people signed out: %d, want 401", r.Status)
	}
}
