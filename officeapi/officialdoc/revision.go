package officialdoc

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// RevisionCollection keeps every version of a document's 正文, id
// "<document>@<n>", written with the change that made it.
const RevisionCollection = "official_document_revisions"

// Revision is one version of the 正文: who wrote it, when, the sanitised
// body.
type Revision struct {
	Document   string    `json:"document"`
	N          int       `json:"n"`
	Author     string    `json:"author"`
	AuthorName string    `json:"authorName"`
	At         time.Time `json:"at"`
	Body       string    `json:"body"`
}

func revisionID(doc string, n int) string { return fmt.Sprintf("%s@%d", doc, n) }

// RevisionList is a document's revisions, oldest first.
type RevisionList struct {
	Items []Revision `json:"items"`
}

// nodesEditable are the 发文 nodes whose holder may change the text
// (修改 during 审核, 签发 and 复核) besides the drafter's own 起草.
var nodesEditable = []string{nodeDraft, "review", nodeSign, "recheck"}

// EditInput is a changed draft (PUT /documents/{id}): the whole of its
// fields and the version read (compare-and-set: 409 when it moved on).
type EditInput struct {
	Input
	Version int64 `json:"version" validate:"required,min=1" doc:"读取时的版本号（并发修改时 409）"`
}

// Edit changes a document's fields: its drafter while it is a draft or
// back at 起草, the holder of an open 审核, 签发 or 复核 task (修改); the
// direction and department stay. A change of the 正文 keeps a revision.
func (s *Service) Edit(ctx context.Context, a records.Actor, id string, in EditInput) (View, error) {
	d, doc, err := s.docs.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	if !mayEdit(&d, a.P) {
		return View{}, s.docs.Refused(ctx, a, "officialdoc.edit", Collection+"/"+id, problem.Forbidden())
	}
	if in.Direction != d.Direction {
		return View{}, problem.Invalid(problem.Field("direction", "不能改变收发文方向", "the direction cannot change"))
	}
	if !a.P.MayRead(in.Classification) {
		return View{}, problem.Invalid(problem.Field("classification", "密级不能高于本人的涉密等级", "above your clearance"))
	}
	if err := checkInput(in.Input); err != nil {
		return View{}, err
	}
	if doc.Version != in.Version {
		return View{}, stale()
	}
	body := richtext.Sanitize(in.Body)
	revised := body != d.Body
	d.DocType, d.CopyNo, d.Classification, d.SecrecyPeriod, d.Urgency = in.DocType, in.CopyNo, in.Classification, strings.TrimSpace(in.SecrecyPeriod), in.Urgency
	d.Issuer, d.IssuerCode, d.Title, d.MainTo = strings.TrimSpace(in.Issuer), strings.TrimSpace(in.IssuerCode), strings.TrimSpace(in.Title), trimAll(in.MainTo)
	d.Body, d.Attachments, d.Signature, d.WrittenOn, d.Note = body, in.Attachments, strings.TrimSpace(in.Signature), in.WrittenOn, strings.TrimSpace(in.Note)
	d.JointIssuers = trimAll(in.JointIssuers)
	d.Sealed, d.CopyTo, d.PrintedBy, d.Knowers = in.DocType != "纪要", trimAll(in.CopyTo), strings.TrimSpace(in.PrintedBy), in.Knowers
	if d.State == StateDraft {
		d.Cosigners = in.Cosigners // once running, 会签 is the flow's (加签)
	}
	if d.MainTo == nil {
		d.MainTo = []string{}
	}
	d.UpdatedAt = s.docs.Now()
	v, err := s.commit(ctx, a, &d, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "officialdoc.edit", Target: Collection + "/" + id,
		Outcome: audit.Success, Details: map[string]any{"revised": revised, "revision": d.Revision}}, in.Version, revised)
	if p := problem.As(err); p != nil && p.Status == 409 {
		return View{}, stale()
	}
	return v, err
}

func stale() error {
	return problem.Conflict("公文已被他人修改，请刷新后重试", "the document changed since it was read: reload and try again")
}

// mayEdit: the drafter of a draft, or the holder of an open task at 起草,
// 审核, 签发 or 复核 of a 发文.
func mayEdit(d *Document, p *auth.Principal) bool {
	if d.State == StateDraft {
		return d.Drafter == p.UserID
	}
	return d.State == StateProcessing && d.Direction == Outgoing && slices.ContainsFunc(d.Tasks, func(t Task) bool {
		return t.Assignee == p.UserID && slices.Contains(nodesEditable, t.Node)
	})
}

// Revisions lists the versions of a document's 正文, for whoever may read
// the document.
func (s *Service) Revisions(ctx context.Context, p *auth.Principal, id string) (RevisionList, error) {
	d, _, err := s.docs.Get(ctx, p, id)
	if err != nil {
		return RevisionList{}, err
	}
	out := RevisionList{Items: []Revision{}}
	for n := 1; n <= d.Revision; n++ {
		r, _, err := store.Load[Revision](ctx, s.store, RevisionCollection, revisionID(id, n))
		if err != nil {
			return RevisionList{}, err
		}
		out.Items = append(out.Items, r)
	}
	return out, nil
}

// DiffQuery names the two revisions compared.
type DiffQuery struct {
	From int `query:"from" validate:"required,min=1" doc:"旧版本序号"`
	To   int `query:"to" validate:"required,min=1" doc:"新版本序号"`
}

// Diff is the change of the 正文's text (tags stripped) from one revision
// to another, character by character (Chinese has no spaces between
// words), cleaned up to readable runs.
type Diff struct {
	From  int        `json:"from"`
	To    int        `json:"to"`
	Parts []DiffPart `json:"parts"`
}

// DiffPart is a run of text: equal, insert or delete.
type DiffPart struct {
	Op   string `json:"op" validate:"oneof=equal insert delete"`
	Text string `json:"text"`
}

// Diff compares two revisions of a document's 正文 (github.com/sergi/go-diff:
// Myers' diff with semantic clean-up).
func (s *Service) Diff(ctx context.Context, p *auth.Principal, id string, q DiffQuery) (Diff, error) {
	d, _, err := s.docs.Get(ctx, p, id)
	if err != nil {
		return Diff{}, err
	}
	for field, n := range map[string]int{"from": q.From, "to": q.To} {
		if n > d.Revision {
			return Diff{}, problem.Invalid(problem.Field(field, fmt.Sprintf("没有第 %d 版", n), fmt.Sprintf("no revision %d", n)))
		}
	}
	var texts [2]string
	for i, n := range []int{q.From, q.To} {
		r, _, err := store.Load[Revision](ctx, s.store, RevisionCollection, revisionID(id, n))
		if err != nil {
			return Diff{}, err
		}
		texts[i] = richtext.PlainText(r.Body)
	}
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(texts[0], texts[1], false))
	out := Diff{From: q.From, To: q.To, Parts: []DiffPart{}}
	ops := map[diffmatchpatch.Operation]string{diffmatchpatch.DiffEqual: "equal", diffmatchpatch.DiffInsert: "insert", diffmatchpatch.DiffDelete: "delete"}
	for _, df := range diffs {
		out.Parts = append(out.Parts, DiffPart{Op: ops[df.Type], Text: df.Text})
	}
	return out, nil
}
