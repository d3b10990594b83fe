package leave

import (
	"context"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/feed"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Deps is what leave requests need from the process.
type Deps = records.Deps

// Service is leave requests. Its list index's Start, Close and Notify are
// the module table's; the collection itself stays private, so that every
// write goes through the rules below.
type Service struct {
	*feed.ListIndex
	requests *records.Collection[Request]
}

// New opens the collection and its list index; Start feeds it.
func New(d Deps) (*Service, error) {
	c, err := records.Open(records.Config[Request]{Deps: d, Collection: Collection,
		Noun: records.Noun{Zh: "请假申请", En: "leave request"}, Access: AccessOf})
	if err != nil {
		return nil, err
	}
	return &Service{ListIndex: c.ListIndex, requests: c}, nil
}

// Get returns the request if p may read it; otherwise 404, whether or not
// it exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.requests.Get(ctx, p, id))
}

// Apply files a request in the applicant's department (the one given, or
// their only one).
func (s *Service) Apply(ctx context.Context, a records.Actor, in Input) (View, error) {
	dept, err := records.FilingDepartment(a.P, in.Department)
	if err != nil {
		return View{}, err
	}
	if !a.P.Can(auth.PermLeaveApply, dept) {
		return View{}, s.requests.Refused(ctx, a, "leave.request.create", Collection+"/"+dept, problem.Forbidden())
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
	now := s.requests.Now()
	return records.ViewOf(s.requests.Create(ctx, a, "leave.request.create", Request{Department: dept, Applicant: a.P.UserID,
		ApplicantName: a.P.Name, Kind: in.Kind, Start: in.Start, End: in.End, Days: days,
		Reason: strings.TrimSpace(in.Reason), State: StatePending, CreatedAt: now, UpdatedAt: now},
		map[string]any{"department": dept, "kind": in.Kind, "start": in.Start, "end": in.End}))
}

// step applies one change to a request the actor may read, committed
// with its audit entry; a refused step is audited too.
func (s *Service) step(ctx context.Context, a records.Actor, action, id string, change func(*Request) error) (View, error) {
	return records.ViewOf(s.requests.Step(ctx, a, action, id, func(r *Request) (map[string]any, error) {
		if err := change(r); err != nil {
			return nil, err
		}
		r.UpdatedAt = s.requests.Now()
		return map[string]any{"state": r.State, "comment": r.Comment}, nil
	}))
}

func pending(r *Request) error {
	if r.State != StatePending {
		return problem.InvalidState(stateNames[r.State], r.State)
	}
	return nil
}

// decide is the department head's approval or refusal: never of their own
// request (审批分离).
func (s *Service) decide(ctx context.Context, a records.Actor, id, state, comment string) (View, error) {
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
			now := s.requests.Now()
			r.State, r.Comment, r.Approver, r.ApproverName, r.DecidedAt = state, comment, a.P.UserID, a.P.Name, &now
			return nil
		})
}

// Approve grants a pending request.
func (s *Service) Approve(ctx context.Context, a records.Actor, id string, d Decision) (View, error) {
	return s.decide(ctx, a, id, StateApproved, strings.TrimSpace(d.Comment))
}

// Refuse turns a pending request down; the comment says why.
func (s *Service) Refuse(ctx context.Context, a records.Actor, id string, d Decision) (View, error) {
	if strings.TrimSpace(d.Comment) == "" {
		return View{}, problem.Invalid(problem.Field("comment", "不予批准时须填写意见", "a refusal needs a comment"))
	}
	return s.decide(ctx, a, id, StateRefused, strings.TrimSpace(d.Comment))
}

// Withdraw is the applicant taking back a request still pending.
func (s *Service) Withdraw(ctx context.Context, a records.Actor, id string) (View, error) {
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
