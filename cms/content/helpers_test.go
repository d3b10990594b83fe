package content_test

import (
	"context"
	"testing"

	"zhengwu/cms/channel"
	"zhengwu/cms/cmstest"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// env is one test's content service on its own testkit environment
// (store, audit trail, clock), with the portal's channels seeded.
type env struct {
	*testkit.Env
	ctx context.Context
	svc *content.Service
}

func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

// newEnvWith lets a test set optional dependencies (e.g. MediaInfo).
func newEnvWith(t *testing.T, opt func(*content.Deps)) *env {
	t.Helper()
	k := testkit.New(t)
	return &env{Env: k, ctx: context.Background(), svc: cmstest.Content(k, opt)}
}

// principal is an unclassified portal user with a name and grants.
func principal(id, name string, grants ...testkit.Grant) *auth.Principal {
	p := testkit.Principal(id, classification.Feimi, nil, grants...)
	p.Name = name
	return &p
}

var (
	edit, review, publish = content.PermEdit, content.PermReview, content.PermPublish
	editor                = principal("u-editor", "李文静", testkit.Holds(edit, "xinxi"))
	editor2               = principal("u-editor2", "陈晓", testkit.Holds(edit, "xinxi"))
	reviewer              = principal("u-reviewer", "周丽", testkit.Holds(review, "xinxi"), testkit.Holds(publish, "xinxi"))
	director              = principal("u-director", "王建国", testkit.Holds(review, auth.OfficeWide), testkit.Holds(publish, auth.OfficeWide))
	dcEditor              = principal("u-dc-editor", "孙强", testkit.Holds(edit, "ducha"))
	dcReview              = principal("u-dc-reviewer", "吴敏", testkit.Holds(review, "ducha"))
	// both edits and reviews in 信息处: may not approve what they submitted.
	both = principal("u-both", "郑华", testkit.Holds(edit, "xinxi"), testkit.Holds(review, "xinxi", auth.OfficeWide),
		testkit.Holds(publish, auth.OfficeWide))
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
	e.T.Helper()
	if err != nil {
		e.T.Fatalf("unexpected error: %v", err)
	}
	return v
}

// publish takes a new document through both review steps.
func (e *env) publish(in content.CreateInput) content.View {
	e.T.Helper()
	v := e.must(e.svc.Create(e.ctx, editor, in))
	return e.publishDraft(v)
}

func (e *env) publishDraft(v content.View) content.View {
	e.T.Helper()
	id := v.Document.ID
	v = e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: v.Version, Comment: "同意"}))
	return e.must(e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version, Comment: "同意发布"}))
}

// wantValidity checks a document's validity (现行有效, 已废止, ...) where
// readers see it: in v's published edition and on its portal item.
func (e *env) wantValidity(what string, v content.View, want string) {
	e.T.Helper()
	if v.Published == nil || v.Published.Fields.Validity != want {
		e.T.Fatalf("%s: published edition %+v, want validity %s", what, v.Published, want)
	}
	if it := e.item(v.Document.ID); it.Policy == nil || it.Policy.Validity != want {
		e.T.Fatalf("%s: portal item %+v, want validity %s", what, it.Policy, want)
	}
}

func (e *env) item(id string) item.Item {
	e.T.Helper()
	it, _, err := store.Load[item.Item](e.ctx, e.Store, item.Collection, id)
	if err != nil {
		e.T.Fatalf("portal item %s: %v", id, err)
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
