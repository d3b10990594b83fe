package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/shared/config"
	"zhengwu/shared/openapi/openapitest"
)

// newTestServer builds the application serve listens with, every target
// on, on a fresh data directory.
func newTestServer(t *testing.T) *server {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Parse([]string{"--data", t.TempDir(), "--log-level", "error"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := openRuntime(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(ctx, cfg, rt)
	if err != nil {
		rt.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		rt.Close()
	})
	return srv
}

// The office API's description covers every route the server mounts under
// /api/office/v1 — identity, the information platforms, the gateway's
// status (mounted by the gateway, not by officeapi) and the document
// itself — and nothing else; its examples validate.
func TestOfficeAPIDescribesEveryRouteTheServerMounts(t *testing.T) {
	srv := newTestServer(t)
	openapitest.Check(t, officeapi.API(srv.officeRoutes), srv.app)

	// Public, and not swallowed by the SPA fallback mounted after it.
	get := func(path string) (int, string, []byte) {
		t.Helper()
		res, err := srv.app.Test(httptest.NewRequest("GET", path, nil), 10000)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), body
	}
	status, ct, body := get("/api/office/v1/openapi.json")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title string }
	}
	if err := json.Unmarshal(body, &doc); err != nil || status != 200 || !strings.HasPrefix(ct, "application/json") ||
		doc.OpenAPI != "3.1.0" || !strings.Contains(doc.Info.Title, "Office") {
		t.Fatalf("openapi.json: %d %s %v %+v", status, ct, err, doc)
	}
	status, ct, body = get("/api/office/v1/docs")
	if status != 200 || !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(body), "/gateway/status") ||
		!strings.Contains(string(body), "办公业务系统") {
		t.Fatalf("docs page: %d %s", status, ct)
	}
	// The gateway's status needs a token, like the rest of the API.
	if status, ct, _ := get("/api/office/v1/gateway/status"); status != 401 || !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("gateway status without a token: %d %s", status, ct)
	}
}
