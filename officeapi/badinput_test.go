package officeapi_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// Every route with a body, with the token of someone allowed to call it.
func bodyRoutes(e *env) []struct{ method, path, token, valid string } {
	sys, sec := e.token("sysadmin"), e.token("secadmin")
	staffID := e.userID("staff")
	return []struct{ method, path, token, valid string }{
		{"POST", "/api/office/v1/auth/login", "", `{"username":"staff","password":"x"}`},
		{"POST", "/api/office/v1/auth/refresh", "", `{"refreshToken":"zwr_x"}`},
		{"POST", "/api/office/v1/auth/logout", "", `{"refreshToken":"zwr_x"}`},
		{"POST", "/api/office/v1/org/departments", sys, `{"id":"newdept","name":"新处室"}`},
		{"POST", "/api/office/v1/org/posts", sys, `{"id":"p1","name":"岗位","departmentId":"xinxi"}`},
		{"POST", "/api/office/v1/users", sys, `{"username":"u1","displayName":"用户","password":"Xinren-Pass-1"}`},
		{"PATCH", "/api/office/v1/users/" + staffID, sys, `{"displayName":"陈晓燕"}`},
		{"POST", "/api/office/v1/users/" + staffID + "/password", sys, `{"password":"Xinren-Pass-1"}`},
		{"PUT", "/api/office/v1/users/" + staffID + "/clearance", sec, `{"clearance":"非密"}`},
		{"POST", "/api/office/v1/users/" + staffID + "/grants", sec, `{"role":"staff","departmentId":"mishu1"}`},
		{"POST", "/api/office/v1/auth/password", e.token("staff"), `{"oldPassword":"x","newPassword":"y"}`},
		{"PATCH", "/api/office/v1/org/departments/xinxi", sys, `{"name":"信息处"}`},
		{"PATCH", "/api/office/v1/org/posts/xinxi-bianji", sys, `{"name":"信息编辑"}`},
		{"POST", "/api/office/v1/officer-changes", sys, `{"userId":"` + e.userID("auditor") + `","kind":"unlock","reason":"x"}`},
	}
}

func TestBadInputGetsProblemNotServerError(t *testing.T) {
	e := newEnv(t)
	bad := map[string]string{
		"malformed JSON":   `{"username": "staff", `,
		"not an object":    `[1,2,3]`,
		"wrong type":       `{"username": 12, "password": true, "displayName": [], "id": {}, "role": 1, "refreshToken": 5, "clearance": 1}`,
		"unknown field":    `{"isAdmin": true}`,
		"invalid UTF-8":    "{\"username\": \"\xff\xfe\", \"password\": \"x\"}",
		"mongo injection":  `{"username": {"$gt": ""}, "password": {"$ne": null}}`,
		"trailing garbage": `{} {}`,
		"empty":            ``,
		"null":             `null`,
		"huge number":      `{"order": 1e400}`,
		"control chars":    "{\"username\": \"a\\u0000b\", \"displayName\": \"\\u001b[31m\", \"name\": \"\\u0007\"}",
	}
	for _, rt := range bodyRoutes(e) {
		for name, body := range bad {
			r := e.do(rt.method, rt.path, rt.token, body)
			if r.Status < 400 || r.Status >= 500 {
				t.Errorf("%s %s with %s: status %d, want 4xx: %s", rt.method, rt.path, name, r.Status, r.Body)
				continue
			}
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s %s with %s: content type %q", rt.method, rt.path, name, r.Header.Get("Content-Type"))
			}
		}
	}
	// Nothing was harmed: staff still logs in with the old password.
	e.login("staff")
}

func TestInvalidFieldsAreNamed(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ path, token, body, field string }{
		{"/api/office/v1/auth/login", "", `{"username":{"$gt":""},"password":"x"}`, "username"},
		{"/api/office/v1/auth/login", "", `{"username":"staff"}`, "password"},
		{"/api/office/v1/auth/login", "", `{"username":"staff","password":"x","extra":1}`, "extra"},
		{"/api/office/v1/users", e.token("sysadmin"), `{"username":"a b","displayName":"x","password":"Xinren-Pass-1"}`, "username"},
		{"/api/office/v1/users", e.token("sysadmin"), `{"username":"ab","displayName":"x","password":"short"}`, "password"},
		{"/api/office/v1/users", e.token("sysadmin"), `{"username":"ab","displayName":"x","password":"Xinren-Pass-1","departmentIds":["nope"]}`, "departmentIds"},
		{"/api/office/v1/org/departments", e.token("sysadmin"), `{"id":"x","name":"","order":-1}`, "name"},
	}
	for _, c := range cases {
		r := e.do("POST", c.path, c.token, c.body)
		if r.Status != 400 {
			t.Errorf("%s %s: %d %s", c.path, c.body, r.Status, r.Body)
			continue
		}
		found := false
		for _, fe := range r.JSON()["errors"].([]any) {
			if fe.(map[string]any)["field"] == c.field && fe.(map[string]any)["message"] != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s %s: field %q not named: %s", c.path, c.body, c.field, r.Body)
		}
	}
	// Validator messages are Chinese.
	r := e.do("POST", "/api/office/v1/auth/login", "", `{"username":"staff"}`)
	if !strings.Contains(string(r.Body), "为必填字段") {
		t.Fatalf("validation message not Chinese: %s", r.Body)
	}
}

func TestBadQueryAndPathValues(t *testing.T) {
	e := newEnv(t)
	aud := e.token("auditor")
	wantProblem(t, e.do("GET", "/api/office/v1/audit?after=abc", aud, nil), 400, "invalid")
	wantProblem(t, e.do("GET", "/api/office/v1/audit?size=0", aud, nil), 400, "invalid")
	wantProblem(t, e.do("GET", "/api/office/v1/audit?size=9999", aud, nil), 400, "invalid")
	// The trail pages by after, not by page number.
	if r := e.do("GET", "/api/office/v1/audit?page=2", aud, nil); r.Status != 400 || !strings.Contains(string(r.Body), `"field":"page"`) {
		t.Errorf("audit?page=2: %d %s", r.Status, r.Body)
	}
	if r := e.do("GET", "/api/office/v1/audit?page=1", aud, nil); r.Status != 200 {
		t.Errorf("audit?page=1: %d %s", r.Status, r.Body)
	}
	wantProblem(t, e.do("PATCH", "/api/office/v1/users/no-such-user", e.token("sysadmin"), `{"displayName":"x"}`), 404, "not_found")
	wantProblem(t, e.do("PATCH", "/api/office/v1/users/%27%20OR%201=1", e.token("sysadmin"), `{"displayName":"x"}`), 404, "not_found")
	wantProblem(t, e.do("GET", "/api/office/v1/nothing-here", "", nil), 404, "not_found")
	wantProblem(t, e.do("DELETE", "/api/office/v1/users/"+e.userID("staff")+"/grants/nope", e.token("secadmin"), nil), 404, "not_found")
}

// Fiber reuses request memory unless Immutable: a value kept from one
// request must not change when the next one arrives.
func TestRequestStringsSurviveTheHandler(t *testing.T) {
	e := newEnv(t)
	sys := e.token("sysadmin")
	r := e.do("POST", "/api/office/v1/org/departments", sys, `{"id":"keepme","name":"保留处"}`)
	if r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	for i := 0; i < 20; i++ {
		e.do("POST", "/api/office/v1/org/departments", sys, `{"id":"zzzzzz`+strings.Repeat("z", i)+`","name":"覆盖处覆盖处"}`)
	}
	r = e.do("GET", "/api/office/v1/org/departments", sys, nil)
	if !strings.Contains(string(r.Body), `"id":"keepme","name":"保留处"`) {
		t.Fatalf("stored department changed: %s", r.Body)
	}
}

// The body limit is enforced by the HTTP server before any handler runs,
// so this one goes over a real socket. The request announces a body over
// the limit and sends only its start: the server answers from the
// Content-Length alone (a client still writing a large body when the
// server closes would see a reset instead of the answer).
func TestOversizedBody(t *testing.T) {
	e := newEnv(t)
	addr := strings.TrimPrefix(e.serve(), "http://")
	huge := `{"username":"` + strings.Repeat("政", 40000) + `","password":"x"}`
	for _, rt := range bodyRoutes(e) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n%s",
			rt.method, rt.path, addr, rt.token, len(huge), huge[:1024])
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s %s: %v", rt.method, rt.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		conn.Close()
		wantProblem(t, response{Status: resp.StatusCode, Header: resp.Header, Body: body}, 413, "body_too_large")
	}
	e.login("staff")
}
