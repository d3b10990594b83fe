package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/cms"
	"zhengwu/shared/openapi/openapitest"
)

// newTestServer builds the application serve listens with, every target
// on, on a fresh data directory.
func newTestServer(t *testing.T) *server { return newTargetServer(t, "all") }

// Each API's description covers every route the server mounts under its
// base — the office API's identity, information platforms, desktop and the
// gateway's status (mounted by the gateway, not by officeapi); the
// portal's delivery, management and media routes; search's — and the
// documents themselves, and nothing else; their examples validate; the
// documents and docs pages are public and not swallowed by the SPA
// fallback mounted after them.
func TestEachAPIDescribesEveryRouteTheServerMounts(t *testing.T) {
	srv := newTestServer(t)
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
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			if len(srv.routes[a.name]) == 0 {
				t.Fatalf("no routes mounted under %s", a.base)
			}
			api := a.describe(srv.routes[a.name])
			openapitest.Check(t, api, srv.app)
			status, ct, body := get(a.base + "/openapi.json")
			var doc struct {
				OpenAPI string `json:"openapi"`
				Info    struct{ Title string }
			}
			if err := json.Unmarshal(body, &doc); err != nil || status != 200 || !strings.HasPrefix(ct, "application/json") ||
				doc.OpenAPI != "3.1.0" || doc.Info.Title != api.Title {
				t.Fatalf("openapi.json: %d %s %v %+v", status, ct, err, doc)
			}
			status, ct, body = get(a.base + "/docs")
			if status != 200 || !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(body), api.Title) {
				t.Fatalf("docs page: %d %s", status, ct)
			}
		})
	}
	if _, _, body := get("/api/office/v1/docs"); !strings.Contains(string(body), "/gateway/status") {
		t.Fatal("the office docs page lacks the gateway's status")
	}
	// The gateway's status needs a token, like the rest of the office API.
	if status, ct, _ := get("/api/office/v1/gateway/status"); status != 401 || !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("gateway status without a token: %d %s", status, ct)
	}
	// Anonymous reads answer as described.
	portal := cms.API(srv.routes["portal"])
	for _, path := range []string{"/channels", "/items"} {
		status, _, body := get(cms.Base + path)
		openapitest.Response(t, portal, "GET", path, status, body)
	}
	status, _, body := get(cms.Base + "/items?size=0")
	openapitest.Response(t, portal, "GET", "/items", status, body)
}

// zhengwu openapi writes the same documents every time (the SPA's types
// are generated from them, and make lint compares them byte for byte).
func TestOpenAPIDocumentsAreDeterministic(t *testing.T) {
	write := func() map[string]string {
		t.Helper()
		dir := t.TempDir()
		if err := openapiCommand(context.Background(), []string{dir}, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for name := range apiDocs {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			out[name] = string(data)
		}
		return out
	}
	first, second := write(), write()
	for name := range apiDocs {
		if first[name] != second[name] {
			t.Errorf("%s differs between two runs", name)
		}
	}
}
