package content_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

func TestPublishThroughBothSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, editor, article("全省一体化政务服务平台上线")))
	id := v.Document.ID
	if v.Document.State != content.StateDraft || v.Draft == nil || v.Draft.Number != 1 || v.Published != nil {
		t.Fatalf("created: %+v", v)
	}
	if _, _, err := store.Load[item.Item](e.ctx, e.Store, item.Collection, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a draft must not reach portal_items: %v", err)
	}

	v = e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: v.Version}))
	if v.Document.State != content.StateInReview || v.Document.Step != "初审" {
		t.Fatalf("submitted: state %s step %s", v.Document.State, v.Document.Step)
	}
	// The department reviewer sees it in the queue; the director does too
	// (an office-wide grant covers 初审 anywhere); the editor does not.
	if err := e.svc.CatchUp(e.ctx); err != nil {
		t.Fatal(err)
	}
	queue := func(p *content.ListResult) []string {
		var ids []string
		for _, s := range p.Items {
			ids = append(ids, s.ID)
		}
		return ids
	}
	q, err := e.svc.ReviewQueue(e.ctx, reviewer, content.ListQuery{})
	if err != nil || len(q.Items) != 1 || q.Items[0].ID != id || q.Items[0].Step != "初审" {
		t.Fatalf("reviewer queue: %v %+v", err, q)
	}
	q, _ = e.svc.ReviewQueue(e.ctx, editor, content.ListQuery{})
	if len(q.Items) != 0 {
		t.Fatalf("editor queue: %v", queue(&q))
	}
	q, _ = e.svc.ReviewQueue(e.ctx, dcReview, content.ListQuery{})
	if len(q.Items) != 0 {
		t.Fatalf("督查室 reviewer queue: %v", queue(&q))
	}

	v = e.must(e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: v.Version, Comment: "内容属实"}))
	if v.Document.State != content.StateInReview || v.Document.Step != "终审" {
		t.Fatalf("after 初审: %s %s", v.Document.State, v.Document.Step)
	}
	if err := e.svc.CatchUp(e.ctx); err != nil {
		t.Fatal(err)
	}
	q, _ = e.svc.ReviewQueue(e.ctx, reviewer, content.ListQuery{})
	if len(q.Items) != 0 {
		t.Fatalf("终审 is not the department reviewer's: %v", queue(&q))
	}
	q, _ = e.svc.ReviewQueue(e.ctx, director, content.ListQuery{})
	if len(q.Items) != 1 || q.Items[0].Step != "终审" {
		t.Fatalf("director queue: %+v", q)
	}

	v = e.must(e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version, Comment: "同意发布"}))
	if v.Document.State != content.StatePublished || v.Draft != nil || v.Published == nil {
		t.Fatalf("published: %+v", v.Document)
	}
	pub := v.Published
	if pub.State != content.EditionPublished || pub.PublishedBy != director.UserID || len(pub.Reviews) != 2 ||
		pub.Reviews[0].Reviewer != reviewer.UserID || pub.Reviews[1].Step != "终审" || pub.SubmittedBy != editor.UserID {
		t.Fatalf("published edition: %+v", pub)
	}

	it := e.item(id)
	now := e.Clock.Now().UTC()
	if it.Status != item.StatusPublished || it.Visibility != "public" || it.Title != "全省一体化政务服务平台上线" ||
		it.Channel != "news" || it.Department != "xinxi" || it.Type != "article" || it.Edition != 1 ||
		it.BodyText != "全省政务服务一网通办。" || !strings.Contains(it.Body, "<strong>一网通办</strong>") ||
		!it.PublishedAt.Equal(now) || !it.UpdatedAt.Equal(now) || it.Path != "news/"+id || it.NextChangeAt != nil {
		t.Fatalf("portal item: %+v", it)
	}

	entries, err := e.Trail.List(e.ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, en := range entries {
		if en.Target == id {
			actions = append(actions, en.Action+"/"+en.Actor+"/"+en.Outcome)
		}
	}
	want := []string{"portal.document.create/u-editor/success", "portal.document.submit/u-editor/success",
		"portal.document.approve/u-reviewer/success", "portal.document.publish/u-director/success"}
	if strings.Join(actions, " ") != strings.Join(want, " ") {
		t.Fatalf("audit:\n got %v\nwant %v", actions, want)
	}
}

func TestWorkflowRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	draft := e.must(e.svc.Create(e.ctx, editor, article("草稿")))
	id := draft.Document.ID

	// Wrong state: approve, reject a draft; withdraw an unpublished one.
	_, err := e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: draft.Version})
	wantProblem(t, err, 409, "invalid_state")
	_, err = e.svc.Reject(e.ctx, reviewer, id, content.RejectInput{Version: draft.Version, Reason: "不行"})
	wantProblem(t, err, 409, "invalid_state")
	_, err = e.svc.Withdraw(e.ctx, director, id, content.WithdrawInput{Reason: "过时"})
	wantProblem(t, err, 409, "invalid_state")

	inReview := e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: draft.Version}))
	// Wrong state: submit twice, edit in review.
	_, err = e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: inReview.Version})
	wantProblem(t, err, 409, "invalid_state")
	_, err = e.svc.UpdateDraft(e.ctx, editor, id, content.DraftInput{Version: inReview.Version, Fields: content.Fields{Title: "改"}})
	wantProblem(t, err, 409, "invalid_state")
	// Not a reviewer at all.
	_, err = e.svc.Approve(e.ctx, editor2, id, content.ApproveInput{Version: inReview.Version})
	wantProblem(t, err, 403, "forbidden")
	// Wrong department: 督查室's reviewer cannot even see it.
	_, err = e.svc.Approve(e.ctx, dcReview, id, content.ApproveInput{Version: inReview.Version})
	wantProblem(t, err, 404, "not_found")
	// Missing reason.
	_, err = e.svc.Reject(e.ctx, reviewer, id, content.RejectInput{Version: inReview.Version, Reason: "  "})
	p := wantProblem(t, err, 400, "invalid")
	if f, ok := hasField(p, "reason"); !ok || !strings.Contains(f.Message, "原因") {
		t.Fatalf("reason field: %+v", p.Fields)
	}

	step2 := e.must(e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: inReview.Version}))
	// Wrong step: the department reviewer cannot take 终审.
	_, err = e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: step2.Version})
	wantProblem(t, err, 403, "forbidden")
	// Stale version.
	_, err = e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: inReview.Version})
	wantProblem(t, err, 409, "conflict")

	// Reject at 终审 with a reason: back to draft, reason kept.
	back := e.must(e.svc.Reject(e.ctx, director, id, content.RejectInput{Version: step2.Version, Reason: "标题需与正文一致"}))
	if back.Document.State != content.StateDraft || back.Draft.State != content.EditionDraft {
		t.Fatalf("rejected: %+v", back.Document)
	}
	last := back.Draft.Reviews[len(back.Draft.Reviews)-1]
	if last.Decision != content.DecisionRejected || last.Comment != "标题需与正文一致" || last.Step != "终审" {
		t.Fatalf("rejection review: %+v", last)
	}
	// The editor can edit and resubmit after a rejection.
	back = e.must(e.svc.UpdateDraft(e.ctx, editor, id, content.DraftInput{Version: back.Version,
		Fields: content.Fields{Title: "修改后的标题", Body: "<p>正文</p>"}, ChangeNote: "按终审意见修改"}))
	e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: back.Version}))

	// Refusals are audited.
	entries, _ := e.Trail.List(e.ctx, 0, 200)
	var refused int
	for _, en := range entries {
		if en.Target == id && en.Outcome == audit.Failure {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("refused steps were not audited")
	}
	var rejected bool
	for _, en := range entries {
		if en.Target == id && en.Action == "portal.document.reject" && en.Outcome == audit.Success && en.Actor == director.UserID {
			rejected = true
		}
	}
	if !rejected {
		t.Fatal("rejection not audited")
	}
}

func TestNoSelfApproval(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, both, article("自审")))
	v = e.must(e.svc.Submit(e.ctx, both, v.Document.ID, content.VersionInput{Version: v.Version}))
	_, err := e.svc.Approve(e.ctx, both, v.Document.ID, content.ApproveInput{Version: v.Version})
	wantProblem(t, err, 403, "self_review")
	v = e.must(e.svc.Approve(e.ctx, reviewer, v.Document.ID, content.ApproveInput{Version: v.Version}))
	_, err = e.svc.Approve(e.ctx, both, v.Document.ID, content.ApproveInput{Version: v.Version})
	wantProblem(t, err, 403, "self_review")
	if err := e.svc.CatchUp(e.ctx); err != nil {
		t.Fatal(err)
	}
	q, _ := e.svc.ReviewQueue(e.ctx, both, content.ListQuery{})
	if len(q.Items) != 0 {
		t.Fatalf("own submission in the queue: %+v", q.Items)
	}
	e.must(e.svc.Approve(e.ctx, director, v.Document.ID, content.ApproveInput{Version: v.Version}))
}

func TestDepartmentScoping(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	xin := e.must(e.svc.Create(e.ctx, editor, article("信息处的稿件")))
	in := article("督查室的稿件")
	in.Department = "ducha"
	in.Channel = "files-interpretation" // office-wide: every department posts there
	dc := e.must(e.svc.Create(e.ctx, dcEditor, in))

	// An editor of 信息处 cannot create for 督查室, nor see or touch its document.
	_, err := e.svc.Create(e.ctx, editor, in)
	wantProblem(t, err, 403, "forbidden")
	_, err = e.svc.Get(e.ctx, editor, dc.Document.ID)
	wantProblem(t, err, 404, "not_found")
	_, err = e.svc.UpdateDraft(e.ctx, editor, dc.Document.ID, content.DraftInput{Version: dc.Version, Fields: content.Fields{Title: "改"}})
	wantProblem(t, err, 404, "not_found")
	_, err = e.svc.Submit(e.ctx, editor, dc.Document.ID, content.VersionInput{})
	wantProblem(t, err, 404, "not_found")
	_, err = e.svc.CreatePreview(e.ctx, editor, dc.Document.ID)
	wantProblem(t, err, 404, "not_found")
	// A reviewer of 信息处 may read but not edit 信息处 documents.
	_, err = e.svc.UpdateDraft(e.ctx, reviewer, xin.Document.ID, content.DraftInput{Version: xin.Version, Fields: content.Fields{Title: "改"}})
	wantProblem(t, err, 403, "forbidden")

	if err := e.svc.CatchUp(e.ctx); err != nil {
		t.Fatal(err)
	}
	ids := func(p *auth.Principal) []string {
		l, err := e.svc.List(e.ctx, p, content.ListQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range l.Items {
			out = append(out, s.Title)
		}
		return out
	}
	if got := ids(editor); len(got) != 1 || got[0] != "信息处的稿件" {
		t.Fatalf("信息处 editor sees %v", got)
	}
	if got := ids(dcEditor); len(got) != 1 || got[0] != "督查室的稿件" {
		t.Fatalf("督查室 editor sees %v", got)
	}
	if got := ids(director); len(got) != 2 {
		t.Fatalf("director sees %v", got)
	}
	// Asking for the other department's documents explicitly finds none.
	l, _ := e.svc.List(e.ctx, editor, content.ListQuery{Department: "ducha"})
	if len(l.Items) != 0 {
		t.Fatalf("department filter leaked: %+v", l.Items)
	}
	// Filters: state, type, channel (with descendants), q.
	l, _ = e.svc.List(e.ctx, director, content.ListQuery{State: "draft", Type: "article", Channel: "files", Q: "督查室"})
	if len(l.Items) != 1 || l.Items[0].ID != dc.Document.ID {
		t.Fatalf("filtered list: %+v", l.Items)
	}
	_, err = e.svc.List(e.ctx, director, content.ListQuery{State: `{"$gt":""}`})
	wantProblem(t, err, 400, "invalid")
}

func TestConcurrentEdits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, editor, article("并发")))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, p := range []*auth.Principal{editor, editor2} {
		wg.Go(func() {
			_, errs[i] = e.svc.UpdateDraft(e.ctx, p, v.Document.ID, content.DraftInput{Version: v.Version,
				Fields: content.Fields{Title: "并发修改" + p.Name}})
		})
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantProblem(t, err, 409, "conflict")
		conflicts++
	}
	if ok != 1 || conflicts != 1 {
		t.Fatalf("want one success and one 409, got %v", errs)
	}
}

func TestScheduledPublishAndWithdrawal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, editor, policy("关于做好春季安全生产工作的通知", "皖政办〔2026〕12号")))
	id := v.Document.ID
	v = e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: v.Version}))
	at := e.Clock.Now().Add(2 * time.Hour)
	v = e.must(e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version, PublishAt: &at}))
	if v.Document.State != content.StateScheduled || v.Document.PublishAt == nil || !v.Document.PublishAt.Equal(at) {
		t.Fatalf("scheduled: %+v", v.Document)
	}
	n, err := e.svc.RunDue(e.ctx)
	if err != nil || n != 0 {
		t.Fatalf("RunDue before time: %d %v", n, err)
	}
	if _, _, err := store.Load[item.Item](e.ctx, e.Store, item.Collection, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("scheduled item visible early")
	}
	e.Clock.Advance(2*time.Hour + time.Second)
	n, err = e.svc.RunDue(e.ctx)
	if err != nil || n != 1 {
		t.Fatalf("RunDue: %d %v", n, err)
	}
	it := e.item(id)
	if it.Status != item.StatusPublished || it.Policy == nil || it.Policy.DocNumber != "皖政办〔2026〕12号" ||
		it.Policy.Validity != item.ValidityInForce || it.Policy.Genre != "通知" || len(it.Policy.Issuers) != 1 ||
		it.Policy.EffectiveAt == nil || it.Policy.EffectiveAt.Format("2006-01-02") != "2026-03-01" ||
		it.Policy.WrittenAt.IsZero() || it.Path != "files-general-office/"+id {
		t.Fatalf("item after scheduled publish: %+v", it)
	}
	got := e.must(e.svc.Get(e.ctx, editor, id))
	if got.Document.State != content.StatePublished || got.Published.PublishedBy != content.System {
		t.Fatalf("document after scheduled publish: %+v", got.Document)
	}
	// A lost item write is repaired from the document.
	if _, err := e.Store.Delete(e.ctx, item.Collection, id, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.RepairItems(e.ctx); n != 1 || err != nil {
		t.Fatalf("RepairItems: %d %v", n, err)
	}
	if n, _ := e.svc.RepairItems(e.ctx); n != 0 {
		t.Fatalf("RepairItems rewrote %d up-to-date items", n)
	}
	if e.item(id).Status != item.StatusPublished {
		t.Fatal("item not repaired")
	}
	// Running again applies nothing.
	if n, _ := e.svc.RunDue(e.ctx); n != 0 {
		t.Fatalf("RunDue twice applied %d", n)
	}

	// Scheduled withdrawal: the item announces its next change.
	wat := e.Clock.Now().Add(24 * time.Hour)
	e.must(e.svc.Withdraw(e.ctx, director, id, content.WithdrawInput{Reason: "已被新文件替代", At: &wat}))
	it = e.item(id)
	if it.Status != item.StatusPublished || it.NextChangeAt == nil || !it.NextChangeAt.Equal(wat) {
		t.Fatalf("item with scheduled withdrawal: %+v", it)
	}
	e.Clock.Advance(23 * time.Hour)
	if n, _ := e.svc.RunDue(e.ctx); n != 0 {
		t.Fatalf("withdrawal applied early")
	}
	e.Clock.Advance(time.Hour)
	if n, err := e.svc.RunDue(e.ctx); n != 1 || err != nil {
		t.Fatalf("RunDue withdrawal: %d %v", n, err)
	}
	it = e.item(id)
	if it.Status != item.StatusWithdrawn || it.Withdrawal == nil || it.Withdrawal.Reason != "已被新文件替代" ||
		it.Body == "" || it.Title == "" || it.NextChangeAt != nil {
		t.Fatalf("withdrawn item must stay readable with a notice: %+v", it)
	}
	got = e.must(e.svc.Get(e.ctx, editor, id))
	if got.Document.State != content.StateWithdrawn {
		t.Fatalf("state %s", got.Document.State)
	}
}

func TestWithdrawNowRedirectRemove(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.publish(article("旧稿"))
	b := e.publish(article("新稿"))
	// Only an office-wide publisher may withdraw.
	_, err := e.svc.Withdraw(e.ctx, reviewer, a.Document.ID, content.WithdrawInput{Reason: "x"})
	wantProblem(t, err, 403, "forbidden")
	_, err = e.svc.Withdraw(e.ctx, director, a.Document.ID, content.WithdrawInput{})
	wantProblem(t, err, 400, "invalid")
	v := e.must(e.svc.Withdraw(e.ctx, director, a.Document.ID, content.WithdrawInput{Reason: "内容已过时"}))
	if v.Document.State != content.StateWithdrawn {
		t.Fatalf("withdrawn: %s", v.Document.State)
	}
	if it := e.item(a.Document.ID); it.Status != item.StatusWithdrawn || it.Withdrawal.Reason != "内容已过时" || it.Body == "" {
		t.Fatalf("withdrawn item: %+v", it)
	}
	_, err = e.svc.Redirect(e.ctx, director, a.Document.ID, content.RedirectInput{To: a.Document.ID})
	wantProblem(t, err, 400, "invalid")
	_, err = e.svc.Redirect(e.ctx, director, a.Document.ID, content.RedirectInput{To: "nope"})
	wantProblem(t, err, 400, "invalid")
	v = e.must(e.svc.Redirect(e.ctx, director, a.Document.ID, content.RedirectInput{To: b.Document.ID}))
	if it := e.item(a.Document.ID); it.Status != item.StatusRedirected || it.RedirectTo != b.Document.ID || v.Document.State != content.StateRedirected {
		t.Fatalf("redirected item: %+v", it)
	}
	v = e.must(e.svc.Remove(e.ctx, director, b.Document.ID, content.VersionInput{Version: b.Version}))
	if v.Document.State != content.StateGone {
		t.Fatalf("removed: %s", v.Document.State)
	}
	if it := e.item(b.Document.ID); it.Status != item.StatusGone || it.Body != "" {
		t.Fatalf("gone item: %+v", it)
	}
	_, err = e.svc.Remove(e.ctx, director, b.Document.ID, content.VersionInput{})
	wantProblem(t, err, 409, "invalid_state")
	_, err = e.svc.UpdateDraft(e.ctx, editor, b.Document.ID, content.DraftInput{Version: v.Version, Fields: content.Fields{Title: "x"}})
	wantProblem(t, err, 409, "invalid_state")
}

func TestRollbackAndDiff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.publish(article("第一版标题"))
	id := v.Document.ID
	// Editing a published document starts edition 2; the item stays at 1.
	v = e.must(e.svc.UpdateDraft(e.ctx, editor, id, content.DraftInput{Version: v.Version,
		Fields: content.Fields{Title: "第二版标题", Summary: "摘要", Body: "<p>新的正文</p>", Source: "信息处"}, ChangeNote: "更新"}))
	if v.Draft.Number != 2 || v.Published.Number != 1 || e.item(id).Title != "第一版标题" {
		t.Fatalf("second edition: %+v", v)
	}
	v = e.publishDraft(v)
	if it := e.item(id); it.Title != "第二版标题" || it.Edition != 2 || it.ChangeNote != "更新" {
		t.Fatalf("item after edition 2: %+v", it)
	}
	diff, err := e.svc.Diff(e.ctx, editor, id, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	byField := map[string]content.FieldChange{}
	for _, d := range diff {
		byField[d.Field] = d
	}
	if len(diff) != 2 || byField["title"].Old != "第一版标题" || byField["title"].New != "第二版标题" || byField["body"].New != "<p>新的正文</p>" {
		t.Fatalf("diff: %+v", diff)
	}
	_, err = e.svc.Rollback(e.ctx, editor, id, content.RollbackInput{Edition: 1})
	wantProblem(t, err, 403, "forbidden")
	_, err = e.svc.Rollback(e.ctx, director, id, content.RollbackInput{Edition: 9})
	wantProblem(t, err, 400, "invalid")
	v = e.must(e.svc.Rollback(e.ctx, director, id, content.RollbackInput{Version: v.Version, Edition: 1}))
	if v.Published.Number != 3 || v.Published.RolledBackFrom != 1 || v.Published.Fields.Title != "第一版标题" || v.Document.State != content.StatePublished {
		t.Fatalf("rolled back: %+v", v.Published)
	}
	if it := e.item(id); it.Title != "第一版标题" || it.Edition != 3 {
		t.Fatalf("item after rollback: %+v", it)
	}
	eds, err := e.svc.Editions(e.ctx, editor, id)
	if err != nil || len(eds) != 3 {
		t.Fatalf("editions: %v %d", err, len(eds))
	}
	if eds[0].State != content.EditionSuperseded || eds[1].State != content.EditionSuperseded || eds[2].State != content.EditionPublished {
		t.Fatalf("edition states: %s %s %s", eds[0].State, eds[1].State, eds[2].State)
	}
	if eds[0].Editor != editor.UserID || eds[0].ChangeNote != "初稿" || len(eds[0].Reviews) != 2 {
		t.Fatalf("edition 1 history: %+v", eds[0])
	}
	_, err = e.svc.Edition(e.ctx, editor, id, 4)
	wantProblem(t, err, 404, "not_found")
}

func TestPreviewTokenExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, editor, article("预览稿")))
	tok, err := e.svc.CreatePreview(e.ctx, editor, v.Document.ID)
	if err != nil || len(tok.Token) != 64 || tok.URL != "/api/portal/v1/preview/"+tok.Token {
		t.Fatalf("preview token: %+v %v", tok, err)
	}
	it, err := e.svc.Preview(e.ctx, tok.Token)
	if err != nil || it.Title != "预览稿" || it.ID != v.Document.ID || it.BodyText == "" {
		t.Fatalf("preview: %+v %v", it, err)
	}
	e.Clock.Advance(29 * time.Minute)
	if _, err := e.svc.Preview(e.ctx, tok.Token); err != nil {
		t.Fatalf("preview at 29 min: %v", err)
	}
	e.Clock.Advance(2 * time.Minute)
	_, err = e.svc.Preview(e.ctx, tok.Token)
	wantProblem(t, err, 404, "not_found")
	_, err = e.svc.Preview(e.ctx, "nonsense")
	wantProblem(t, err, 404, "not_found")
}

func TestSanitisedOnWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := article("含脚本的稿件")
	in.Fields.Body = `<p onclick="steal()">正文</p><script>alert(document.cookie)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a>`
	v := e.must(e.svc.Create(e.ctx, editor, in))
	doc, err := e.Store.Get(context.Background(), content.DocumentsCollection, v.Document.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"script", "onclick", "onerror", "javascript", "alert"} {
		if strings.Contains(string(doc.Data), bad) {
			t.Fatalf("stored document contains %q: %s", bad, doc.Data)
		}
	}
	if !strings.Contains(v.Draft.Fields.Body, "<p>正文</p>") {
		t.Fatalf("body: %s", v.Draft.Fields.Body)
	}
}

func TestCancelScheduledPublication(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, editor, article("定时稿")))
	id := v.Document.ID
	v = e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: v.Version}))
	at := e.Clock.Now().Add(time.Hour)
	v = e.must(e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version, PublishAt: &at}))
	// The department reviewer may not cancel; a publisher may, with a reason.
	_, err := e.svc.Reject(e.ctx, reviewer, id, content.RejectInput{Version: v.Version, Reason: "暂缓"})
	wantProblem(t, err, 403, "forbidden")
	v = e.must(e.svc.Reject(e.ctx, director, id, content.RejectInput{Version: v.Version, Reason: "暂缓发布"}))
	if v.Document.State != content.StateDraft || v.Document.PublishAt != nil || v.Draft.PublishAt != nil {
		t.Fatalf("cancelled: %+v", v.Document)
	}
	e.Clock.Advance(2 * time.Hour)
	if n, err := e.svc.RunDue(e.ctx); n != 0 || err != nil {
		t.Fatalf("cancelled schedule ran: %d %v", n, err)
	}
}
