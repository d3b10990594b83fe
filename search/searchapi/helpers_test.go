package searchapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/search/searchapi"
	"zhengwu/search/searchapi/searchhttp"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/store"
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

func save(t testing.TB, st store.Store, it item) {
	t.Helper()
	if _, err := store.Save(context.Background(), st, source.PortalItems, it.ID, it, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
}

type env struct {
	t      testing.TB
	st     store.Store
	data   string
	svc    *searchapi.Service
	app    *fiber.App
	tokens *auth.Tokens
	deps   searchapi.Deps
}

// newEnv runs the search service over st with the portal's projection
// (reading attachments through media) and the given office projections.
func newEnv(t testing.TB, st store.Store, data string, office []source.Projection, media source.Media) *env {
	t.Helper()
	ks, err := auth.NewKeySet()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, data: data, tokens: auth.NewTokens(ks, nil)}
	projections := append([]source.Projection{source.PortalProjection(source.PortalDeps{Store: st, Media: media})}, office...)
	e.deps = searchapi.Deps{Store: st, DataDir: data, Projections: projections}
	e.start()
	return e
}

func (e *env) start() {
	e.t.Helper()
	svc, err := searchapi.New(e.deps)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		svc.Close()
		e.t.Fatal(err)
	}
	e.svc = svc
	e.app = httpx.NewApp(httpx.Options{})
	searchhttp.Mount(e.app, svc, e.tokens)
	e.t.Cleanup(func() { svc.Close() })
}

// sync waits until both indexes have applied the store's last write.
func (e *env) sync() {
	e.t.Helper()
	last, err := e.st.LastSeq(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc.Notify()
	for _, sc := range []string{"portal", "office"} {
		if err := e.svc.Index(sc).WaitFor(context.Background(), last, 10*time.Second); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *env) token(p auth.Principal) string {
	e.t.Helper()
	tok, _, err := e.tokens.Issue(p, "jti-"+p.UserID)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
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

// get calls the API and returns status and body.
func (e *env) get(path string, params url.Values, token string) (int, []byte, string) {
	e.t.Helper()
	req := httptest.NewRequest("GET", searchapi.Prefix+path+"?"+params.Encode(), nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.app.Test(req, 10000)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header.Get("Content-Type")
}

func (e *env) search(params url.Values, token string) searchResult {
	e.t.Helper()
	status, body, _ := e.get("/search", params, token)
	if status != 200 {
		e.t.Fatalf("search %v: %d %s", params, status, body)
	}
	var r searchResult
	if err := json.Unmarshal(body, &r); err != nil {
		e.t.Fatal(err)
	}
	return r
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func id(i int) string { return fmt.Sprintf("it-%05d", i) }
