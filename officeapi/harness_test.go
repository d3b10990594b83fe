package officeapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/store/storetest"
)

const demoPassword = "Demo-Pass-2026"

// clock is a controllable time source shared by every component.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one test's whole office API on its own store.
type env struct {
	t     testing.TB
	app   *fiber.App
	store *sqlitestore.Store
	trail *audit.Trail
	svc   *officeapi.Service
	clock *clock

	// The same things under the names officetest.Env gives them on main,
	// which the tests of the officers' findings use.
	T        testing.TB
	App      *fiber.App
	Identity *identity.Service
	Clock    *clock
	Trail    *audit.Trail
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return openEnv(t, storetest.NewSQLite(t), &clock{t: time.Now()})
}

// restart is a new process over the same store and clock: new keys
// loaded, new token cache, revocations loaded from the store.
func (e *env) restart() *env {
	e.t.Helper()
	return openEnv(e.t, e.store, e.clock)
}

func openEnv(t testing.TB, st *sqlitestore.Store, clk *clock) *env {
	t.Helper()
	keys, err := auth.LoadKeys(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	trail := audit.New(st, clk.Now)
	tokens := auth.NewTokens(keys, clk.Now)
	if err := tokens.Revocations().Attach(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	svc := officeapi.New(officeapi.Deps{Store: st, Trail: trail, Tokens: tokens, Policy: identity.DefaultPolicy, Now: clk.Now})
	if _, err := demo.Seed(context.Background(), svc.Identity, demoPassword); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	app := httpx.NewApp(httpx.Options{BodyLimit: 64 << 10, Registry: reg, Logger: quietLogger()})
	httpx.MountOps(app, reg, st.Ping)
	svc.Mount(app)
	return &env{t: t, app: app, store: st, trail: trail, svc: svc, clock: clk,
		T: t, App: app, Identity: svc.Identity, Clock: clk, Trail: trail}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
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
	resp, err := e.app.Test(req, 10000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// login returns the session of a demo user.
func (e *env) login(username string) identity.Session {
	e.t.Helper()
	r := e.do("POST", "/api/office/v1/auth/login", "", map[string]string{"username": username, "password": demoPassword})
	if r.Status != 200 {
		e.t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var s identity.Session
	_ = json.Unmarshal(r.Body, &s)
	return s
}

func (e *env) token(username string) string { return e.login(username).AccessToken }

func (e *env) userID(username string) string {
	u, _, err := e.svc.Identity.UserByUsername(context.Background(), username)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

func wantProblem(t *testing.T, r response, status int, code string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, want problem+json", ct)
	}
	m := r.JSON()
	if code != "" && m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, r.Body)
	}
	if m["detail"] == "" || m["messageEn"] == "" || m["requestId"] == "" {
		t.Fatalf("problem lacks detail/messageEn/requestId: %s", r.Body)
	}
	return m
}

// serve runs the app on a loopback port for the test and returns its URL.
func (e *env) serve() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	e.t.Cleanup(func() { _ = e.app.Shutdown() })
	return "http://" + ln.Addr().String()
}
