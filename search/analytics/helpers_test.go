package analytics_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/search/analysis"
	"zhengwu/search/analytics"
	"zhengwu/search/analytics/analyticshttp"
	"zhengwu/search/searchapi"
	"zhengwu/search/searchapi/searchhttp"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// page is these tests' portal document: a title and a body, public.
type page struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

const pages = "test_pages"

var pageProjection = source.Projection{Index: source.PortalName, Collection: pages, Project: func(d store.Doc) (source.Doc, bool) {
	var p page
	if d.Decode(&p) != nil {
		return source.Doc{}, false
	}
	return source.Doc{Title: p.Title, Body: p.Body, Channel: "news", Type: "news", Path: "pages/" + d.ID,
		PublishedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Visibility: source.Public, Department: "bgt"}, true
}}

// env is a search service with its log and the analytics routes, on a
// real store and real indexes.
type env struct {
	*testkit.Env
	svc  *searchapi.Service
	log  *analytics.Log
	syn  *analytics.Synonyms
	app  *fiber.App
	ctx  context.Context
	edit string // a token of an editor holding both permissions
}

func newEnv(t testing.TB) *env {
	t.Helper()
	t.Cleanup(func() { analysis.SetLiveSynonyms(nil) }) // the holder is the process's
	e := &env{Env: testkit.New(t), ctx: context.Background()}
	svc, err := searchapi.New(searchapi.Deps{Store: e.Store, DataDir: e.Dir, Logger: e.Log,
		Projections: []source.Projection{pageProjection}, Scopes: []string{source.PortalName}})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(e.ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	e.svc = svc
	e.log = analytics.NewLog(e.Store, e.Log, e.Clock.Now)
	t.Cleanup(func() { e.log.Close() })
	e.syn = analytics.NewSynonyms(e.Store, e.Trail, e.Clock.Now, e.Log)
	routes := append(searchhttp.LoggedRoutes(svc, e.Tokens, analytics.Searches{Log: e.log}),
		analyticshttp.Routes(analyticshttp.Deps{Store: e.Store, Log: e.log, Synonyms: e.syn, Tokens: e.Tokens, Now: e.Clock.Now})...)
	e.app = httpx.NewApp(httpx.Options{Logger: e.Log})
	openapi.Mount(e.app.Group(searchapi.Prefix), routes)
	e.edit = e.Token(testkit.Principal("u-editor", classification.Feimi, []string{"xinxi"},
		testkit.Holds(auth.PermSearchAnalytics, "xinxi"), testkit.Holds(auth.PermSearchSynonyms, "xinxi")))
	return e
}

// save stores a page and waits until the index has it.
func (e *env) save(id string, p page) {
	e.T.Helper()
	d, err := store.Save(e.ctx, e.Store, pages, id, p, store.AnyVersion)
	if err != nil {
		e.T.Fatal(err)
	}
	e.svc.Notify()
	if err := e.svc.Index(source.PortalName).WaitFor(e.ctx, d.Seq, 10*time.Second); err != nil {
		e.T.Fatal(err)
	}
}

type result struct {
	Total uint64 `json:"total"`
	LogID string `json:"logId"`
}

func (e *env) search(q, token string, headers ...string) result {
	e.T.Helper()
	r := testkit.Send(e.T, e.app, testkit.Request{Method: "GET", Path: searchapi.Prefix + "/search?q=" + url.QueryEscape(q), Token: token, Headers: pairs(headers)})
	if r.Status != 200 {
		e.T.Fatalf("search %s: %d %s", q, r.Status, r.Body)
	}
	var res result
	r.Decode(e.T, &res)
	return res
}

func pairs(kv []string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func (e *env) flush() {
	e.T.Helper()
	if err := e.log.Flush(e.ctx); err != nil {
		e.T.Fatal(err)
	}
}

// stored are the raw documents of a collection, oldest first.
func (e *env) stored(collection string) []map[string]any {
	e.T.Helper()
	docs, err := e.Store.Scan(e.ctx, collection, "", 10000)
	if err != nil {
		e.T.Fatal(err)
	}
	out := make([]map[string]any, len(docs))
	for i, d := range docs {
		if err := json.Unmarshal(d.Data, &out[i]); err != nil {
			e.T.Fatal(err)
		}
	}
	return out
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
