package searchapi_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/search/searchapi"
	"zhengwu/search/searchapi/searchhttp"
	"zhengwu/search/source"
	"zhengwu/shared/httpx"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// item is the JSON shape of cms/item.Item (the contract of portal_items);
// search may not import cms.
type item struct {
	ID          string       `json:"id"`
	Type        string       `json:"type"`
	Channel     string       `json:"channel"`
	Department  string       `json:"department"`
	Path        string       `json:"path"`
	Visibility  string       `json:"visibility"`
	Title       string       `json:"title"`
	Summary     string       `json:"summary,omitempty"`
	Body        string       `json:"body,omitempty"`
	BodyText    string       `json:"bodyText,omitempty"`
	Policy      *policy      `json:"policy,omitempty"`
	Attachments []attachment `json:"attachments,omitempty"`
	Status      string       `json:"status"`
	Edition     int          `json:"edition"`
	PublishedAt time.Time    `json:"publishedAt"`
	UpdatedAt   time.Time    `json:"updatedAt"`
}

type policy struct {
	DocNumber string   `json:"docNumber"`
	Issuers   []string `json:"issuers"`
	Genre     string   `json:"genre"`
	Validity  string   `json:"validity"`
}

type attachment struct {
	MediaID string `json:"mediaId"`
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Type    string `json:"type"`
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func newItem(id, title, body string) item {
	return item{ID: id, Type: "news", Channel: "news", Department: "bgt", Path: "news/" + id,
		Visibility: "public", Title: title, BodyText: body, Status: "published", Edition: 1,
		PublishedAt: t0, UpdatedAt: t0}
}

// save writes items to the store as cms/content would.
func (e *env) save(items ...item) {
	e.T.Helper()
	for _, it := range items {
		if _, err := store.Save(context.Background(), e.Store, source.PortalItems, it.ID, it, store.AnyVersion); err != nil {
			e.T.Fatal(err)
		}
	}
}

// env is one test's search service on a testkit environment: newEnv
// makes the environment, the test fills its store, open starts the
// service over it (its indexes under the environment's directory).
type env struct {
	*testkit.Env
	svc  *searchapi.Service
	app  *fiber.App
	deps searchapi.Deps
}

func newEnv(t testing.TB) *env { return &env{Env: testkit.New(t)} }

// open runs the search service with the portal's projection (reading
// attachments through media) and the given office projections.
func (e *env) open(office []source.Projection, media source.Media) {
	e.T.Helper()
	projections := append([]source.Projection{source.PortalProjection(source.PortalDeps{Store: e.Store, Media: media})}, office...)
	e.deps = searchapi.Deps{Store: e.Store, DataDir: e.Dir, Projections: projections}
	e.start()
}

// start starts the service on e.deps (again, after svc.Close: a restart).
func (e *env) start() {
	e.T.Helper()
	svc, err := searchapi.New(e.deps)
	if err != nil {
		e.T.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		svc.Close()
		e.T.Fatal(err)
	}
	e.svc = svc
	e.app = httpx.NewApp(httpx.Options{Logger: e.Log})
	searchhttp.Mount(e.app, svc, e.Tokens)
	e.T.Cleanup(func() { svc.Close() })
}

// sync waits until both indexes have applied the store's last write.
func (e *env) sync() {
	e.T.Helper()
	last, err := e.Store.LastSeq(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	e.svc.Notify()
	for _, sc := range []string{"portal", "office"} {
		if err := e.svc.Index(sc).WaitFor(context.Background(), last, 10*time.Second); err != nil {
			e.T.Fatal(err)
		}
	}
}

type searchResult struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID          string              `json:"id"`
		Title       string              `json:"title"`
		Type        string              `json:"type"`
		Channel     string              `json:"channel"`
		Path        string              `json:"path"`
		PublishedAt string              `json:"publishedAt"`
		DocNumber   string              `json:"docNumber"`
		Validity    string              `json:"validity"`
		Status      string              `json:"status"`
		Highlights  map[string][]string `json:"highlights"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func (r searchResult) ids() []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

func (r searchResult) facet(name, value string) int {
	for _, v := range r.Facets[name] {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

// get calls the API and returns status, body and content type.
func (e *env) get(path string, params url.Values, token string) (int, []byte, string) {
	e.T.Helper()
	r := testkit.Do(e.T, e.app, "GET", searchapi.Prefix+path+"?"+params.Encode(), token, nil)
	return r.Status, r.Body, r.Header.Get("Content-Type")
}

func (e *env) search(params url.Values, token string) searchResult {
	e.T.Helper()
	r := testkit.Do(e.T, e.app, "GET", searchapi.Prefix+"/search?"+params.Encode(), token, nil)
	if r.Status != 200 {
		e.T.Fatalf("search %v: %d %s", params, r.Status, r.Body)
	}
	var res searchResult
	r.Decode(e.T, &res)
	return res
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func id(i int) string { return fmt.Sprintf("it-%05d", i) }
