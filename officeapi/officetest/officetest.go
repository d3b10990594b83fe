// Package officetest gives office API tests the office as the server
// builds it: the demo organisation and accounts on a test store, the
// capabilities' routes mounted on one app, their indexes fed. A new
// capability's tests start from New and add their own service with Mount.
package officetest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/officeapi"
	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/desktop/desktophttp"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/identity/identityhttp"
	"zhengwu/officeapi/info"
	"zhengwu/officeapi/info/infohttp"
	"zhengwu/officeapi/records"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/testkit"
)

// Password is every demo account's password in tests.
const Password = "Demo-Pass-2026"

// Env is one test's office.
type Env struct {
	*testkit.Env
	App      *fiber.App
	Identity *identity.Service
	Info     *info.Service
	Desktop  *desktop.Service
	// Hub streams the desktops' live events (GET /desktop/events).
	Hub *desktop.Hub
	// Routes are every route mounted under the office API's base, for
	// the description (API).
	Routes []openapi.Route

	tokens    map[string]string
	sources   []desktop.Source
	sourcesMu sync.Mutex
	// LastSeq is the highest feed sequence a write through Do returned,
	// to pass as ?consistentWith.
	LastSeq int64
}

// Options change what New builds.
type Options struct {
	// Media describes stored files for info attachments (nil: none).
	Media func(ctx context.Context, id string) (info.Attachment, bool, error)
	// BodyLimit of the app (default 1 MiB).
	BodyLimit int
}

// New builds the office on a fresh test environment and starts it.
func New(t testing.TB) *Env { return NewWith(t, Options{}) }

// NewWith is New with options.
func NewWith(t testing.TB, opt Options) *Env {
	t.Helper()
	return open(t, testkit.New(t), opt)
}

// Restart is a new process over the same store and clock.
func (e *Env) Restart() *Env {
	e.T.Helper()
	return open(e.T, e.Env.Restart(), Options{})
}

func open(t testing.TB, k *testkit.Env, opt Options) *Env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ids := identity.New(k.Store, k.Trail, k.Tokens, identity.DefaultPolicy, k.Clock.Now)
	if _, err := demo.Seed(ctx, ids, Password); err != nil {
		t.Fatal(err)
	}
	inf, err := info.New(info.Deps{Deps: records.Deps{Store: k.Store, Trail: k.Trail, Now: k.Clock.Now, Log: k.Log,
		IndexDir: filepath.Join(t.TempDir(), "office-info")}, Media: opt.Media,
		Department: ids.DepartmentExists})
	if err != nil {
		t.Fatal(err)
	}
	if err := inf.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := inf.Close(); err != nil {
			t.Error(err)
		}
	})
	k.Store.Subscribe(inf.Notify)
	desk := desktop.New(inf)
	app := httpx.NewApp(httpx.Options{BodyLimit: cmp.Or(opt.BodyLimit, 1<<20), Registry: prometheus.NewRegistry(), Logger: k.Log})
	httpx.MountOps(app, k.Store.Ping)
	routes := identityhttp.Routes(ids, k.Tokens, k.Trail)
	routes = append(routes, infohttp.Routes(inf, k.Tokens)...)
	env := &Env{Env: k, App: app, Identity: ids, Info: inf, Desktop: desk, tokens: map[string]string{},
		sources: []desktop.Source{inf}}
	env.Hub = &desktop.Hub{Store: k.Store, Logger: k.Log, Sources: func() []desktop.Source {
		env.sourcesMu.Lock() // Mount adds sources while the hub follows the feed
		defer env.sourcesMu.Unlock()
		return slices.Clone(env.sources)
	}}
	if err := env.Hub.Start(ctx); err != nil {
		t.Fatal(err)
	}
	k.Store.Subscribe(env.Hub.Notify)
	routes = append(routes, desktophttp.Routes(desk, k.Tokens)...)
	routes = append(routes, desktophttp.Events(env.Hub, k.Tokens)...)
	api := app.Group(officeapi.Base)
	openapi.Mount(api, routes)
	officeapi.API(routes).Mount(api)
	env.Routes = routes
	return env
}

// Capability is a capability's service as the module table runs it: its
// list index started, fed after each write, closed at the end.
type Capability interface {
	Start(ctx context.Context) error
	Close() error
	Notify()
}

// Mount adds a capability to the office as the server's module table
// does: svc started (and closed when the test ends), its routes mounted
// under the API's base and added to Routes, and, when svc is a
// desktop.Source, its contribution on every desktop.
func (e *Env) Mount(svc Capability, routes []openapi.Route) {
	e.T.Helper()
	if err := svc.Start(context.Background()); err != nil {
		e.T.Fatal(err)
	}
	e.T.Cleanup(func() {
		if err := svc.Close(); err != nil {
			e.T.Error(err)
		}
	})
	e.Store.Subscribe(svc.Notify)
	if src, ok := svc.(desktop.Source); ok {
		e.sourcesMu.Lock()
		e.sources = append(e.sources, src)
		e.sourcesMu.Unlock()
		*e.Desktop = *desktop.New(e.sources...) // the mounted desktop route holds this pointer
	}
	openapi.Mount(e.App.Group(officeapi.Base), routes)
	e.Routes = append(e.Routes, routes...)
}

// Do sends a request to the office app; a response carrying a feed
// sequence ("seq") raises LastSeq.
func (e *Env) Do(method, path, token string, body any) testkit.Response {
	e.T.Helper()
	r := testkit.Do(e.T, e.App, method, path, token, body)
	var m struct {
		Seq int64 `json:"seq"`
	}
	if json.Unmarshal(r.Body, &m) == nil && m.Seq > e.LastSeq {
		e.LastSeq = m.Seq
	}
	return r
}

// Login signs a demo user in.
func (e *Env) Login(username string) identity.Session {
	e.T.Helper()
	r := e.Do("POST", officeapi.Base+"/auth/login", "", map[string]string{"username": username, "password": Password})
	if r.Status != 200 {
		e.T.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var s identity.Session
	r.Decode(e.T, &s)
	return s
}

// TokenOf is a demo user's access token (one login per user per test).
func (e *Env) TokenOf(username string) string {
	e.T.Helper()
	if t, ok := e.tokens[username]; ok {
		return t
	}
	t := e.Login(username).AccessToken
	e.tokens[username] = t
	return t
}

// Tokens are the tokens TokenOf has handed out, by user; delete one to
// make the next TokenOf log in again (after a change of rights).
func (e *Env) TokenCache() map[string]string { return e.tokens }

// UserID is a demo user's id.
func (e *Env) UserID(username string) string {
	e.T.Helper()
	u, _, err := e.Identity.UserByUsername(context.Background(), username)
	if err != nil {
		e.T.Fatal(err)
	}
	return u.ID
}

// Deps are what a capability on records.Collection needs: this office's
// store, trail, clock and logger, and a list index directory named name.
func (e *Env) Deps(name string) records.Deps {
	return records.Deps{Store: e.Store, Trail: e.Trail, Now: e.Clock.Now, Log: e.Log, IndexDir: filepath.Join(e.Dir, name)}
}

// Listed is the ids of the items of a list (path under the API's base,
// without a query) as the demo user sees it, consistent with every write
// through Do so far.
func (e *Env) Listed(user, path string) []string {
	e.T.Helper()
	var page struct{ Items []struct{ ID string } }
	e.Do("GET", fmt.Sprintf("%s%s?consistentWith=%d", officeapi.Base, path, e.LastSeq), e.TokenOf(user), nil).Decode(e.T, &page)
	out := []string{}
	for _, it := range page.Items {
		out = append(out, it.ID)
	}
	return out
}
