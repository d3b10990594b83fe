package infohttp_test

import (
	"fmt"
	"strings"
	"testing"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/info"

// env is one test's office (officetest) with the helpers these tests use.
type env struct {
	*officetest.Env
	t       testing.TB
	store   store.Store
	lastSeq int64
}

type resp = testkit.Response

func newEnv(t *testing.T) *env {
	t.Helper()
	o := officetest.New(t)
	return &env{Env: o, t: t, store: o.Store}
}

func (e *env) tok(user string) string { return e.TokenOf(user) }

// tokensByUser are the tokens tok hands out; delete one to log in again.
func (e *env) tokensByUser() map[string]string { return e.TokenCache() }

func (e *env) raw(method, path, token string, body any) resp {
	e.t.Helper()
	r := testkit.Do(e.t, e.App, method, path, token, body)
	if seq, ok := r.JSON()["seq"].(float64); ok && int64(seq) > e.lastSeq {
		e.lastSeq = int64(seq)
	}
	return r
}

// as calls the info API as a demo user.
func (e *env) as(user, method, path string, body any) resp {
	e.t.Helper()
	if strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "/api/") {
		path = base + path
	}
	return e.raw(method, path, e.tok(user), body)
}

func (e *env) ok(r resp, status int) map[string]any {
	e.t.Helper()
	if r.Status != status {
		e.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r.JSON()
}

func (e *env) problem(r resp, status int, field string) map[string]any {
	e.t.Helper()
	if r.Status != status {
		e.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		e.t.Fatalf("content type %q: %s", ct, r.Body)
	}
	m := r.JSON()
	if field != "" {
		errs, _ := m["errors"].([]any)
		found := false
		for _, fe := range errs {
			if fe.(map[string]any)["field"] == field {
				found = true
			}
		}
		if !found {
			e.t.Fatalf("problem does not name field %q: %s", field, r.Body)
		}
	}
	return m
}

// list lists as user, consistent with every write so far.
func (e *env) list(user, query string) (ids []string, total int) {
	e.t.Helper()
	sep := "?"
	if query != "" {
		sep = "&"
	}
	m := e.ok(e.as(user, "GET", "/items?"+query+sep+fmt.Sprintf("consistentWith=%d", e.lastSeq), nil), 200)
	for _, it := range m["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return ids, int(m["total"].(float64))
}

func item(overrides map[string]any) map[string]any {
	m := map[string]any{"department": "xinxi", "kind": "update", "title": "全省政务信息工作会议召开",
		"summary": "会议部署下半年工作", "body": "<p>正文</p>", "classification": "非密", "audience": "office"}
	for k, v := range overrides {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// create makes an item as editor and returns its id.
func (e *env) create(overrides map[string]any) string {
	e.t.Helper()
	return e.ok(e.as("editor", "POST", "/items", item(overrides)), 201)["id"].(string)
}

// publish creates, submits and approves an item (director approves
// office items, reviewer department items).
func (e *env) publish(overrides map[string]any) string {
	e.t.Helper()
	id := e.create(overrides)
	e.ok(e.as("editor", "POST", "/items/"+id+"/submit", nil), 200)
	approver := "director"
	if a, _ := overrides["audience"].(string); a == "department" {
		approver = "reviewer"
	}
	e.ok(e.as(approver, "POST", "/items/"+id+"/approve", nil), 200)
	return id
}
