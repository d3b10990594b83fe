package delivery_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms/channel"
	"zhengwu/cms/delivery"
	"zhengwu/cms/delivery/deliveryhttp"
	"zhengwu/cms/item"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// env is one test's delivery API on a testkit environment: a real SQLite
// store, a real Bleve index in the test's directory, the full shared
// middleware.
type env struct {
	*testkit.Env
	svc *delivery.Service
	app *fiber.App
}

type response = testkit.Response

// t0 is where the test clock stands; items' dates count from it (in UTC,
// as HTTP dates are written).
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	k := testkit.New(t)
	k.Clock.Set(t0)
	tree, err := channel.Seed(context.Background(), k.Store)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := delivery.New(delivery.Deps{Store: k.Store, Channels: tree,
		IndexDir: filepath.Join(k.Dir, "portal_items"), Now: k.Clock.Now, Logger: k.Log,
		ConsistentWithTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	reg := prometheus.NewRegistry()
	for _, c := range svc.Collectors() {
		reg.MustRegister(c)
	}
	app := httpx.NewApp(httpx.Options{Registry: reg, Logger: k.Log})
	openapi.Mount(app.Group("/api/portal/v1"), deliveryhttp.Routes(svc, k.Tokens))
	return &env{Env: k, svc: svc, app: app}
}

// put writes items as cms/content would and returns the last feed seq.
func (e *env) put(items ...item.Item) int64 {
	e.T.Helper()
	var seq int64
	for _, it := range items {
		d, err := store.Save(context.Background(), e.Store, item.Collection, it.ID, it, store.AnyVersion)
		if err != nil {
			e.T.Fatal(err)
		}
		seq = d.Seq
	}
	return seq
}

// publish writes items and brings the index up to date.
func (e *env) publish(items ...item.Item) {
	e.T.Helper()
	e.put(items...)
	if err := e.svc.CatchUp(context.Background()); err != nil {
		e.T.Fatal(err)
	}
}

// token is a signed-in staff member's.
func (e *env) token() string {
	return e.Token(testkit.Principal("u1", classification.Feimi, nil))
}

func (e *env) get(path string, headers ...string) response {
	e.T.Helper()
	return testkit.Get(e.T, e.app, path, headers...)
}

// list decodes a list response.
type listBody struct {
	Items []map[string]any `json:"items"`
	Total int              `json:"total"`
	Next  string           `json:"next"`
}

func (e *env) list(query string, headers ...string) listBody {
	e.T.Helper()
	r := e.get("/api/portal/v1/items?"+query, headers...)
	if r.Status != 200 {
		e.T.Fatalf("list %s: %d %s", query, r.Status, r.Body)
	}
	var b listBody
	r.Decode(e.T, &b)
	return b
}

func ids(b listBody) []string {
	out := make([]string, len(b.Items))
	for i, it := range b.Items {
		out[i], _ = it["id"].(string)
	}
	return out
}

func article(id, ch, title string, published time.Time) item.Item {
	return item.Item{ID: id, Type: channel.TypeArticle, Channel: ch, Department: "xinxi", Path: ch + "/" + id,
		Visibility: channel.Public, Title: title, Summary: title + "的摘要", Body: "<p>" + title + "</p>",
		BodyText: title, Status: item.StatusPublished, Edition: 1, PublishedAt: published, UpdatedAt: published}
}

func policy(id, ch, title, docNumber, genre, validity string, issuers []string, published time.Time) item.Item {
	it := article(id, ch, title, published)
	it.Type = channel.TypePolicy
	it.Department = "zonghe"
	it.Policy = &item.Policy{DocNumber: docNumber, Issuers: issuers, Genre: genre, WrittenAt: published.AddDate(0, 0, -3), Validity: validity}
	return it
}
