package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"
	officeinfo "zhengwu/officeapi/info"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
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

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t     testing.TB
	ctx   context.Context
	store store.Store
	trail *audit.Trail
	svc   *content.Service
	gw    *gateway.Gateway
	clock *clock
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// openEnv opens (or reopens) the one store in dir with the CMS and the
// gateway on it. now nil: a fake clock.
func openEnv(t testing.TB, dir string, now func() time.Time, notify bool, opts ...func(*gateway.Deps)) *env {
	t.Helper()
	ctx := context.Background()
	raw, err := sqlitestore.Open(filepath.Join(dir, "zhengwu.db"))
	if err != nil {
		t.Fatal(err)
	}
	var st store.Store = raw
	if notify {
		st = store.WithNotify(raw)
	}
	clk := &clock{t: time.Date(2026, 5, 6, 9, 0, 0, 0, time.UTC)}
	if now == nil {
		now = clk.Now
	}
	tree, err := channel.Seed(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	trail := audit.New(st, now)
	svc, err := content.New(content.Deps{Store: st, Trail: trail, Channels: tree, Now: now,
		IndexDir: filepath.Join(dir, "content-index"), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	deps := gateway.Deps{Office: st, Portal: svc, Trail: trail, Channels: tree, Now: now,
		Logger: quiet, Interval: 20 * time.Millisecond}
	for _, o := range opts {
		o(&deps)
	}
	gw, err := gateway.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close(); _ = raw.Close() })
	return &env{t: t, ctx: ctx, store: st, trail: trail, svc: svc, gw: gw, clock: clk}
}

func (e *env) put(it info) store.Doc {
	e.t.Helper()
	d, err := store.Save(e.ctx, e.store, gateway.InfoCollection, it.ID, it, store.AnyVersion)
	if err != nil {
		e.t.Fatal(err)
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
	e.t.Helper()
	docID, err := e.svc.ImportedDocID(e.ctx, sourceID)
	if err != nil {
		e.t.Fatal(err)
	}
	if docID == "" {
		return portalCopy{}, false
	}
	d, _, err := store.Load[content.Document](e.ctx, e.store, content.DocumentsCollection, docID)
	if errors.Is(err, store.ErrNotFound) {
		return portalCopy{}, false
	}
	if err != nil {
		e.t.Fatal(err)
	}
	it, _, err := store.Load[item.Item](e.ctx, e.store, item.Collection, docID)
	if errors.Is(err, store.ErrNotFound) {
		return portalCopy{Doc: d}, false // not (yet) visible to readers
	}
	if err != nil {
		e.t.Fatalf("portal item of %s: %v", sourceID, err)
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
	tree, err := channel.Load(e.ctx, e.store)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
