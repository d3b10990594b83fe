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

// page is these tests' portal document. It is no capability's shape (the
// portal's items are cms's, projected into search there): just what the
// search API's rules act on, text, facets, a policy's number and
// validity, files, who may read it, and whether it is withdrawn or gone.
type page struct {
	Title       string        `json:"title"`
	Body        string        `json:"body,omitempty"`
	Channel     string        `json:"channel"`
	Type        string        `json:"type"`
	Issuer      string        `json:"issuer,omitempty"`
	DocNumber   string        `json:"docNumber,omitempty"`
	Validity    string        `json:"validity,omitempty"`
	Files       []source.File `json:"files,omitempty"`
	Internal    bool          `json:"internal,omitempty"` // signed-in readers only
	Status      string        `json:"status,omitempty"`   // "", "withdrawn" (found, marked) or "gone" (out of the index)
	PublishedAt time.Time     `json:"publishedAt"`
}

// pages is the collection of the tests' portal documents.
const pages = "test_pages"

// pageProjection indexes pages into the portal index, reading their
// files through media (nil: no attachment text).
func pageProjection(media source.Media) source.Projection {
	return source.Projection{Index: source.PortalName, Collection: pages, Project: func(d store.Doc) (source.Doc, bool) {
		var p page
		if d.Decode(&p) != nil || p.Status == "gone" {
			return source.Doc{}, false
		}
		sd := source.Doc{Title: p.Title, Body: p.Body, Channel: p.Channel, Type: p.Type, Issuer: p.Issuer,
			DocNumber: p.DocNumber, Validity: p.Validity, Path: "pages/" + d.ID, PublishedAt: p.PublishedAt,
			Visibility: source.Public, Department: "bgt"}
		if p.Internal {
			sd.Visibility = source.Internal
		}
		if p.Status == "withdrawn" {
			sd.Status = p.Status
		}
		// A minute per file: on a loaded machine under the race detector a
		// PDF takes seconds; the budgets have tests of their own.
		sd.Attachments = source.ReadAttachments(media, p.Files, source.Limits{Timeout: time.Minute}, nil).Files
		return sd, true
	}}
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func newPage(title, body string) page {
	return page{Title: title, Body: body, Channel: "news", Type: "news", PublishedAt: t0}
}

// save writes pages to the store by id.
func (e *env) save(id string, p page) int64 {
	e.T.Helper()
	d, err := store.Save(context.Background(), e.Store, pages, id, p, store.AnyVersion)
	if err != nil {
		e.T.Fatal(err)
	}
	return d.Seq
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

// open runs the search service with the pages' projection (reading
// their files through media) and the given office projections.
func (e *env) open(office []source.Projection, media source.Media) {
	e.T.Helper()
	projections := append([]source.Projection{pageProjection(media)}, office...)
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
		ID          string                      `json:"id"`
		Title       string                      `json:"title"`
		Type        string                      `json:"type"`
		Channel     string                      `json:"channel"`
		Path        string                      `json:"path"`
		PublishedAt string                      `json:"publishedAt"`
		DocNumber   string                      `json:"docNumber"`
		Validity    string                      `json:"validity"`
		Status      string                      `json:"status"`
		Highlights  map[string][]string         `json:"highlights"`
		Attachments []searchapi.AttachmentMatch `json:"attachments"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
	DidYouMean *searchapi.Correction `json:"didYouMean"`
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
