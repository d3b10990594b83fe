package content_test

import (
	"testing"
	"time"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/audit"
)

func repealing(title, number string, kind string, targets ...string) content.CreateInput {
	in := policy(title, number)
	switch kind {
	case "repeals":
		in.Fields.Links = &content.Links{Repeals: targets}
	case "amends":
		in.Fields.Links = &content.Links{Amends: targets}
	}
	return in
}

func (e *env) editions(id string) []content.Edition {
	e.T.Helper()
	eds, err := e.svc.Editions(e.ctx, director, id)
	if err != nil {
		e.T.Fatal(err)
	}
	return eds
}

func TestRepealPropagates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.publish(policy("关于加强城市道路管理的通知", "皖政办〔2020〕3号"))
	oldID := old.Document.ID
	before := e.item(oldID)

	e.Clock.Advance(time.Hour)
	now := e.Clock.Now()
	rep := e.publish(repealing("关于进一步加强城市道路管理的通知", "皖政办〔2026〕7号", "repeals", oldID))

	got := e.must(e.svc.Get(e.ctx, director, oldID))
	pub := got.Published
	if got.Document.Editions != 2 || got.Document.State != content.StatePublished || pub == nil || pub.Number != 2 {
		t.Fatalf("target after repeal: %+v %+v", got.Document, pub)
	}
	wantNote := "因《关于进一步加强城市道路管理的通知》（皖政办〔2026〕7号）废止"
	if pub.Fields.Validity != item.ValidityRepealed || pub.ChangeNote != wantNote || pub.Editor != content.System ||
		pub.PublishedBy != director.UserID || pub.PublishedAt == nil || !pub.PublishedAt.Equal(now) ||
		len(pub.Reviews) != 1 || pub.Reviews[0].Step != content.ValidityStep || pub.Reviews[0].Reviewer != director.UserID {
		t.Fatalf("system edition: %+v", pub)
	}
	// Everything else is copied from the live edition.
	if pub.Fields.Title != old.Published.Fields.Title || pub.Fields.DocNumber != old.Published.Fields.DocNumber ||
		pub.Fields.Body != old.Published.Fields.Body {
		t.Fatalf("system edition fields: %+v", pub.Fields)
	}
	diff, err := e.svc.Diff(e.ctx, director, oldID, 1, 2)
	if err != nil || len(diff) != 1 || diff[0].Field != "validity" || diff[0].New != item.ValidityRepealed {
		t.Fatalf("diff: %+v %v", diff, err)
	}
	eds := e.editions(oldID)
	if len(eds) != 2 || eds[0].State != content.EditionSuperseded || eds[1].State != content.EditionPublished {
		t.Fatalf("history: %+v", eds)
	}

	// The portal item changed: new edition (so a new ETag), new
	// Last-Modified, new validity.
	it := e.item(oldID)
	if it.Policy == nil || it.Policy.Validity != item.ValidityRepealed || it.Edition != 2 || it.Edition == before.Edition ||
		!it.UpdatedAt.Equal(now) || it.ChangeNote != wantNote || !it.PublishedAt.Equal(before.PublishedAt) || it.NextChangeAt != nil {
		t.Fatalf("portal item after repeal: %+v", it)
	}

	// Audited, attributed to the publisher of the repealing file.
	au := e.Audited("portal.document.validity", oldID)
	if len(au) != 1 || au[0].Actor != director.UserID || au[0].Outcome != audit.Success ||
		au[0].Details["source"] != rep.Document.ID || au[0].Details["to"] != item.ValidityRepealed {
		t.Fatalf("audit: %+v", au)
	}

	// Idempotent: publishing the repealing file again (a new edition that
	// still repeals) creates no edition on the target.
	v := e.must(e.svc.UpdateDraft(e.ctx, editor, rep.Document.ID, content.DraftInput{Version: rep.Version,
		Fields: repealing("关于进一步加强城市道路管理的通知", "皖政办〔2026〕7号", "repeals", oldID).Fields, ChangeNote: "勘误"}))
	v = e.publishDraft(v)
	if v.Published.Number != 2 {
		t.Fatalf("repealing file republished: %+v", v.Published)
	}
	if n := e.must(e.svc.Get(e.ctx, director, oldID)).Document.Editions; n != 2 {
		t.Fatalf("republishing the repealing file made another edition: %d", n)
	}
	// Rolling the repealing file back to edition 1 (which has the link):
	// still nothing new.
	v = e.must(e.svc.Rollback(e.ctx, director, rep.Document.ID, content.RollbackInput{Version: v.Version, Edition: 1}))
	if n := e.must(e.svc.Get(e.ctx, director, oldID)).Document.Editions; n != 2 {
		t.Fatalf("rollback of the repealing file made another edition: %d", n)
	}
	if len(e.Audited("portal.document.validity", oldID)) != 1 {
		t.Fatal("idempotent republication was audited as a change")
	}

	// Rollback of the target still works (an editor's decision).
	got = e.must(e.svc.Rollback(e.ctx, director, oldID, content.RollbackInput{Edition: 1, ChangeNote: "误操作恢复"}))
	if got.Published.Number != 3 {
		t.Fatalf("target rollback: %+v", got.Published)
	}
	e.wantValidity("target rollback", got, item.ValidityInForce)
}

func TestRollbackOfRepealerDoesNotRestoreTarget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	oldID := e.publish(policy("关于规范公共资源交易的通知", "皖政办〔2019〕21号")).Document.ID
	// The repealing file first goes out without the link, then gets it.
	rep := e.publish(policy("关于深化公共资源交易平台整合共享的意见", "皖政〔2026〕15号"))
	if n := e.must(e.svc.Get(e.ctx, director, oldID)).Document.Editions; n != 1 {
		t.Fatalf("no link yet, yet the target changed: %d", n)
	}
	v := e.must(e.svc.UpdateDraft(e.ctx, editor, rep.Document.ID, content.DraftInput{Version: rep.Version,
		Fields: repealing("关于深化公共资源交易平台整合共享的意见", "皖政〔2026〕15号", "repeals", oldID).Fields}))
	v = e.publishDraft(v)
	if e.item(oldID).Policy.Validity != item.ValidityRepealed {
		t.Fatal("target not repealed")
	}
	// Back to edition 1, without the link: the target stays repealed.
	v = e.must(e.svc.Rollback(e.ctx, director, rep.Document.ID, content.RollbackInput{Version: v.Version, Edition: 1}))
	if v.Published.Fields.Links != nil {
		t.Fatalf("rolled back edition has links: %+v", v.Published.Fields.Links)
	}
	got := e.must(e.svc.Get(e.ctx, director, oldID))
	if got.Document.Editions != 2 {
		t.Fatalf("target after the repealer's rollback: %+v", got.Published)
	}
	e.wantValidity("target after the repealer's rollback", got, item.ValidityRepealed)
}

func TestAmendPropagatesButNeverSoftensRepeal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.publish(policy("关于促进民营经济发展的若干意见", "皖政〔2024〕30号")).Document.ID
	b := e.publish(policy("关于优化营商环境的通知", "皖政办〔2024〕31号")).Document.ID

	// One file amends a and b.
	e.publish(repealing("关于修改部分规范性文件的决定", "皖政〔2026〕2号", "amends", a, b))
	for _, id := range []string{a, b} {
		got := e.must(e.svc.Get(e.ctx, director, id))
		if got.Published.Number != 2 || got.Published.Fields.Validity != item.ValidityAmended ||
			got.Published.ChangeNote != "因《关于修改部分规范性文件的决定》（皖政〔2026〕2号）修改" {
			t.Fatalf("amended %s: %+v", id, got.Published)
		}
	}
	// a is then repealed: 已修改 → 已废止.
	e.publish(repealing("关于废止部分规范性文件的决定", "皖政〔2026〕3号", "repeals", a))
	if got := e.must(e.svc.Get(e.ctx, director, a)); got.Published.Number != 3 || got.Published.Fields.Validity != item.ValidityRepealed {
		t.Fatalf("repealed after amendment: %+v", got.Published)
	}
	// A later amendment of a repealed file leaves it repealed, no edition.
	e.publish(repealing("关于再次修改部分规范性文件的决定", "皖政〔2026〕4号", "amends", a))
	if got := e.must(e.svc.Get(e.ctx, director, a)); got.Document.Editions != 3 || got.Published.Fields.Validity != item.ValidityRepealed {
		t.Fatalf("amendment softened a repeal: %+v", got.Published)
	}
	// A second amendment of an amended file: already 已修改, no edition.
	e.publish(repealing("关于第三次修改部分规范性文件的决定", "皖政〔2026〕5号", "amends", b))
	if got := e.must(e.svc.Get(e.ctx, director, b)); got.Document.Editions != 2 {
		t.Fatalf("second amendment made an edition: %d", got.Document.Editions)
	}
}

func TestUnpublishedTargetLeftAlone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	draft := e.must(e.svc.Create(e.ctx, editor, policy("关于草拟中的文件的通知", "皖政办〔2026〕40号")))
	withdrawn := e.publish(policy("关于已撤回文件的通知", "皖政办〔2026〕41号"))
	e.must(e.svc.Withdraw(e.ctx, director, withdrawn.Document.ID, content.WithdrawInput{Reason: "内容有误"}))

	e.publish(repealing("关于废止两件文件的决定", "皖政〔2026〕42号", "repeals", draft.Document.ID, withdrawn.Document.ID))
	got := e.must(e.svc.Get(e.ctx, director, draft.Document.ID))
	if got.Document.Editions != 1 || got.Draft.Fields.Validity != item.ValidityInForce || got.Published != nil {
		t.Fatalf("draft target changed: %+v", got)
	}
	got = e.must(e.svc.Get(e.ctx, director, withdrawn.Document.ID))
	if got.Document.Editions != 1 || got.Published.Fields.Validity != item.ValidityInForce || got.Document.Live != content.StateWithdrawn {
		t.Fatalf("withdrawn target changed: %+v", got)
	}
	for _, id := range []string{draft.Document.ID, withdrawn.Document.ID} {
		au := e.Audited("portal.document.validity", id)
		if len(au) != 1 || au[0].Outcome != audit.Failure || au[0].Actor != director.UserID || au[0].Reason == "" {
			t.Fatalf("audit of the skipped target %s: %+v", id, au)
		}
	}
}

func TestTargetWithWorkingEdition(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.publish(policy("关于加强森林防火工作的通知", "皖政办〔2021〕9号"))
	id := old.Document.ID
	// An editor is working on edition 2.
	f := old.Published.Fields
	f.Summary = "修订中"
	w := e.must(e.svc.UpdateDraft(e.ctx, editor, id, content.DraftInput{Version: old.Version, Fields: f, ChangeNote: "修订"}))
	if w.Draft.Number != 2 {
		t.Fatalf("working edition: %+v", w.Draft)
	}
	e.publish(repealing("关于加强森林草原防灭火工作的通知", "皖政办〔2026〕9号", "repeals", id))

	got := e.must(e.svc.Get(e.ctx, director, id))
	if got.Published.Number != 3 || got.Published.Fields.Validity != item.ValidityRepealed || got.Published.Fields.Summary == "修订中" {
		t.Fatalf("system edition beside a working one: %+v", got.Published)
	}
	if got.Draft == nil || got.Draft.Number != 2 || got.Draft.State != content.EditionDraft ||
		got.Draft.Fields.Summary != "修订中" || got.Draft.Fields.Validity != item.ValidityRepealed ||
		got.Document.State != content.StateDraft || got.Document.Editions != 3 {
		t.Fatalf("working edition after propagation: %+v / %+v", got.Draft, got.Document)
	}
	if e.item(id).Policy.Validity != item.ValidityRepealed {
		t.Fatal("portal item not repealed")
	}
	// Publishing the working edition later keeps the file repealed.
	v := e.publishDraft(got)
	if v.Published.Number != 2 {
		t.Fatalf("working edition published: %+v", v.Published)
	}
	e.wantValidity("working edition published", v, item.ValidityRepealed)
}

func TestScheduledRepealPropagatesWhenDue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.publish(policy("关于做好冬季供暖工作的通知", "皖政办〔2022〕5号")).Document.ID
	v := e.must(e.svc.Create(e.ctx, editor, repealing("关于做好供暖保障工作的通知", "皖政办〔2026〕50号", "repeals", id)))
	v = e.must(e.svc.Submit(e.ctx, editor, v.Document.ID, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, reviewer, v.Document.ID, content.ApproveInput{Version: v.Version}))
	at := e.Clock.Now().Add(3 * time.Hour)
	e.must(e.svc.Approve(e.ctx, director, v.Document.ID, content.ApproveInput{Version: v.Version, PublishAt: &at}))
	if e.item(id).Policy.Validity != item.ValidityInForce {
		t.Fatal("target changed before the repealing file went live")
	}
	e.Clock.Advance(3*time.Hour + time.Second)
	if n, err := e.svc.RunDue(e.ctx); n != 1 || err != nil {
		t.Fatalf("RunDue: %d %v", n, err)
	}
	got := e.must(e.svc.Get(e.ctx, director, id))
	if got.Published.PublishedBy != director.UserID {
		t.Fatalf("target after the scheduled repeal: %+v", got.Published)
	}
	e.wantValidity("target after the scheduled repeal", got, item.ValidityRepealed)
	if au := e.Audited("portal.document.validity", id); len(au) != 1 || au[0].Actor != director.UserID {
		t.Fatalf("audit: %+v", au)
	}
	if n, _ := e.svc.RunDue(e.ctx); n != 0 {
		t.Fatalf("RunDue again: %d", n)
	}
}

// A target's own schedule survives the system edition: its nextChangeAt
// stays, and the scheduled change still happens when due.
func TestTargetScheduleKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wd := e.publish(policy("关于临时交通管制的通知", "皖政办〔2025〕60号"))
	wAt := e.Clock.Now().Add(48 * time.Hour)
	e.must(e.svc.Withdraw(e.ctx, director, wd.Document.ID, content.WithdrawInput{Reason: "管制结束", At: &wAt}))

	sc := e.publish(policy("关于年度考核工作的通知", "皖政办〔2025〕61号"))
	f := sc.Published.Fields
	f.Summary = "更新考核时间"
	v := e.must(e.svc.UpdateDraft(e.ctx, editor, sc.Document.ID, content.DraftInput{Version: sc.Version, Fields: f}))
	v = e.must(e.svc.Submit(e.ctx, editor, sc.Document.ID, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, reviewer, sc.Document.ID, content.ApproveInput{Version: v.Version}))
	pAt := e.Clock.Now().Add(24 * time.Hour)
	e.must(e.svc.Approve(e.ctx, director, sc.Document.ID, content.ApproveInput{Version: v.Version, PublishAt: &pAt}))

	e.publish(repealing("关于废止有关文件的决定", "皖政〔2026〕62号", "repeals", wd.Document.ID, sc.Document.ID))
	it := e.item(wd.Document.ID)
	if it.Edition != 2 || it.Policy.Validity != item.ValidityRepealed || it.NextChangeAt == nil || !it.NextChangeAt.Equal(wAt) {
		t.Fatalf("target with a scheduled withdrawal: %+v", it)
	}
	it = e.item(sc.Document.ID)
	if it.Edition != 3 || it.Policy.Validity != item.ValidityRepealed || it.NextChangeAt == nil || !it.NextChangeAt.Equal(pAt) {
		t.Fatalf("target with a scheduled edition: %+v", it)
	}
	got := e.must(e.svc.Get(e.ctx, director, sc.Document.ID))
	if got.Document.State != content.StateScheduled || got.Draft == nil || got.Draft.State != content.EditionScheduled ||
		got.Draft.Fields.Validity != item.ValidityRepealed {
		t.Fatalf("scheduled working edition: %+v %+v", got.Document, got.Draft)
	}

	e.Clock.Advance(49 * time.Hour)
	if n, err := e.svc.RunDue(e.ctx); n != 2 || err != nil {
		t.Fatalf("RunDue: %d %v", n, err)
	}
	if it := e.item(wd.Document.ID); it.Status != item.StatusWithdrawn || it.Policy.Validity != item.ValidityRepealed {
		t.Fatalf("withdrawn target: %+v", it)
	}
	if it := e.item(sc.Document.ID); it.Edition != 2 || it.Summary != "更新考核时间" || it.Policy.Validity != item.ValidityRepealed {
		t.Fatalf("scheduled edition of the target went live: %+v", it)
	}
}
