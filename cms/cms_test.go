package cms_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

// newPortal is the CMS on a fresh test environment, its routes mounted on
// an app as serve mounts them (upload limits included). Its feeds run once
// the test starts it (a test may seed first).
func newPortal(t *testing.T) (*cms.Service, *fiber.App, *testkit.Env) {
	t.Helper()
	k := testkit.New(t)
	svc, err := cms.New(t.Context(), cms.Deps{Store: k.Store, Trail: k.Trail, Tokens: k.Tokens, DataDir: k.Dir,
		Logger: k.Log, UploadLimit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	app := httpx.NewApp(httpx.Options{Logger: k.Log, Registry: prometheus.NewRegistry(), UploadLimit: 2 << 20,
		UploadPaths: cms.UploadPaths})
	svc.Mount(app)
	return svc, app, k
}

// Every route mounted under /api/portal/v1 is described in the OpenAPI
// document, and every described operation is mounted; the examples
// validate against the schemas reflected from the same types.
func TestEveryRouteIsDescribed(t *testing.T) {
	svc, app, _ := newPortal(t)
	openapitest.Check(t, cms.API(svc.Routes()), app)
}

func TestDemoContentIsPublishedAndIdempotent(t *testing.T) {
	svc, app, _ := newPortal(t)
	ctx := context.Background()
	n, err := svc.SeedDemo(ctx)
	if err != nil || n < 300 {
		t.Fatalf("seeded %d items (%v), want a few hundred", n, err)
	}
	if n2, err := svc.SeedDemo(ctx); err != nil || n2 != 0 {
		t.Fatalf("second seeding added %d (%v)", n2, err)
	}
	startCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := svc.Start(startCtx); err != nil {
		t.Fatal(err)
	}
	for channel, min := range map[string]int{"news": 150, "files": 100, "leaders": 60} {
		resp, err := app.Test(httptest.NewRequest("GET", "/api/portal/v1/items?size=1&channel="+channel, nil), 10000)
		if err != nil {
			t.Fatal(err)
		}
		var list struct {
			Items []map[string]any
			Total int
		}
		_ = json.NewDecoder(resp.Body).Decode(&list)
		if list.Total < min || len(list.Items) != 1 {
			t.Errorf("channel %s: total %d, want ≥ %d", channel, list.Total, min)
		}
		if at, _ := time.Parse(time.RFC3339, list.Items[0]["publishedAt"].(string)); time.Since(at) > 72*time.Hour {
			t.Errorf("newest %s item is from %v: demo dates are wrong", channel, at)
		}
	}
	// Research material is internal: anonymous readers see none of it.
	resp, _ := app.Test(httptest.NewRequest("GET", "/api/portal/v1/items?channel=library", nil), 10000)
	body, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(body), "调查与思考") {
		t.Fatalf("internal reports listed to an anonymous reader: %s", body[:200])
	}
}
