package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Response is what a request through Do answered.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as an object (nil when it is not one).
func (r Response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Decode decodes the body into v, failing the test when it does not fit.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Request is one request to send with Send; Do covers the common case.
type Request struct {
	Method, Path string
	Token        string // bearer token; "" = anonymous
	// Body: nil, a string or []byte sent as is, or any other value sent
	// as its JSON; with a body, Content-Type is application/json unless
	// Headers say otherwise.
	Body any
	// Headers are set on the request; an empty value removes the header.
	Headers map[string]string
}

// Do sends a request to app and returns the answer: a JSON body is sent
// with Content-Type application/json.
func Do(t testing.TB, app *fiber.App, method, path, token string, body any) Response {
	t.Helper()
	return Send(t, app, Request{Method: method, Path: path, Token: token, Body: body})
}

// Get sends a GET to app with headers given as name, value pairs.
func Get(t testing.TB, app *fiber.App, path string, headers ...string) Response {
	t.Helper()
	r := Request{Method: "GET", Path: path, Headers: map[string]string{}}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Headers[headers[i]] = headers[i+1]
	}
	return Send(t, app, r)
}

// Send sends r to app.
func Send(t testing.TB, app *fiber.App, r Request) Response {
	t.Helper()
	var rd io.Reader
	switch b := r.Body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(r.Method, r.Path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// WantProblem checks that r is an RFC 9457 problem with status and (when
// not "") code, with the messages and request id every problem carries,
// and returns its members.
func WantProblem(t testing.TB, r Response, status int, code string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, want problem+json: %s", ct, r.Body)
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

// ProblemFields are the names of the invalid fields a problem lists.
func ProblemFields(m map[string]any) []string {
	var out []string
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		if f, ok := e.(map[string]any)["field"].(string); ok {
			out = append(out, f)
		}
	}
	return out
}

// Serve runs app on a loopback port until the test ends and returns its
// base URL, for tests that need a real HTTP client (streams, SSE).
func Serve(t testing.TB, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	// Shutdown waits for open connections, and a client's idle keep-alive
	// connection never closes by itself: bound the wait.
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}
