package httpx_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/shared/httpx"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

func newApp(t *testing.T, opt httpx.Options) *fiber.App {
	opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if opt.Registry == nil {
		opt.Registry = prometheus.NewRegistry()
	}
	app := httpx.NewApp(opt)
	st := storetest.NewSQLite(t)
	httpx.MountOps(app, st.Ping)
	app.Get("/panic", func(c *fiber.Ctx) error { panic("secret detail: password=hunter2") })
	app.Get("/conflict", func(c *fiber.Ctx) error { return store.ErrConflict })
	app.Get("/boom", func(c *fiber.Ctx) error { return errors.New("db exploded at /var/lib/secret") })
	app.Get("/page", func(c *fiber.Ctx) error {
		p, err := httpx.ParsePage(c, 20, 100)
		if err != nil {
			return err
		}
		return c.JSON(p)
	})
	return app
}

func get(t *testing.T, app *fiber.App, path string, headers ...string) (int, map[string]any, string, map[string][]string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := app.Test(req, 5000)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	return resp.StatusCode, m, string(body), resp.Header
}

func TestPanicBecomesInternalProblemWithoutDetails(t *testing.T) {
	app := newApp(t, httpx.Options{})
	for _, path := range []string{"/panic", "/boom"} {
		status, m, body, h := get(t, app, path)
		if status != 500 || m["code"] != "internal" || m["detail"] != "内部错误" || m["requestId"] == "" {
			t.Fatalf("%s: %d %s", path, status, body)
		}
		if strings.Contains(body, "hunter2") || strings.Contains(body, "/var/lib") {
			t.Fatalf("%s leaks details: %s", path, body)
		}
		if !strings.HasPrefix(h["Content-Type"][0], "application/problem+json") {
			t.Fatalf("content type %v", h["Content-Type"])
		}
	}
	// The process survived the panic.
	if status, _, _, _ := get(t, app, "/healthz"); status != 200 {
		t.Fatal("healthz after panic")
	}
}

func TestStoreErrorsMapToStatuses(t *testing.T) {
	app := newApp(t, httpx.Options{})
	if status, m, _, _ := get(t, app, "/conflict"); status != 409 || m["code"] != "conflict" {
		t.Fatalf("conflict: %d %v", status, m)
	}
	if status, m, _, _ := get(t, app, "/no/such/route"); status != 404 || m["code"] != "not_found" {
		t.Fatalf("404: %d %v", status, m)
	}
}

func TestSecurityHeaders(t *testing.T) {
	_, _, _, h := get(t, newApp(t, httpx.Options{}), "/healthz")
	for k, want := range map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "SAMEORIGIN",
		"Content-Security-Policy": "default-src 'self'",
		"Referrer-Policy":         "same-origin",
	} {
		if got := strings.Join(h[k], ","); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if csp := strings.Join(h["Content-Security-Policy"], ","); !strings.Contains(csp, "frame-src blob:;") {
		t.Errorf("CSP %q: frames should show the SPA's own blob: PDFs (the live preview) and nothing else", csp)
	}
	if len(h["X-Request-Id"]) == 0 {
		t.Error("no X-Request-Id")
	}
	if _, _, _, h := get(t, newApp(t, httpx.Options{}), "/api/anything"); !strings.Contains(strings.Join(h["Vary"], ","), "Authorization") {
		t.Errorf("API answers lack Vary: Authorization: %v", h["Vary"])
	}
}

func TestCORS(t *testing.T) {
	app := newApp(t, httpx.Options{CORSOrigins: []string{"https://portal.gov.cn"}})
	_, _, _, h := get(t, app, "/healthz", "Origin", "https://portal.gov.cn")
	if strings.Join(h["Access-Control-Allow-Origin"], "") != "https://portal.gov.cn" {
		t.Fatalf("allowed origin: %v", h)
	}
	_, _, _, h = get(t, app, "/healthz", "Origin", "https://evil.example")
	if len(h["Access-Control-Allow-Origin"]) != 0 {
		t.Fatalf("foreign origin allowed: %v", h["Access-Control-Allow-Origin"])
	}
	// Without configured origins, no CORS headers at all.
	_, _, _, h = get(t, newApp(t, httpx.Options{}), "/healthz", "Origin", "https://portal.gov.cn")
	if len(h["Access-Control-Allow-Origin"]) != 0 {
		t.Fatal("CORS on by default")
	}
}

func TestRateLimit(t *testing.T) {
	app := newApp(t, httpx.Options{RateLimit: 3})
	var last int
	var m map[string]any
	for i := 0; i < 4; i++ {
		last, m, _, _ = get(t, app, "/page")
	}
	if last != 429 || m["code"] != "rate_limited" {
		t.Fatalf("4th request: %d %v", last, m)
	}
	// Probes are never limited.
	if status, _, _, _ := get(t, app, "/healthz"); status != 200 {
		t.Fatal("healthz limited")
	}
}

func TestPageParsing(t *testing.T) {
	app := newApp(t, httpx.Options{})
	if _, m, _, _ := get(t, app, "/page?page=3&size=50"); m["page"] != 3.0 || m["size"] != 50.0 {
		t.Fatalf("page: %v", m)
	}
	if _, m, _, _ := get(t, app, "/page"); m["page"] != 1.0 || m["size"] != 20.0 {
		t.Fatalf("defaults: %v", m)
	}
	for _, q := range []string{"page=0", "page=x", "size=101", "size=-1", "size=1e3"} {
		status, m, _, _ := get(t, app, "/page?"+q)
		errs, _ := m["errors"].([]any)
		if status != 400 || len(errs) != 1 {
			t.Fatalf("%s: %d %v", q, status, m)
		}
	}
}

func TestReadyAndMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	app := httpx.NewApp(httpx.Options{Registry: reg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	st := storetest.NewSQLite(t)
	httpx.MountOps(app, st.Ping)
	if status, _, _, _ := get(t, app, "/readyz"); status != 200 {
		t.Fatal("readyz with an open store")
	}
	_ = st.Close()
	if status, m, _, _ := get(t, app, "/readyz"); status != 503 || m["code"] != "unavailable" {
		t.Fatalf("readyz with a closed store: %d %v", status, m)
	}
	// The public app does not serve the metrics ...
	if status, m, _, _ := get(t, app, "/metrics"); status != 404 || m["code"] != "not_found" {
		t.Fatalf("/metrics on the public address: %d %v", status, m)
	}
	// ... the metrics server does, on its own listener.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms := httpx.NewMetricsServer(reg, false)
	go func() { _ = ms.Serve(ln) }()
	t.Cleanup(func() { _ = ms.Shutdown(context.Background()) })
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	body := string(data)
	for _, want := range []string{
		`zhengwu_http_requests_total{method="GET",route="/readyz",status="503"} 1`,
		`status="404"} 1`, // the /metrics request the public app refused
		"go_goroutines ", "process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
	if resp, err := http.Get("http://" + ln.Addr().String() + "/api/office/v1/me"); err != nil || resp.StatusCode != 404 {
		t.Errorf("the metrics server serves more than /metrics: %v %v", resp.StatusCode, err)
	}
}

// bindApp has a JSON route that binds and validates its body.
func bindApp(t *testing.T) *fiber.App {
	app := newApp(t, httpx.Options{})
	app.Post("/bind", func(c *fiber.Ctx) error {
		var in struct {
			Name string `json:"name" validate:"required,max=4"`
			N    int    `json:"n"`
		}
		if err := httpx.Bind(c, &in); err != nil {
			return err
		}
		return c.JSON(in)
	})
	return app
}

func post(t *testing.T, app *fiber.App, path, contentType, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := app.Test(req, 5000)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestBind(t *testing.T) {
	app := bindApp(t)
	cases := map[string]string{
		`{"name":"甲乙丙丁戊"}`:        "name",
		`{"name":"a","n":"1"}`:    "n",
		`{"name":"a","x":1}`:      "x",
		`{"name":"a"`:             "body",
		"{\"name\":\"\xc3\x28\"}": "body",
		`{"name":"a"} x`:          "body",
		`   `:                     "body",
		`{}`:                      "name",
	}
	for body, field := range cases {
		status, m := post(t, app, "/bind", "application/json", body)
		errs, _ := m["errors"].([]any)
		if status != 400 || len(errs) == 0 || errs[0].(map[string]any)["field"] != field {
			t.Errorf("%q: %d %v, want 400 on %q", body, status, m, field)
		}
	}
	if status, m := post(t, app, "/bind", "application/json; charset=UTF-8", `{"name":"甲"}`); status != 200 || m["name"] != "甲" {
		t.Errorf("valid body: %d %v", status, m)
	}
}

// A JSON route takes JSON only: a login posted as text/plain or as a form
// (what a cross-site form or fetch can send without a preflight) is 415.
func TestBindRefusesOtherContentTypes(t *testing.T) {
	app := bindApp(t)
	for _, ct := range []string{"", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x", "application/json; charset=gbk", "application/jsonx", "application/json; v=2",
		"application/problem+json", "text/json"} {
		status, m := post(t, app, "/bind", ct, `{"name":"a"}`)
		if status != 415 || m["code"] != "unsupported_media_type" || m["messageZh"] == "" {
			t.Errorf("Content-Type %q: %d %v, want 415 unsupported_media_type", ct, status, m)
		}
	}
	// A compressed body is refused before anything inflates it.
	req := httptest.NewRequest("POST", "/bind", strings.NewReader("\x1f\x8b..."))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	if resp, err := app.Test(req, 5000); err != nil || resp.StatusCode != 415 {
		t.Errorf("gzip body: %v %v", resp.StatusCode, err)
	}
}
