package content

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"zhengwu/cms/item"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/validation"
)

// CreateInput is a new document with its first edition.
type CreateInput struct {
	Type       string `json:"type" validate:"required,oneof=article policy speech activity report"`
	Channel    string `json:"channel" validate:"required,max=64,nocontrol"`
	Department string `json:"department" validate:"required,max=64,nocontrol"`
	Fields     Fields `json:"fields"`
	ChangeNote string `json:"changeNote" validate:"max=500,nocontrol"`
}

// DraftInput replaces the working edition's fields.
type DraftInput struct {
	Version    int64  `json:"version" validate:"required,min=1"`
	Fields     Fields `json:"fields"`
	ChangeNote string `json:"changeNote" validate:"max=500,nocontrol"`
}

// VersionInput is a step that needs nothing but the version (submit,
// remove). Version 0 (absent) skips the staleness check; the step is
// still one compare-and-set on what it read.
type VersionInput struct {
	Version int64 `json:"version" validate:"min=0"`
}

// ApproveInput approves the current review step; on the last step the
// edition is published, or scheduled when PublishAt is in the future.
type ApproveInput struct {
	Version   int64      `json:"version" validate:"required,min=1"`
	Comment   string     `json:"comment" validate:"max=1000,nocontrol"`
	PublishAt *time.Time `json:"publishAt,omitempty"`
}

// RejectInput sends the edition back to draft with a reason.
type RejectInput struct {
	Version int64  `json:"version" validate:"required,min=1"`
	Reason  string `json:"reason" validate:"required,max=1000"`
}

// WithdrawInput withdraws the live edition now, or at At.
type WithdrawInput struct {
	Version int64      `json:"version" validate:"min=0"`
	Reason  string     `json:"reason" validate:"required,max=1000"`
	At      *time.Time `json:"at,omitempty"`
}

// RedirectInput sends readers to another published document.
type RedirectInput struct {
	Version int64  `json:"version" validate:"min=0"`
	To      string `json:"to" validate:"required,max=64,nocontrol"`
}

// RollbackInput republishes an earlier edition's fields as a new edition.
type RollbackInput struct {
	Version    int64  `json:"version" validate:"min=0"`
	Edition    int    `json:"edition" validate:"required,min=1"`
	ChangeNote string `json:"changeNote" validate:"max=500,nocontrol"`
}

func checkPrincipal(p *auth.Principal) error {
	if p == nil || p.UserID == "" {
		return problem.Unauthenticated("missing principal")
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Create makes a document and its first (draft) edition. The caller needs
// portal.item.edit in the document's department and in the channel's
// (see mayWriteIn).
func (s *Service) Create(ctx context.Context, p *auth.Principal, in CreateInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	if err := validation.Struct(&in); err != nil {
		return View{}, err
	}
	c, ok := s.channels.Get(in.Channel)
	switch {
	case !ok:
		return View{}, problem.Invalid(problem.Field("channel", "栏目不存在", "no such channel"))
	case !c.Accepts(in.Type):
		return View{}, problem.Invalid(problem.Field("type", "该栏目不接受此内容类型", "the channel does not take this content type"))
	}
	if !p.Can(PermEdit, in.Department) {
		return View{}, problem.Forbidden()
	}
	if err := s.mayWriteIn(p, c); err != nil {
		s.audit(ctx, p, "portal.document.create", "channels/"+in.Channel, audit.Failure, problem.As(err).En,
			map[string]any{"channel": in.Channel, "department": in.Department, "type": in.Type})
		return View{}, err
	}
	if err := s.validateFields(ctx, in.Type, "", &in.Fields); err != nil {
		return View{}, err
	}
	now := s.now().UTC()
	id := uuid.NewString()
	e := &Edition{DocID: id, Number: 1, State: EditionDraft, Fields: in.Fields, ChangeNote: in.ChangeNote,
		Editor: p.UserID, EditorName: p.Name, Authors: []string{p.UserID}, CreatedAt: now, UpdatedAt: now}
	r := record{Document: Document{Heading: Heading{ID: id, Type: in.Type, Channel: in.Channel, Department: in.Department},
		Editions: 1, CreatedBy: p.UserID, CreatedAt: now}, Draft: e}
	return s.commit(ctx, p.UserID, r, 0, now, change{action: "portal.document.create", editions: []*Edition{e},
		details: map[string]any{"channel": in.Channel, "department": in.Department, "type": in.Type}})
}

// UpdateDraft replaces the working edition's fields. On a published or
// withdrawn document without a working edition it starts a new one.
func (s *Service) UpdateDraft(ctx context.Context, p *auth.Principal, id string, in DraftInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	if err := validation.Struct(&in); err != nil {
		return View{}, err
	}
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.edit"}
		if err := s.mayEdit(p, r); err != nil {
			return ch, err
		}
		e := r.Draft
		switch {
		case e != nil && e.State == EditionDraft:
		case e == nil && (r.Live == StatePublished || r.Live == StateWithdrawn):
			r.Editions++
			e = &Edition{DocID: r.ID, Number: r.Editions, State: EditionDraft, CreatedAt: now}
			r.Draft = e
		default:
			return ch, errState("文档当前状态（"+r.State+"）不能编辑", "the document cannot be edited in state "+r.State)
		}
		if err := s.validateFields(ctx, r.Type, r.ID, &in.Fields); err != nil {
			return change{}, err
		}
		e.Fields, e.ChangeNote = in.Fields, in.ChangeNote
		e.Editor, e.EditorName, e.UpdatedAt = p.UserID, p.Name, now
		addAuthor(e, p.UserID)
		ch.editions = []*Edition{e}
		ch.details = map[string]any{"edition": e.Number}
		return ch, nil
	})
}

// Submit sends the draft edition to the first review step.
func (s *Service) Submit(ctx context.Context, p *auth.Principal, id string, in VersionInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.submit"}
		if err := s.mayEdit(p, r); err != nil {
			return ch, err
		}
		if r.Draft == nil || r.Draft.State != EditionDraft {
			return ch, errState("只有草稿可以提交审核", "only a draft can be submitted")
		}
		steps := s.steps(r)
		e := r.Draft
		e.State = EditionInReview
		e.SubmittedBy, e.SubmittedByName, e.SubmittedAt = p.UserID, p.Name, &now
		e.Round++
		e.UpdatedAt = now
		r.Draft.State = EditionInReview
		r.StepIndex, r.Step = 0, steps[0]
		r.State = StateInReview
		r.Queue = queueTokens(needOf(steps, 0), r.Department)
		r.Barred = s.barred(r, r.Step)
		ch.editions = []*Edition{e}
		ch.details = map[string]any{"edition": e.Number, "step": r.Step}
		return ch, nil
	})
}

// reviewable checks that r awaits a step the caller may take, as the
// separation rules allow (separation.go).
func (s *Service) reviewable(p *auth.Principal, r *record) ([]string, stepNeed, error) {
	if r.Draft == nil || r.Draft.State != EditionInReview {
		return nil, 0, errState("文档不在审核中", "the document is not in review")
	}
	return s.checkReviewer(p, r, true)
}

func (s *Service) checkReviewer(p *auth.Principal, r *record, approving bool) ([]string, stepNeed, error) {
	steps := s.steps(r)
	if r.StepIndex >= len(steps) {
		r.StepIndex = len(steps) - 1
	}
	need := needOf(steps, r.StepIndex)
	if !mayTake(p, need, r.Department) {
		return nil, 0, problem.Forbidden()
	}
	if err := s.checkSeparation(p, r, steps[r.StepIndex], approving); err != nil {
		return nil, 0, err
	}
	return steps, need, nil
}

// Approve approves the current step: the next step follows, or on the
// last step the edition is published (scheduled if PublishAt is later).
func (s *Service) Approve(ctx context.Context, p *auth.Principal, id string, in ApproveInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	if err := validation.Struct(&in); err != nil {
		return View{}, err
	}
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.approve", details: map[string]any{"step": r.Step}}
		steps, _, err := s.reviewable(p, r)
		if err != nil {
			return ch, err
		}
		e := r.Draft
		e.Reviews = append(e.Reviews, Review{Step: steps[r.StepIndex], Round: e.Round, Reviewer: p.UserID, ReviewerName: p.Name,
			Decision: DecisionApproved, Comment: in.Comment, At: now})
		e.UpdatedAt = now
		ch.editions = []*Edition{e}
		ch.details["edition"] = e.Number
		if r.StepIndex < len(steps)-1 {
			r.StepIndex++
			r.Step = steps[r.StepIndex]
			r.Queue = queueTokens(needOf(steps, r.StepIndex), r.Department)
			r.Barred = s.barred(r, r.Step)
			return ch, nil
		}
		if in.PublishAt != nil && in.PublishAt.After(now) {
			at := in.PublishAt.UTC()
			e.State, e.PublishAt = EditionScheduled, &at
			r.PublishAt = &at
			r.State = StateScheduled
			ch.action = "portal.document.schedule"
			ch.details["publishAt"] = at
			ch.item = r.Live == StatePublished // NextChangeAt
			return ch, nil
		}
		ch.action = "portal.document.publish"
		ch.editions = publishDraft(r, now, p.UserID)
		ch.item, ch.propagate = true, true
		return ch, nil
	})
}

// publishDraft makes the working edition live, superseding the previous
// one, and returns the editions it changed.
func publishDraft(r *record, now time.Time, by string) []*Edition {
	var changed []*Edition
	if old := r.Pub; old != nil {
		old.State, old.SupersededAt = EditionSuperseded, &now
		changed = append(changed, old)
	}
	e := r.Draft
	e.State, e.PublishAt = EditionPublished, nil
	e.PublishedAt, e.PublishedBy, e.UpdatedAt = &now, by, now
	changed = append(changed, e)
	r.Pub, r.Draft = e, nil
	r.Live = StatePublished
	r.Withdrawal, r.RedirectTo, r.PublishAt = nil, "", nil
	if r.FirstPublishedAt == nil {
		r.FirstPublishedAt = &now
	}
	return changed
}

// Reject sends the edition back to draft; the reason is required. It also
// cancels a scheduled publication (by a publisher).
func (s *Service) Reject(ctx context.Context, p *auth.Principal, id string, in RejectInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	if blank(in.Reason) {
		return View{}, problem.Invalid(problem.Field("reason", "退回原因为必填字段", "reason is required"))
	}
	if err := validation.Struct(&in); err != nil {
		return View{}, err
	}
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.reject", details: map[string]any{"step": r.Step}}
		if r.Draft != nil && r.Draft.State == EditionScheduled {
			// A scheduled edition is taken back by whoever may take the
			// last step: the schedule is cancelled, the edition is a draft.
			r.StepIndex = len(s.steps(r)) - 1
			ch.item = r.Live == StatePublished // NextChangeAt goes
		} else if r.Draft == nil || r.Draft.State != EditionInReview {
			return ch, errState("文档不在审核中", "the document is not in review")
		}
		steps, _, err := s.checkReviewer(p, r, false)
		if err != nil {
			return ch, err
		}
		e := r.Draft
		e.Reviews = append(e.Reviews, Review{Step: steps[r.StepIndex], Round: e.Round, Reviewer: p.UserID, ReviewerName: p.Name,
			Decision: DecisionRejected, Comment: strings.TrimSpace(in.Reason), At: now})
		e.State, e.UpdatedAt, e.PublishAt = EditionDraft, now, nil
		r.PublishAt = nil
		ch.editions = []*Edition{e}
		ch.details["edition"] = e.Number
		ch.details["reason"] = strings.TrimSpace(in.Reason)
		return ch, nil
	})
}

// Withdraw takes the live edition off the portal now (it stays readable
// with a notice and the reason) or schedules that for At.
func (s *Service) Withdraw(ctx context.Context, p *auth.Principal, id string, in WithdrawInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	if blank(in.Reason) {
		return View{}, problem.Invalid(problem.Field("reason", "撤回原因为必填字段", "reason is required"))
	}
	if err := validation.Struct(&in); err != nil {
		return View{}, err
	}
	reason := strings.TrimSpace(in.Reason)
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.withdraw", item: true, details: map[string]any{"reason": reason}}
		if !mayPublish(p) {
			return ch, problem.Forbidden()
		}
		if r.Live != StatePublished {
			return ch, errState("只有已发布的文档可以撤回", "only a published document can be withdrawn")
		}
		if in.At != nil && in.At.After(now) {
			at := in.At.UTC()
			r.WithdrawAt, r.WithdrawReason = &at, reason
			ch.action = "portal.document.schedule_withdrawal"
			ch.details["at"] = at
			return ch, nil
		}
		withdrawNow(r, now, reason)
		return ch, nil
	})
}

func withdrawNow(r *record, now time.Time, reason string) {
	r.Live = StateWithdrawn
	r.Withdrawal = &item.Notice{Reason: reason, At: now}
	r.WithdrawAt, r.WithdrawReason = nil, ""
}

// Redirect sends readers of this document to another published one.
func (s *Service) Redirect(ctx context.Context, p *auth.Principal, id string, in RedirectInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	if err := validation.Struct(&in); err != nil {
		return View{}, err
	}
	if in.To == id {
		return View{}, problem.Invalid(problem.Field("to", "不能重定向到文档自身", "a document cannot redirect to itself"))
	}
	target, _, err := store.Load[record](ctx, s.store, DocumentsCollection, in.To)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) || (err == nil && target.Live != StatePublished) {
		return View{}, problem.Invalid(problem.Field("to", "目标文档不存在或未发布", "the target does not exist or is not published"))
	}
	if err != nil {
		return View{}, err
	}
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.redirect", item: true, details: map[string]any{"to": in.To}}
		if !mayPublish(p) {
			return ch, problem.Forbidden()
		}
		if r.Live != StatePublished && r.Live != StateWithdrawn {
			return ch, errState("只有已发布或已撤回的文档可以重定向", "only a published or withdrawn document can be redirected")
		}
		r.Live, r.RedirectTo = StateRedirected, in.To
		r.WithdrawAt, r.WithdrawReason = nil, ""
		return ch, nil
	})
}

// Remove takes the document away for good: readers get 410 Gone. A
// working edition is discarded.
func (s *Service) Remove(ctx context.Context, p *auth.Principal, id string, in VersionInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.remove"}
		if !mayPublish(p) {
			return ch, problem.Forbidden()
		}
		if r.Live == StateGone {
			return ch, errState("文档已删除", "the document is already removed")
		}
		if r.Draft != nil {
			r.Draft.State, r.Draft.SupersededAt, r.Draft.UpdatedAt = EditionSuperseded, &now, now
			ch.editions = append(ch.editions, r.Draft)
			r.Draft = nil
		}
		ch.item = r.Pub != nil
		r.Live = StateGone
		r.WithdrawAt, r.WithdrawReason, r.PublishAt = nil, "", nil
		return ch, nil
	})
}

// Rollback republishes edition n's fields as a new edition, at once. Only
// an office-wide publisher may, and only when no edition is being worked on.
func (s *Service) Rollback(ctx context.Context, p *auth.Principal, id string, in RollbackInput) (View, error) {
	if err := checkPrincipal(p); err != nil {
		return View{}, err
	}
	if err := validation.Struct(&in); err != nil {
		return View{}, err
	}
	return s.mutate(ctx, p, id, in.Version, func(r *record, now time.Time) (change, error) {
		ch := change{action: "portal.document.rollback", item: true, details: map[string]any{"from": in.Edition}}
		if !mayPublish(p) {
			return ch, problem.Forbidden()
		}
		if r.Draft != nil {
			return ch, errState("文档有未完成的编辑，请先处理后再回滚", "finish or discard the working edition before rolling back")
		}
		if r.Live != StatePublished && r.Live != StateWithdrawn {
			return ch, errState("只有已发布或已撤回的文档可以回滚", "only a published or withdrawn document can be rolled back")
		}
		old, _, err := store.Load[Edition](ctx, s.store, EditionsCollection, editionID(r.ID, in.Edition))
		if errors.Is(err, store.ErrNotFound) {
			return ch, problem.Invalid(problem.Field("edition", "该版本不存在", "no such edition"))
		}
		if err != nil {
			return ch, err
		}
		if old.PublishedAt == nil {
			return ch, problem.Invalid(problem.Field("edition", "只能回滚到曾经发布过的版本", "only an edition that was published can be restored"))
		}
		note := in.ChangeNote
		if note == "" {
			note = fmt.Sprintf("回滚到第 %d 版", in.Edition)
		}
		r.Editions++
		r.Draft = &Edition{DocID: r.ID, Number: r.Editions, State: EditionDraft, Fields: old.Fields,
			ChangeNote: note, Editor: p.UserID, EditorName: p.Name, RolledBackFrom: in.Edition,
			Reviews:   []Review{{Step: "回滚", Reviewer: p.UserID, ReviewerName: p.Name, Decision: DecisionApproved, Comment: note, At: now}},
			CreatedAt: now, UpdatedAt: now}
		ch.editions = publishDraft(r, now, p.UserID)
		ch.propagate = true
		ch.details["edition"] = r.Editions
		return ch, nil
	})
}
