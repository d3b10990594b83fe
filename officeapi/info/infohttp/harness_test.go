package infohttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/officeapi"
	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/identity"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/kek"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/store/storetest"
)

const pw = "Demo-Pass-2026"
const base = "/api/office/v1/info"

type env struct {
	t       *testing.T
	app     *fiber.App
	store   *sqlitestore.Store
	trail   *audit.Trail
	svc     *officeapi.Service
	tokens  map[string]string
	lastSeq int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.NewSQLite(t)
	keys, err := auth.LoadKeys(context.Background(), st, kek.MustGenerate())
	if err != nil {
		t.Fatal(err)
	}
	trail := audit.New(st, time.Now)
	tokens := auth.NewTokens(keys, time.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := officeapi.New(officeapi.Deps{Store: st, Trail: trail, Tokens: tokens, Policy: identity.DefaultPolicy,
		Now: time.Now, Logger: log, IndexDir: filepath.Join(t.TempDir(), "office-info")})
	if _, err := demo.Seed(context.Background(), svc.Identity, pw); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := svc.Close(); err != nil {
			t.Error(err)
		}
	})
	app := httpx.NewApp(httpx.Options{BodyLimit: 1 << 20, Registry: prometheus.NewRegistry(), Logger: log})
	svc.Mount(app)
	return &env{t: t, app: app, store: st, trail: trail, svc: svc, tokens: map[string]string{}}
}

type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

func (e *env) tok(user string) string {
	if t, ok := e.tokens[user]; ok {
		return t
	}
	r := e.raw("POST", "/api/office/v1/auth/login", "", map[string]string{"username": user, "password": pw})
	if r.Status != 200 {
		e.t.Fatalf("login %s: %d %s", user, r.Status, r.Body)
	}
	tok, _ := r.JSON()["accessToken"].(string)
	e.tokens[user] = tok
	return tok
}

func (e *env) raw(method, path, token string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.app.Test(req, 10000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	r := resp{Status: res.StatusCode, Header: res.Header, Body: data}
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

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
