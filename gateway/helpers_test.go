package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
	officeinfo "zhengwu/officeapi/info"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// info is an information item as the office declares it (the gateway
// imports the same declaration: there is no second one to drift).
type (
	info       = officeinfo.Item
	infoPortal = officeinfo.Portal
	infoAttach = officeinfo.Attachment
)

// at is a fixed time, for items' timestamps.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// clockStart is where the tests' clock stands: after the approval times of
// the items they write (released).
var clockStart = time.Date(2026, 5, 6, 9, 0, 0, 0, time.UTC)

// env is one test's office and portal on one store: the CMS's content
// service and the gateway between them, on a testkit environment.
type env struct {
	*testkit.Env
	ctx context.Context
	svc *content.Service
	gw  *gateway.Gateway
}

var quiet = testkit.Quiet()

// newEnv opens the CMS and the gateway on a fresh environment, on its
// clock (set to clockStart); opts change the gateway's dependencies.
func newEnv(t testing.TB, opts ...func(*gateway.Deps)) *env {
	t.Helper()
	k := testkit.New(t)
	k.Clock.Set(clockStart)
	return onEnv(k, k.Clock.Now, opts...)
}

// wallEnv opens them on k as the server runs them: on the wall clock
// (benchmarks, the crash test's last catch-up).
func wallEnv(k *testkit.Env, opts ...func(*gateway.Deps)) *env {
	k.T.Helper()
	k.Trail = audit.New(k.Store, time.Now)
	return onEnv(k, time.Now, opts...)
}

func onEnv(k *testkit.Env, now func() time.Time, opts ...func(*gateway.Deps)) *env {
	k.T.Helper()
	svc, gw, err := openGateway(k.Store, k.Trail, k.Dir, now, opts...)
	if err != nil {
		k.T.Fatal(err)
	}
	k.T.Cleanup(func() { _ = svc.Close() })
	return &env{Env: k, ctx: context.Background(), svc: svc, gw: gw}
}

// openGateway opens the CMS's content service (its index in dir) and the
// gateway on st, the portal's channels seeded; the crash test's child
// process, which has no test, calls it too. The caller closes the
// service.
func openGateway(st store.Store, trail *audit.Trail, dir string, now func() time.Time, opts ...func(*gateway.Deps)) (*content.Service, *gateway.Gateway, error) {
	tree, err := channel.Seed(context.Background(), st)
	if err != nil {
		return nil, nil, err
	}
	svc, err := content.New(content.Deps{Store: st, Trail: trail, Channels: tree, Now: now,
		IndexDir: filepath.Join(dir, "content-index"), Logger: quiet})
	if err != nil {
		return nil, nil, err
	}
	deps := gateway.Deps{Office: st, Portal: svc, Trail: trail, Channels: tree, Now: now,
		Logger: quiet, Interval: 20 * time.Millisecond}
	for _, o := range opts {
		o(&deps)
	}
	gw, err := gateway.New(deps)
	if err != nil {
		_ = svc.Close()
		return nil, nil, err
	}
	return svc, gw, nil
}

func (e *env) put(it info) store.Doc {
	e.T.Helper()
	d, err := store.Save(e.ctx, e.Store, gateway.InfoCollection, it.ID, it, store.AnyVersion)
	if err != nil {
		e.T.Fatal(err)
	}
	return d
}

// released is a fully released item at revision rev.
func released(id string, rev int, title string) info {
	return info{ID: id, Department: "ducha", Kind: "update", Title: title, Summary: "摘要",
		Body: "<p>正文</p>", Classification: "非密", Principals: []string{}, Audience: "portal",
		State: "published", Revision: rev,
		Portal: infoPortal{Designated: true, Channel: "news", Approved: true, ApprovedBy: "u-pub",
			ApprovedAt: ptr(at("2026-05-06T08:00:00Z")), ApprovedRevision: rev},
		Attachments: []infoAttach{{MediaID: "d2a84f4b8b650937ec8f73cd8be2c74add5a911ba64df27458ed8229da804a26",
			Name: "附件.pdf", Size: 1024, Type: "application/pdf"}},
		Author: "u-1", CreatedAt: at("2026-05-01T08:00:00Z"), UpdatedAt: at("2026-05-06T08:00:00Z")}
}

func scanAll(t testing.TB, s store.Store, collection string) []store.Doc {
	t.Helper()
	var out []store.Doc
	after := ""
	for {
		page, err := s.Scan(context.Background(), collection, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < 1000 {
			return out
		}
		after = page[len(page)-1].ID
	}
}

// portalCopy is what the portal holds for a source: its document record
// and item. ok false when the source was never imported.
type portalCopy struct {
	Doc  content.Document
	Item item.Item
}

func (e *env) copyOf(sourceID string) (portalCopy, bool) {
	e.T.Helper()
	docID, err := e.svc.ImportedDocID(e.ctx, sourceID)
	if err != nil {
		e.T.Fatal(err)
	}
	if docID == "" {
		return portalCopy{}, false
	}
	d, _, err := store.Load[content.Document](e.ctx, e.Store, content.DocumentsCollection, docID)
	if errors.Is(err, store.ErrNotFound) {
		return portalCopy{}, false
	}
	if err != nil {
		e.T.Fatal(err)
	}
	it, _, err := store.Load[item.Item](e.ctx, e.Store, item.Collection, docID)
	if errors.Is(err, store.ErrNotFound) {
		return portalCopy{Doc: d}, false // not (yet) visible to readers
	}
	if err != nil {
		e.T.Fatalf("portal item of %s: %v", sourceID, err)
	}
	return portalCopy{Doc: d, Item: it}, true
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func fatalf(t testing.TB, format string, args ...any) {
	t.Helper()
	t.Fatal(fmt.Sprintf(format, args...))
}

func mustTree(t testing.TB, e *env) *channel.Tree {
	t.Helper()
	tree, err := channel.Load(e.ctx, e.Store)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// runInBackground runs the gateway (Run) until the test ends, then stops
// it and reports Run's error.
func (e *env) runInBackground(t testing.TB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.gw.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}
