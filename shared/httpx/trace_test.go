package httpx_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"zhengwu/shared/httpx"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/store/traced"
	"zhengwu/shared/tracing"
	"zhengwu/shared/tracing/tracingtest"
)

// tracedApp is an app whose one route reads and writes a real (SQLite)
// store wrapped with spans, the way serve wires them.
func tracedApp(t *testing.T) *fiber.App {
	st := traced.Wrap(storetest.NewSQLite(t))
	app := newApp(t, httpx.Options{})
	app.Get("/api/things/:id", func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		if _, err := st.Put(ctx, "things", c.Params("id"), []byte(`{"secret":"机密正文"}`), store.AnyVersion); err != nil {
			return err
		}
		if _, err := st.Get(ctx, "things", c.Params("id")); err != nil {
			return err
		}
		return c.SendString("ok")
	})
	app.Get("/api/boom", func(c *fiber.Ctx) error { panic("boom") })
	return app
}

// A request is a server span named after its route pattern, with the
// status and the request id; the store calls its handler makes are spans
// under it carrying the collection and the same request id, and nothing
// of the document.
func TestRequestSpanWithStoreChildren(t *testing.T) {
	rec := tracingtest.Record(t)
	app := tracedApp(t)
	resp, err := app.Test(httptest.NewRequest("GET", "/api/things/a1?q=personal", nil), -1)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %v %v", resp, err)
	}
	reqID := resp.Header.Get("X-Request-Id")
	servers := rec.Named("GET /api/things/:id")
	if len(servers) != 1 {
		t.Fatalf("%d server spans named by the route pattern; ended: %v", len(servers), spanNames(rec.Ended()))
	}
	srv := servers[0]
	if srv.SpanKind() != trace.SpanKindServer || tracingtest.Attr(srv, "http.response.status_code") != "200" ||
		tracingtest.Attr(srv, "http.route") != "/api/things/:id" {
		t.Fatalf("server span: kind %v, attrs %v", srv.SpanKind(), srv.Attributes())
	}
	if reqID == "" || tracingtest.Attr(srv, string(tracing.RequestIDKey)) != reqID {
		t.Fatalf("server span request id %q, answer's %q", tracingtest.Attr(srv, string(tracing.RequestIDKey)), reqID)
	}
	kids := rec.Children(srv)
	if len(kids) != 2 || kids[0].Name() != "store.put" || kids[1].Name() != "store.get" {
		t.Fatalf("children %v, want store.put, store.get", spanNames(kids))
	}
	for _, k := range kids {
		if tracingtest.Attr(k, string(tracing.CollectionKey)) != "things" || tracingtest.Attr(k, string(tracing.RequestIDKey)) != reqID {
			t.Fatalf("%s: attrs %v", k.Name(), k.Attributes())
		}
		for _, kv := range k.Attributes() {
			if v := kv.Value.Emit(); v == "a1" || v == `{"secret":"机密正文"}` {
				t.Fatalf("%s carries the document's id or contents: %s=%s", k.Name(), kv.Key, v)
			}
		}
	}
	for _, s := range rec.Ended() {
		for _, kv := range s.Attributes() {
			if v := kv.Value.Emit(); len(v) >= 8 && (strings.Contains(v, "personal") || strings.Contains(v, "q=")) {
				t.Fatalf("%s carries the query string: %s=%s", s.Name(), kv.Key, v)
			}
		}
	}
}

// A traceparent from the caller makes the request's span its child.
func TestIncomingTraceparentHonoured(t *testing.T) {
	rec := tracingtest.Record(t)
	app := tracedApp(t)
	req := httptest.NewRequest("GET", "/api/things/b2", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if resp, err := app.Test(req, -1); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %v %v", resp, err)
	}
	srv := rec.Named("GET /api/things/:id")
	if len(srv) != 1 || srv[0].SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" ||
		srv[0].Parent().SpanID().String() != "00f067aa0ba902b7" || !srv[0].Parent().IsRemote() {
		t.Fatalf("server span not under the caller's: %+v", srv)
	}
}

// A panic's 500 is on the span as an error; an unmatched path is not
// named after some middleware's prefix.
func TestErrorAndUnmatchedSpans(t *testing.T) {
	rec := tracingtest.Record(t)
	app := tracedApp(t)
	for path, want := range map[string]int{"/api/boom": 500, "/api/nowhere/x": 404} {
		if resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1); err != nil || resp.StatusCode != want {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
	}
	boom := rec.Named("GET /api/boom")
	if len(boom) != 1 || boom[0].Status().Code != codes.Error || tracingtest.Attr(boom[0], "http.response.status_code") != "500" {
		t.Fatalf("panic span: %v", spanNames(rec.Ended()))
	}
	lost := rec.Named("GET")
	if len(lost) != 1 || tracingtest.Attr(lost[0], "http.response.status_code") != "404" {
		t.Fatalf("unmatched: %v", spanNames(rec.Ended()))
	}
}

// Off (the default): the same requests make no span at all.
func TestTracingOffMakesNoSpans(t *testing.T) {
	rec := tracingtest.Record(t)
	app := tracedApp(t)
	rec.Stop() // tracing off, as serve runs without --otlp-endpoint
	if resp, err := app.Test(httptest.NewRequest("GET", "/api/things/c3", nil), -1); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %v %v", resp, err)
	}
	if n := len(rec.Ended()); n != 0 {
		t.Fatalf("%d spans with tracing off: %v", n, spanNames(rec.Ended()))
	}
}

func spanNames(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name()
	}
	return out
}
