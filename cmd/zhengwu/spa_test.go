package main

import (
	"bufio"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"zhengwu/shared/httpx"
)

// spaServer serves the shared app with the SPA mounted on a loopback
// socket, as serve does.
func spaServer(t *testing.T) string {
	t.Helper()
	app := httpx.NewApp(httpx.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	mountSPA(app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return ln.Addr().String()
}

// raw sends one request line as written (no client cleans the path or
// checks the method) and reads the answer.
func raw(t *testing.T, addr, requestLine string) (*http.Response, map[string]any) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, requestLine+"\r\nHost: zhengwu.test\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s: %v", requestLine, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	return resp, m
}

// Paths outside the SPA's files and methods nobody serves are problems,
// never the SPA page or Fiber's text/plain.
func TestSPARefusalsAreProblems(t *testing.T) {
	addr := spaServer(t)
	for _, tc := range []struct {
		line   string
		status int
		code   string
	}{
		{"GET /assets/../.. HTTP/1.1", 400, "invalid_path"},
		{"GET /assets/../../etc/passwd HTTP/1.1", 400, "invalid_path"},
		{"GET /assets/%2e%2e/%2e%2e/ HTTP/1.1", 400, "invalid_path"},
		{"GET /./index.html HTTP/1.1", 400, "invalid_path"},
		{"GET /assets/no-such-file.js HTTP/1.1", 404, "not_found"},
		{"PROPFIND / HTTP/1.1", 405, "method_not_allowed"},
		{"MKCOL /api/office/v1/x HTTP/1.1", 405, "method_not_allowed"},
		{"BREW /pot HTTP/1.1", 405, "method_not_allowed"},
		{"POST /some/page HTTP/1.1", 404, "not_found"},
	} {
		resp, m := raw(t, addr, tc.line)
		if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") ||
			m["code"] != tc.code || m["messageZh"] == "" {
			t.Errorf("%s: %d %q %v, want %d %s problem", tc.line, resp.StatusCode, resp.Header.Get("Content-Type"), m, tc.status, tc.code)
		}
		if cc := resp.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("%s: a refusal is cached for a year: %s", tc.line, cc)
		}
	}
	// The SPA itself still answers its routes (history mode).
	for _, path := range []string{"/", "/portal/news/1", "/office/desktop"} {
		resp, _ := raw(t, addr, "GET "+path+" HTTP/1.1")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
