package delivery_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms/channel"
	"zhengwu/cms/delivery"
	"zhengwu/cms/delivery/deliveryhttp"
	"zhengwu/cms/item"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/store/storetest"
)

// clock is a controllable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// env is one test's delivery API: a real SQLite store, a real Bleve index
// in a temporary directory, the full shared middleware.
type env struct {
	t      *testing.T
	store  *sqlitestore.Store
	svc    *delivery.Service
	app    *fiber.App
	tokens *auth.Tokens
	clock  *clock
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	tree, err := channel.Seed(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.NewKeySet()
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: t0}
	tokens := auth.NewTokens(keys, clk.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := delivery.New(delivery.Deps{Store: st, Channels: tree,
		IndexDir: filepath.Join(t.TempDir(), "portal_items"), Now: clk.Now, Logger: log,
		ConsistentWithTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	reg := prometheus.NewRegistry()
	for _, c := range svc.Collectors() {
		reg.MustRegister(c)
	}
	app := httpx.NewApp(httpx.Options{Registry: reg, Logger: log})
	openapi.Mount(app.Group("/api/portal/v1"), deliveryhttp.Routes(svc, tokens))
	return &env{t: t, store: st, svc: svc, app: app, tokens: tokens, clock: clk}
}

// put writes items as cms/content would and returns the last feed seq.
func (e *env) put(items ...item.Item) int64 {
	e.t.Helper()
	var seq int64
	for _, it := range items {
		d, err := store.Save(context.Background(), e.store, item.Collection, it.ID, it, store.AnyVersion)
		if err != nil {
			e.t.Fatal(err)
		}
		seq = d.Seq
	}
	return seq
}

// publish writes items and brings the index up to date.
func (e *env) publish(items ...item.Item) {
	e.t.Helper()
	e.put(items...)
	if err := e.svc.CatchUp(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) token() string {
	e.t.Helper()
	tok, _, err := e.tokens.Issue(auth.Principal{UserID: "u1", Username: "staff", Name: "张三", Clearance: classification.Feimi}, "t1")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

func (e *env) get(path string, headers ...string) response {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.app.Test(req, 10000)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// list decodes a list response.
type listBody struct {
	Items []map[string]any `json:"items"`
	Total int              `json:"total"`
	Next  string           `json:"next"`
}

func (e *env) list(query string, headers ...string) listBody {
	e.t.Helper()
	r := e.get("/api/portal/v1/items?"+query, headers...)
	if r.Status != 200 {
		e.t.Fatalf("list %s: %d %s", query, r.Status, r.Body)
	}
	var b listBody
	if err := json.Unmarshal(r.Body, &b); err != nil {
		e.t.Fatal(err)
	}
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
