package content_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/testkit"
)

// Reviewers with office-wide grants: either may take any step, so only
// the separation rules keep them apart.
var (
	director2 = principal("u-director2", "刘洋", testkit.Holds(review, auth.OfficeWide), testkit.Holds(publish, auth.OfficeWide))
	// editsAndReviews may write in 信息处 and review anywhere.
	editsAndReviews = principal("u-writer-reviewer", "郑华", testkit.Holds(edit, "xinxi"),
		testkit.Holds(review, auth.OfficeWide), testkit.Holds(publish, auth.OfficeWide))
)

// refusals returns the failed audit entries of action on target.
func (e *env) refusals(action, target string) []audit.Entry {
	e.T.Helper()
	return slices.DeleteFunc(e.Audited(action, target), func(en audit.Entry) bool { return en.Outcome != audit.Failure })
}

func (e *env) queueHas(p *auth.Principal, id string) bool {
	e.T.Helper()
	if err := e.svc.CatchUp(e.ctx); err != nil {
		e.T.Fatal(err)
	}
	q, err := e.svc.ReviewQueue(e.ctx, p, content.ListQuery{})
	if err != nil {
		e.T.Fatal(err)
	}
	return slices.ContainsFunc(q.Items, func(s content.Summary) bool { return s.ID == id })
}

// The four-eyes rule compares the edition's authors, not only its
// submitter: an author who lets a colleague submit cannot approve the
// text, at either step, nor see it in their review queue.
func TestAuthorsMayNotReviewTheirEdition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		write func(e *env) content.View // makes a draft editsAndReviews wrote or edited
	}{
		{"wrote it", func(e *env) content.View {
			return e.must(e.svc.Create(e.ctx, editsAndReviews, article("自己撰写、他人提交")))
		}},
		{"edited it", func(e *env) content.View {
			v := e.must(e.svc.Create(e.ctx, editor, article("他人撰写")))
			return e.must(e.svc.UpdateDraft(e.ctx, editsAndReviews, v.ID, content.DraftInput{Version: v.Version,
				Fields: content.Fields{Title: "他人撰写、自己修改", Body: "<p>改过的正文</p>"}}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			v := tc.write(e)
			// A colleague submits it.
			v = e.must(e.svc.Submit(e.ctx, editor2, v.ID, content.VersionInput{Version: v.Version}))
			if e.queueHas(editsAndReviews, v.ID) {
				t.Fatal("an author sees their own text in the review queue")
			}
			_, err := e.svc.Approve(e.ctx, editsAndReviews, v.ID, content.ApproveInput{Version: v.Version})
			p := wantProblem(t, err, 403, content.CodeSelfReview)
			if !strings.Contains(p.Zh, "不能审核自己") {
				t.Fatalf("message: %q", p.Zh)
			}
			_, err = e.svc.Reject(e.ctx, editsAndReviews, v.ID, content.RejectInput{Version: v.Version, Reason: "自己退回"})
			wantProblem(t, err, 403, content.CodeSelfReview)
			if n := len(e.refusals("portal.document.approve", v.ID)); n != 1 {
				t.Fatalf("refused approval audited %d times, want 1", n)
			}

			// Nor at 终审, after someone else took 初审.
			v = e.must(e.svc.Approve(e.ctx, reviewer, v.ID, content.ApproveInput{Version: v.Version}))
			_, err = e.svc.Approve(e.ctx, editsAndReviews, v.ID, content.ApproveInput{Version: v.Version})
			wantProblem(t, err, 403, content.CodeSelfReview)
			v = e.must(e.svc.Approve(e.ctx, director, v.ID, content.ApproveInput{Version: v.Version}))
			if v.Document.State != content.StatePublished || !slices.Contains(v.Published.Authors, editsAndReviews.UserID) {
				t.Fatalf("published: %s, authors %v", v.Document.State, v.Published.Authors)
			}
		})
	}
}

// One person cannot take both 初审 and 终审 of one edition (the default
// of every channel); a new pass after a rejection starts afresh.
func TestEachStepByADifferentPerson(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, editor, article("两级审核")))
	id := v.ID
	v = e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: v.Version}))
	// The director's office-wide grant covers 初审 too.
	v = e.must(e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version, Comment: "初审同意"}))
	if v.Document.Step != channel.StepOffice {
		t.Fatalf("step %q", v.Document.Step)
	}
	if e.queueHas(director, id) {
		t.Fatal("the 初审 reviewer is offered 终审 of the same edition")
	}
	if !e.queueHas(director2, id) {
		t.Fatal("another office reviewer does not see 终审")
	}
	_, err := e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version, Comment: "终审同意"})
	p := wantProblem(t, err, 403, content.CodeSameReviewer)
	if !strings.Contains(p.Zh, "不同人员") || !strings.Contains(p.Zh, channel.StepDepartment) || p.Extra["step"] != channel.StepDepartment {
		t.Fatalf("problem: %q %v", p.Zh, p.Extra)
	}
	refused := e.refusals("portal.document.approve", id)
	if len(refused) != 1 || refused[0].Actor != director.UserID {
		t.Fatalf("refusal audit: %+v", refused)
	}

	// 终审 sends it back; in the next pass the director takes only 终审.
	v = e.must(e.svc.Reject(e.ctx, director2, id, content.RejectInput{Version: v.Version, Reason: "请补充数据来源"}))
	v = e.must(e.svc.UpdateDraft(e.ctx, editor, id, content.DraftInput{Version: v.Version,
		Fields: content.Fields{Title: "两级审核（修改稿）", Body: "<p>数据来源：省统计局。</p>"}}))
	v = e.must(e.svc.Submit(e.ctx, editor, id, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, reviewer, id, content.ApproveInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, director, id, content.ApproveInput{Version: v.Version}))
	if v.Document.State != content.StatePublished {
		t.Fatalf("state %s", v.Document.State)
	}
	var steps []string
	for _, r := range v.Published.Reviews {
		steps = append(steps, r.Step+"/"+r.Reviewer+"/"+r.Decision)
	}
	want := "初审/u-director/approved 终审/u-director2/rejected 初审/u-reviewer/approved 终审/u-director/approved"
	if strings.Join(steps, " ") != want {
		t.Fatalf("reviews:\n got %v\nwant %s", steps, want)
	}
}

// A channel may allow one person to take several steps
// (review.distinctSteps false); authorship still bars them.
func TestDistinctStepsIsAChannelSetting(t *testing.T) {
	t.Parallel()
	off := false
	var tree *channel.Tree
	e := newEnvWith(t, func(d *content.Deps) {
		c := channel.Channel{Key: "notices", Name: "通知公告", Types: []string{channel.TypeArticle},
			Visibility: channel.Public, Department: "xinxi", Review: &channel.Review{DistinctSteps: &off}}
		data, _ := json.Marshal(c)
		if _, err := d.Store.Put(t.Context(), channel.Collection, c.Key, data, 0); err != nil {
			t.Fatal(err)
		}
		var err error
		if tree, err = channel.Load(t.Context(), d.Store); err != nil {
			t.Fatal(err)
		}
		d.Channels = tree
	})
	for _, key := range []string{"news", "files-interpretation", "leader-wang-speeches", "library-drc"} {
		if c, ok := tree.Get(key); !ok || !c.DistinctSteps() {
			t.Fatalf("standard channel %s does not keep the default", key)
		}
	}
	in := article("通知公告")
	in.Channel = "notices"
	v := e.must(e.svc.Create(e.ctx, editor, in))
	v = e.must(e.svc.Submit(e.ctx, editor, v.ID, content.VersionInput{Version: v.Version}))
	v = e.must(e.svc.Approve(e.ctx, director, v.ID, content.ApproveInput{Version: v.Version}))
	if !e.queueHas(director, v.ID) {
		t.Fatal("with distinct steps off, the 初审 reviewer may take 终审")
	}
	v = e.must(e.svc.Approve(e.ctx, director, v.ID, content.ApproveInput{Version: v.Version}))
	if v.Document.State != content.StatePublished {
		t.Fatalf("state %s", v.Document.State)
	}

	w := e.must(e.svc.Create(e.ctx, editsAndReviews, func() content.CreateInput { in.Fields.Title = "自写"; return in }()))
	w = e.must(e.svc.Submit(e.ctx, editor, w.ID, content.VersionInput{Version: w.Version}))
	_, err := e.svc.Approve(e.ctx, editsAndReviews, w.ID, content.ApproveInput{Version: w.Version})
	wantProblem(t, err, 403, content.CodeSelfReview)
}

// A channel belongs to a department (or to the whole office): creating,
// editing and submitting in it needs the edit permission there.
func TestChannelOwnership(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// 督查室's editor cannot post in 信息处's 政务要闻, even as 督查室.
	in := article("督查室写进政务要闻")
	in.Department = "ducha"
	_, err := e.svc.Create(e.ctx, dcEditor, in)
	p := wantProblem(t, err, 403, content.CodeChannelNotOwned)
	if !strings.Contains(p.Zh, "政务要闻") || p.Extra["channel"] != "news" {
		t.Fatalf("problem: %q %v", p.Zh, p.Extra)
	}
	if n := len(e.refusals("portal.document.create", "channels/news")); n != 1 {
		t.Fatalf("refused creation audited %d times", n)
	}
	// Nor can 信息处's editor post in 秘书一处's leaders' channels.
	speech := article("讲话")
	speech.Type, speech.Channel = channel.TypeSpeech, "leader-wang-speeches"
	speech.Fields = content.Fields{Title: "讲话", Body: "<p>正文</p>", Leader: "王建国", Occasion: "全省大会", Date: "2026-03-01"}
	_, err = e.svc.Create(e.ctx, editor, speech)
	wantProblem(t, err, 403, content.CodeChannelNotOwned)
	// An office-wide channel takes every department's documents.
	in.Channel = "files-interpretation"
	e.must(e.svc.Create(e.ctx, dcEditor, in))

	// A 督查室 document in 政务要闻 (made by someone who may write in both)
	// is still closed to an editor of 督查室 alone: editing and submitting
	// need the channel's department too.
	both := principal("u-both-depts", "两处编辑", testkit.Holds(edit, "xinxi", "ducha"))
	in.Channel = "news"
	v := e.must(e.svc.Create(e.ctx, both, in))
	_, err = e.svc.UpdateDraft(e.ctx, dcEditor, v.ID, content.DraftInput{Version: v.Version, Fields: content.Fields{Title: "改"}})
	wantProblem(t, err, 403, content.CodeChannelNotOwned)
	_, err = e.svc.Submit(e.ctx, dcEditor, v.ID, content.VersionInput{Version: v.Version})
	wantProblem(t, err, 403, content.CodeChannelNotOwned)
	if n := len(e.refusals("portal.document.submit", v.ID)); n != 1 {
		t.Fatalf("refused submission audited %d times", n)
	}
	e.must(e.svc.Submit(e.ctx, both, v.ID, content.VersionInput{Version: v.Version}))
}
