package leave

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"zhengwu/search/feed"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Deps is what leave requests need from the process.
type Deps struct {
	Store    store.Store
	Trail    *audit.Trail
	Now      func() time.Time // default time.Now
	Log      *slog.Logger     // default slog.Default()
	IndexDir string           // the list index's directory
}

// Service is leave requests. Its list index is a feed.ListIndex: Start,
// Close and Notify are the index's.
type Service struct {
	*feed.ListIndex
	trail *audit.Trail
	store store.Store
	now   func() time.Time
	log   *slog.Logger
}

// New opens the list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Trail == nil {
		return nil, errors.New("leave: Store and Trail are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	list, err := feed.OpenListIndex(feed.ListIndexConfig{Store: d.Store, Dir: d.IndexDir, Mapping: listMapping(),
		Collections: []string{Collection}, Project: project, Logger: d.Log})
	if err != nil {
		return nil, err
	}
	return &Service{ListIndex: list, trail: d.Trail, store: d.Store, now: d.Now, log: d.Log}, nil
}

// Actor is who acts, from where.
type Actor struct {
	P  *auth.Principal
	IP string
}

func notFound() error { return problem.NotFound("请假申请不存在", "no such leave request") }

// Get returns the request if p may read it; otherwise 404, whether or not
// it exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	var r Request
	doc, err := s.store.Get(ctx, Collection, id)
	if err == nil {
		err = doc.Decode(&r)
	}
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) || err == nil && !AccessOf(&r).Allows(p) {
		return View{}, notFound()
	}
	return View{Request: r, Version: doc.Version, Seq: doc.Seq}, err
}

func event(a Actor, action, id string, details map[string]any) audit.Event {
	return audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action, Target: Collection + "/" + id,
		Outcome: audit.Success, Details: details}
}

// refused records a refused action (there is no change to commit it with)
// and returns err.
func (s *Service) refused(ctx context.Context, a Actor, action, id string, err error) error {
	if p := problem.As(err); p == nil || p.Status == 404 {
		return err
	}
	ev := event(a, action, id, nil)
	ev.Outcome, ev.Reason = audit.Failure, problem.As(err).Code
	if _, aerr := s.trail.Record(ctx, ev); aerr != nil {
		s.log.Error("audit of a refusal failed", "action", action, "err", aerr)
	}
	return err
}

// Apply files a request in the applicant's department (the one given, or
// their only one).
func (s *Service) Apply(ctx context.Context, a Actor, in Input) (View, error) {
	dept := in.Department
	if dept == "" && len(a.P.Departments) == 1 {
		dept = a.P.Departments[0]
	}
	if !slices.Contains(a.P.Departments, dept) {
		return View{}, problem.Invalid(problem.Field("department", "请选择本人所在的处室", "choose a department you belong to"))
	}
	if !a.P.Can(auth.PermLeaveApply, dept) {
		return View{}, s.refused(ctx, a, "leave.request.create", dept, problem.Forbidden())
	}
	start, _ := time.Parse(DateLayout, in.Start) // both checked by the validate tags
	end, _ := time.Parse(DateLayout, in.End)
	days := int(end.Sub(start).Hours()/24) + 1
	switch {
	case days < 1:
		return View{}, problem.Invalid(problem.Field("end", "结束日期不能早于开始日期", "end is before start"))
	case days > MaxDays:
		return View{}, problem.Invalid(problem.Field("end", "单次请假不能超过180天", "at most 180 days in one request"))
	case strings.TrimSpace(in.Reason) == "":
		return View{}, problem.Invalid(problem.Field("reason", "请填写请假事由", "reason is required"))
	}
	now := s.now().UTC()
	r := Request{ID: uuid.NewString(), Department: dept, Applicant: a.P.UserID, ApplicantName: a.P.Name,
		Kind: in.Kind, Start: in.Start, End: in.End, Days: days, Reason: strings.TrimSpace(in.Reason),
		State: StatePending, CreatedAt: now, UpdatedAt: now}
	doc, err := audit.Create(ctx, s.trail, Collection, r.ID, r, event(a, "leave.request.create", r.ID,
		map[string]any{"department": dept, "kind": r.Kind, "start": r.Start, "end": r.End}))
	if err != nil {
		return View{}, err
	}
	s.Notify()
	return View{Request: r, Version: doc.Version, Seq: doc.Seq}, nil
}

// step applies one change to a request the actor may read, as a
// compare-and-set committed with its audit entry; a refused step is
// audited too.
func (s *Service) step(ctx context.Context, a Actor, action, id string, change func(*Request) error) (View, error) {
	r, doc, err := audit.Update(ctx, s.trail, Collection, id, func(r *Request) (audit.Event, error) {
		if !AccessOf(r).Allows(a.P) {
			return audit.Event{}, notFound()
		}
		if err := change(r); err != nil {
			return audit.Event{}, err
		}
		r.UpdatedAt = s.now().UTC()
		return event(a, action, id, map[string]any{"state": r.State, "comment": r.Comment}), nil
	})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return View{}, notFound()
	}
	if err != nil {
		return View{}, s.refused(ctx, a, action, id, err)
	}
	s.Notify()
	return View{Request: r, Version: doc.Version, Seq: doc.Seq}, nil
}

func pending(r *Request) error {
	if r.State != StatePending {
		return problem.InvalidState(stateNames[r.State], r.State)
	}
	return nil
}

// decide is the department head's approval or refusal: never of their own
// request (审批分离).
func (s *Service) decide(ctx context.Context, a Actor, id, state, comment string) (View, error) {
	return s.step(ctx, a, "leave.request."+map[string]string{StateApproved: "approve", StateRefused: "refuse"}[state], id,
		func(r *Request) error {
			if !a.P.Can(auth.PermLeaveApprove, r.Department) {
				return problem.Forbidden()
			}
			if r.Applicant == a.P.UserID {
				return problem.New(403, problem.CodeSelfReview, "不能审批本人的请假申请", "you may not decide your own leave request")
			}
			if err := pending(r); err != nil {
				return err
			}
			now := s.now().UTC()
			r.State, r.Comment, r.Approver, r.ApproverName, r.DecidedAt = state, comment, a.P.UserID, a.P.Name, &now
			return nil
		})
}

// Approve grants a pending request.
func (s *Service) Approve(ctx context.Context, a Actor, id string, d Decision) (View, error) {
	return s.decide(ctx, a, id, StateApproved, strings.TrimSpace(d.Comment))
}

// Refuse turns a pending request down; the comment says why.
func (s *Service) Refuse(ctx context.Context, a Actor, id string, d Decision) (View, error) {
	if strings.TrimSpace(d.Comment) == "" {
		return View{}, problem.Invalid(problem.Field("comment", "不予批准时须填写意见", "a refusal needs a comment"))
	}
	return s.decide(ctx, a, id, StateRefused, strings.TrimSpace(d.Comment))
}

// Withdraw is the applicant taking back a request still pending.
func (s *Service) Withdraw(ctx context.Context, a Actor, id string) (View, error) {
	return s.step(ctx, a, "leave.request.withdraw", id, func(r *Request) error {
		if r.Applicant != a.P.UserID {
			return problem.Forbidden()
		}
		if err := pending(r); err != nil {
			return err
		}
		r.State = StateWithdrawn
		return nil
	})
}
