package content_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

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
	t     *testing.T
	ctx   context.Context
	store store.Store
	trail *audit.Trail
	svc   *content.Service
	clock *clock
}

func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

// newEnvWith lets a test set optional dependencies (e.g. MediaInfo).
func newEnvWith(t *testing.T, opt func(*content.Deps)) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	tree, err := channel.Seed(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	trail := audit.New(st, clk.Now)
	deps := content.Deps{Store: st, Trail: trail, Channels: tree, Now: clk.Now,
		IndexDir: t.TempDir() + "/content", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if opt != nil {
		opt(&deps)
	}
	svc, err := content.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	return &env{t: t, ctx: ctx, store: st, trail: trail, svc: svc, clock: clk}
}

func principal(id, name string, perms map[string][]string) *auth.Principal {
	return &auth.Principal{UserID: id, Username: id, Name: name, Clearance: classification.Feimi, Perms: perms}
}

var (
	editor   = principal("u-editor", "李文静", map[string][]string{content.PermEdit.Key(): {"xinxi"}})
	editor2  = principal("u-editor2", "陈晓", map[string][]string{content.PermEdit.Key(): {"xinxi"}})
	reviewer = principal("u-reviewer", "周丽", map[string][]string{content.PermReview.Key(): {"xinxi"}, content.PermPublish.Key(): {"xinxi"}})
	director = principal("u-director", "王建国", map[string][]string{content.PermReview.Key(): {"*"}, content.PermPublish.Key(): {"*"}})
	dcEditor = principal("u-dc-editor", "孙强", map[string][]string{content.PermEdit.Key(): {"ducha"}})
	dcReview = principal("u-dc-reviewer", "吴敏", map[string][]string{content.PermReview.Key(): {"ducha"}})
	// both edits and reviews in 信息处: may not approve what they submitted.
	both = principal("u-both", "郑华", map[string][]string{content.PermEdit.Key(): {"xinxi"}, content.PermReview.Key(): {"xinxi", "*"}, content.PermPublish.Key(): {"*"}})
)

func article(title string) content.CreateInput {
	return content.CreateInput{Type: channel.TypeArticle, Channel: "news", Department: "xinxi",
		Fields:     content.Fields{Title: title, Summary: "摘要", Body: "<p>全省政务服务<strong>一网通办</strong>。</p>", Source: "信息处"},
		ChangeNote: "初稿"}
}

func policy(title, number string) content.CreateInput {
	return content.CreateInput{Type: channel.TypePolicy, Channel: "files-general-office", Department: "xinxi",
		Fields: content.Fields{Title: title, Body: "<p>各市人民政府：</p><p>现将有关事项通知如下。</p>",
			DocNumber: number, Issuers: []string{"安徽省人民政府办公厅"}, Genre: "通知",
			WrittenAt: "2026-02-20", EffectiveAt: "2026-03-01", Validity: item.ValidityInForce}}
}

func (e *env) must(v content.View, err error) content.View {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("unexpected error: %v", err)
	}
	return v
}

// publish takes a new document through both review steps.
func (e *env) publish(in content.CreateInput) content.View {
	e.t.Helper()
	v := e.must(e.svc.Create(e.ctx, editor, in))
	return e.publishDraft(v)
}

func (e *env) publishDraft(v content.View) content.View {
	e.t.Helper()
	id := v.Document.ID
	v = e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: v.Version, Comment: "同意"}))
	return e.must(e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version, Comment: "同意发布"}))
}

func (e *env) item(id string) item.Item {
	e.t.Helper()
	it, _, err := store.Load[item.Item](e.ctx, e.store, item.Collection, id)
	if err != nil {
		e.t.Fatalf("portal item %s: %v", id, err)
	}
	return it
}

// wantProblem checks err is a problem with the status and code.
func wantProblem(t *testing.T, err error, status int, code string) *problem.Error {
	t.Helper()
	p := problem.As(err)
	if p == nil {
		t.Fatalf("want problem %d %s, got %v", status, code, err)
	}
	if p.Status != status || (code != "" && p.Code != code) {
		t.Fatalf("want problem %d %s, got %d %s (%s)", status, code, p.Status, p.Code, p.Zh)
	}
	return p
}

func hasField(p *problem.Error, field string) (problem.FieldError, bool) {
	for _, f := range p.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return problem.FieldError{}, false
}
