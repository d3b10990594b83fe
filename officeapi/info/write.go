package info

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// Input is the editable part of an item (create and update).
type Input struct {
	Department     string               `json:"department" validate:"omitempty,max=64"`
	Kind           string               `json:"kind" validate:"required,oneof=notice briefing update internal"`
	Title          string               `json:"title" validate:"required,max=200"`
	Summary        string               `json:"summary" validate:"max=1000"`
	Body           string               `json:"body" validate:"max=500000"`
	Classification classification.Level `json:"classification" validate:"required,classification"`
	Principals     []string             `json:"principals" validate:"max=500,dive,required,max=64"`
	Audience       string               `json:"audience" validate:"required,oneof=department office portal"`
	Attachments    []Attachment         `json:"attachments" validate:"max=50,dive"`
}

func (in *Input) check(p *auth.Principal) error {
	if strings.TrimSpace(in.Title) == "" {
		return problem.Invalid(problem.Field("title", "标题不能为空", "title is required"))
	}
	if !p.MayRead(in.Classification) {
		return problem.Invalid(problem.Field("classification", "密级不能高于您本人的密级", "classification is above your clearance"))
	}
	return nil
}

// attachments checks that every attachment names a stored file and takes
// its type and size from the store (what the upload's content sniffing
// found), never from the client.
func (s *Service) attachments(ctx context.Context, in []Attachment) ([]Attachment, error) {
	out := make([]Attachment, 0, len(in))
	for i, a := range in {
		if s.deps.Media == nil {
			return nil, problem.Invalid(problem.Field("attachments", "此处不能添加附件", "attachments are not available here"))
		}
		stored, ok, err := s.deps.Media(ctx, a.MediaID)
		if err != nil {
			return nil, err
		}
		field := "attachments[" + strconv.Itoa(i) + "].mediaId"
		if !ok {
			return nil, problem.Invalid(problem.Field(field, "附件文件不存在，请重新上传", "no such file; upload it again"))
		}
		if name := strings.TrimSpace(a.Name); name != "" {
			stored.Name = name
		}
		out = append(out, stored)
	}
	return out, nil
}

func (in *Input) apply(it *Item, files []Attachment) {
	it.Kind, it.Title, it.Summary = in.Kind, strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary)
	it.Body = richtext.Sanitize(in.Body)
	it.Classification, it.Audience = in.Classification, in.Audience
	it.Principals = []string{}
	for _, u := range in.Principals {
		if !slices.Contains(it.Principals, u) {
			it.Principals = append(it.Principals, u)
		}
	}
	if len(it.Principals) > 0 && !slices.Contains(it.Principals, it.Author) {
		it.Principals = append(it.Principals, it.Author)
	}
	it.Attachments = files
}

// Create writes a new draft in a department.
func (s *Service) Create(ctx context.Context, a Actor, in Input) (View, error) {
	if in.Department == "" {
		return View{}, problem.Invalid(problem.Field("department", "部门不能为空", "department is required"))
	}
	if !a.P.Can(PermEdit, in.Department) {
		return View{}, s.items.Refused(ctx, a, "info.item.create", Collection+"/"+in.Department, problem.Forbidden())
	}
	if err := in.check(a.P); err != nil {
		return View{}, err
	}
	files, err := s.attachments(ctx, in.Attachments)
	if err != nil {
		return View{}, err
	}
	now := s.items.Now()
	it := Item{Department: in.Department, State: StateDraft, Revision: 1, Author: a.P.UserID, CreatedAt: now, UpdatedAt: now}
	in.apply(&it, files)
	return view(s.items.Create(ctx, a, "info.item.create", it,
		map[string]any{"department": it.Department, "classification": it.Classification}))
}

// Update edits an item at the given version (stale: 409). Editing a
// published item bumps its revision and returns it to review.
func (s *Service) Update(ctx context.Context, a Actor, id string, version int64, in Input) (View, error) {
	cur, err := s.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	it := cur.Item
	if !a.P.Can(PermEdit, it.Department) {
		return View{}, s.items.Refused(ctx, a, "info.item.update", Collection+"/"+id, problem.Forbidden())
	}
	if in.Department != "" && in.Department != it.Department {
		return View{}, problem.Invalid(problem.Field("department", "不能修改所属部门", "department cannot be changed"))
	}
	if err := in.check(a.P); err != nil {
		return View{}, err
	}
	if version != cur.Version {
		return View{}, stale()
	}
	files, err := s.attachments(ctx, in.Attachments)
	if err != nil {
		return View{}, err
	}
	prevClass := it.Classification
	in.apply(&it, files)
	switch it.State {
	case StatePublished:
		it.Revision++
		it.State, it.SubmittedBy = StateSubmitted, a.P.UserID
	case StateRejected, StateWithdrawn:
		it.State = StateDraft
	}
	it.RejectedReason, it.WithdrawnReason = "", ""
	// A changed item needs a fresh portal approval; a classified or
	// restricted one loses its designation altogether.
	it.Portal.Approved = false
	if it.Classification != classification.Feimi || len(it.Principals) > 0 || it.Audience != AudiencePortal {
		it.Portal.Designated = false
	}
	it.UpdatedAt = s.items.Now()
	it, doc, err := s.items.Put(ctx, a, "info.item.update", it, version, map[string]any{"revision": it.Revision,
		"classification": it.Classification, "previousClassification": prevClass})
	if errors.Is(err, store.ErrConflict) {
		return View{}, stale()
	}
	return view(it, doc, err)
}

func stale() error {
	return problem.Conflict("信息已被他人修改，请刷新后重试", "the item was changed by someone else; reload and retry")
}

var stateNames = map[string]string{StateDraft: "草稿", StateSubmitted: "待审核", StatePublished: "已发布",
	StateRejected: "已退回", StateWithdrawn: "已撤回"}

func wrongState(it *Item, want ...string) error {
	if slices.Contains(want, it.State) {
		return nil
	}
	return problem.InvalidState(stateNames[it.State], it.State)
}

// transition applies one workflow step as a compare-and-set on the
// current document, checking rights and state inside it; the step and its
// audit entry commit together, and a refused step is audited too.
func (s *Service) transition(ctx context.Context, a Actor, action, id string, step func(*Item) error, details map[string]any) (View, error) {
	return view(s.items.Step(ctx, a, action, id, func(it *Item) (map[string]any, error) {
		if err := step(it); err != nil {
			return nil, err
		}
		it.UpdatedAt = s.items.Now()
		if details == nil {
			details = map[string]any{}
		}
		details["state"], details["revision"] = it.State, it.Revision
		return details, nil
	}))
}

func mayReview(p *auth.Principal, it *Item) bool {
	if it.Audience == AudienceDepartment {
		return p.Can(PermReview, it.Department)
	}
	return p.Can(PermReview, auth.OfficeWide)
}

// Submit sends a draft or rejected item to review.
func (s *Service) Submit(ctx context.Context, a Actor, id string) (View, error) {
	return s.transition(ctx, a, "info.item.submit", id, func(it *Item) error {
		if !a.P.Can(PermEdit, it.Department) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateDraft, StateRejected); err != nil {
			return err
		}
		it.State, it.RejectedReason, it.SubmittedBy = StateSubmitted, "", a.P.UserID
		return nil
	}, nil)
}

// selfReview refuses a reviewer who wrote or submitted the item (审核分离:
// no one approves their own work).
func selfReview(p *auth.Principal, it *Item) error {
	if p.UserID == it.Author || p.UserID == it.SubmittedBy {
		return problem.New(403, problem.CodeSelfReview, "不能审核本人撰写或报送的信息", "you may not review an item you wrote or submitted")
	}
	return nil
}

// Approve publishes a submitted item (department review for department
// items, the office information section for office and portal items) and
// applies the auto-publish rules.
func (s *Service) Approve(ctx context.Context, a Actor, id string) (View, error) {
	rules, err := s.Rules(ctx)
	if err != nil {
		return View{}, err
	}
	details := map[string]any{}
	return s.transition(ctx, a, "info.item.approve", id, func(it *Item) error {
		if !mayReview(a.P, it) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateSubmitted); err != nil {
			return err
		}
		if err := selfReview(a.P, it); err != nil {
			return err
		}
		now := s.items.Now()
		it.State, it.PublishedAt = StatePublished, &now
		delete(details, "rule")
		if it.Audience == AudienceDepartment {
			return nil
		}
		for _, r := range rules {
			if r.Department != it.Department || r.Kind != it.Kind {
				continue
			}
			if it.Classification != classification.Feimi || len(it.Principals) > 0 {
				details["ruleSkipped"] = r.ID
				break
			}
			it.Audience = AudiencePortal
			it.Portal = Portal{Designated: true, Channel: r.Channel, Approved: true, ApprovedBy: "rule:" + r.ID,
				ApprovedAt: &now, ApprovedRevision: it.Revision, EmbargoUntil: it.Portal.EmbargoUntil}
			details["rule"] = r.ID
			break
		}
		return nil
	}, details)
}

// Reject returns a submitted item to its department with a reason.
func (s *Service) Reject(ctx context.Context, a Actor, id, reason string) (View, error) {
	return s.transition(ctx, a, "info.item.reject", id, func(it *Item) error {
		if !mayReview(a.P, it) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateSubmitted); err != nil {
			return err
		}
		it.State, it.RejectedReason = StateRejected, reason
		return nil
	}, map[string]any{"reason": reason})
}

// Withdraw takes a submitted or published item down.
func (s *Service) Withdraw(ctx context.Context, a Actor, id, reason string) (View, error) {
	return s.transition(ctx, a, "info.item.withdraw", id, func(it *Item) error {
		if !a.P.Can(PermEdit, it.Department) && !mayReview(a.P, it) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateSubmitted, StatePublished); err != nil {
			return err
		}
		it.State, it.WithdrawnReason = StateWithdrawn, reason
		it.Portal.Approved = false
		return nil
	}, map[string]any{"reason": reason})
}

func classifiedRefusal(it *Item) error {
	if it.Classification != classification.Feimi {
		return problem.Invalid(problem.Field("classification",
			"密级为“"+string(it.Classification)+"”的信息不得发往门户网站，只有非密信息可以",
			"only unclassified (非密) items may go to the portal")).With("classification", it.Classification)
	}
	if len(it.Principals) > 0 {
		return problem.Invalid(problem.Field("principals", "限定知悉范围的信息不得发往门户网站",
			"items with a need-to-know list may not go to the portal"))
	}
	if it.Audience != AudiencePortal {
		return problem.Invalid(problem.Field("audience", "只有发布范围为“门户”的信息可以发往门户网站",
			"only items with audience portal may go to the portal"))
	}
	return nil
}

// Designate marks an item for a portal channel (the department's editor).
func (s *Service) Designate(ctx context.Context, a Actor, id, channel string, embargo *time.Time) (View, error) {
	return s.transition(ctx, a, "info.item.designate", id, func(it *Item) error {
		if !a.P.Can(PermEdit, it.Department) {
			return problem.Forbidden()
		}
		if err := classifiedRefusal(it); err != nil {
			return err
		}
		if err := wrongState(it, StateDraft, StateSubmitted, StatePublished); err != nil {
			return err
		}
		it.Portal.Designated, it.Portal.Channel, it.Portal.EmbargoUntil = true, channel, embargo
		it.Portal.Approved = false
		return nil
	}, map[string]any{"channel": channel})
}

// PortalApprove lets the gateway carry the item's current revision.
func (s *Service) PortalApprove(ctx context.Context, a Actor, id string) (View, error) {
	return s.transition(ctx, a, "info.item.portal_approve", id, func(it *Item) error {
		if !a.P.Can(PermPublish, auth.OfficeWide) {
			return problem.Forbidden()
		}
		if err := classifiedRefusal(it); err != nil {
			return err
		}
		if err := wrongState(it, StatePublished); err != nil {
			return err
		}
		if !it.Portal.Designated || it.Portal.Channel == "" {
			return problem.Invalid(problem.Field("portal.designated", "信息尚未指定门户栏目", "the item is not designated for a portal channel"))
		}
		now := s.items.Now()
		it.Portal.Approved, it.Portal.ApprovedBy, it.Portal.ApprovedAt = true, a.P.UserID, &now
		it.Portal.ApprovedRevision = it.Revision
		return nil
	}, nil)
}

// PortalRevoke withdraws the portal approval.
func (s *Service) PortalRevoke(ctx context.Context, a Actor, id, reason string) (View, error) {
	return s.transition(ctx, a, "info.item.portal_revoke", id, func(it *Item) error {
		if !a.P.Can(PermPublish, auth.OfficeWide) {
			return problem.Forbidden()
		}
		if !it.Portal.Approved {
			return problem.New(409, problem.CodeInvalidState, "该信息未获门户发布批准", "the item is not portal-approved")
		}
		it.Portal.Approved = false
		return nil
	}, map[string]any{"reason": reason})
}
