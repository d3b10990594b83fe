package duty

import (
	"context"
	"errors"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Swap states: asked of the counterpart, agreed by them, then approved or
// refused by 值班室's head; declined by the counterpart, withdrawn by the
// requester.
const (
	SwapRequested = "requested"
	SwapAgreed    = "agreed"
	SwapApproved  = "approved"
	SwapDeclined  = "declined"
	SwapRefused   = "refused"
	SwapWithdrawn = "withdrawn"
)

// swapStateNames are the states as the reader sees them.
var swapStateNames = map[string]string{SwapRequested: "待对方同意", SwapAgreed: "待值班室审批", SwapApproved: "已批准",
	SwapDeclined: "对方未同意", SwapRefused: "未批准", SwapWithdrawn: "已撤回"}

// Swap is a request to swap (调班): the requester's duty on Date in
// Position goes to the counterpart; with a CounterpartDate the requester
// takes the counterpart's duty that day in return (换班), without one the
// counterpart only stands in (替班). Both days are in one month.
type Swap struct {
	ID              string     `json:"id"`
	Department      string     `json:"department"` // the requester's
	Month           string     `json:"month"`
	Date            string     `json:"date"`
	Position        string     `json:"position"` // leader, main, deputy
	Requester       string     `json:"requester"`
	RequesterName   string     `json:"requesterName"`
	Counterpart     string     `json:"counterpart"`
	CounterpartName string     `json:"counterpartName"`
	CounterpartDate string     `json:"counterpartDate,omitempty"`
	Reason          string     `json:"reason"`
	State           string     `json:"state"`
	AgreedAt        *time.Time `json:"agreedAt,omitempty"`
	Approver        string     `json:"approver,omitempty"`
	ApproverName    string     `json:"approverName,omitempty"`
	Comment         string     `json:"comment,omitempty"`
	DecidedAt       *time.Time `json:"decidedAt,omitempty"`
	CreatedAt       time.Time  `json:"createdAt"`
	UpdatedAt       time.Time  `json:"updatedAt"`
}

// SwapInput asks for a swap.
type SwapInput struct {
	Date            string `json:"date" validate:"required,datetime=2006-01-02" doc:"本人的值班日期"`
	Position        string `json:"position" validate:"required,oneof=leader main deputy" doc:"岗位：leader 带班领导、main 主班、deputy 副班"`
	Counterpart     string `json:"counterpart" validate:"required,max=64,nocontrol" doc:"对方的用户 id"`
	CounterpartDate string `json:"counterpartDate" validate:"omitempty,datetime=2006-01-02" doc:"对方的值班日期（换班；不填为替班）"`
	Reason          string `json:"reason" validate:"required,max=500,nocontrol" doc:"调班事由"`
}

// Decision is an answer to a swap: a comment, required when refusing.
type Decision struct {
	Comment string `json:"comment" validate:"max=500,nocontrol"`
}

// SwapView is a swap as the API answers it (schema DutySwapView).
type SwapView = records.View[Swap]

// SwapPage is a page of swaps (schema DutySwapPage).
type SwapPage = records.Page[Swap]

// SwapQuery lists swaps.
type SwapQuery struct {
	State          string `query:"state" validate:"omitempty,oneof=requested agreed approved declined refused withdrawn" doc:"状态"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// swapAccess: the two people and 值班室.
func swapAccess(sw *Swap) auth.Access {
	return auth.Access{Classification: classification.Feimi, Readers: []string{auth.User(sw.Requester), auth.User(sw.Counterpart),
		auth.Holder(auth.PermDutyManage, auth.OfficeWide)}}
}

// Swaps lists the swaps p asked for or was asked, and, for 值班室, all;
// newest first.
func (s *Service) Swaps(ctx context.Context, p *auth.Principal, q SwapQuery) (SwapPage, error) {
	var f []index.Filter
	if q.State != "" {
		f = append(f, index.Term("state", q.State))
	}
	return s.swaps.List(ctx, p, records.Query{Sort: "-updatedAt", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}

// GetSwap returns a swap p may read; otherwise 404.
func (s *Service) GetSwap(ctx context.Context, p *auth.Principal, id string) (SwapView, error) {
	return records.ViewOf(s.swaps.Get(ctx, p, id))
}

// RequestSwap asks a counterpart to take the requester's duty: the
// requester must be on the published roster that day in that position,
// the counterpart able to take it and free that day.
func (s *Service) RequestSwap(ctx context.Context, a records.Actor, in SwapInput) (SwapView, error) {
	const action = "duty.swap.create"
	if in.CounterpartDate != "" && month(in.CounterpartDate) != month(in.Date) {
		return SwapView{}, problem.Invalid(problem.Field("counterpartDate", "换班的两个日期须在同一月内", "both days must be in one month"))
	}
	if in.Counterpart == a.P.UserID {
		return SwapView{}, problem.Invalid(problem.Field("counterpart", "不能与本人调班", "you cannot swap with yourself"))
	}
	if in.Date < s.Today() {
		return SwapView{}, problem.Invalid(problem.Field("date", "已过去的值班不能调班", "that duty is past"))
	}
	other, err := s.person(ctx, in.Counterpart)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		return SwapView{}, problem.Invalid(problem.Field("counterpart", "查无此人", "no such user"))
	}
	if err != nil {
		return SwapView{}, err
	}
	dept := Department
	if len(a.P.Departments) > 0 {
		dept = a.P.Departments[0]
	}
	now := s.swaps.Now()
	sw := Swap{Department: dept, Month: month(in.Date), Date: in.Date, Position: in.Position,
		Requester: a.P.UserID, RequesterName: a.P.Name, Counterpart: other.UserID, CounterpartName: other.Name,
		CounterpartDate: in.CounterpartDate, Reason: strings.TrimSpace(in.Reason), State: SwapRequested, CreatedAt: now, UpdatedAt: now}
	if _, err := s.swapped(ctx, &sw); err != nil {
		return SwapView{}, s.swaps.Refused(ctx, a, action, RosterCollection+"/"+sw.Month, err)
	}
	return records.ViewOf(s.swaps.Create(ctx, a, action, sw,
		map[string]any{"date": sw.Date, "position": sw.Position, "counterpart": sw.Counterpart, "counterpartDate": sw.CounterpartDate}))
}

// swapped is the published roster of sw's month with sw applied, and its
// version; a problem if sw no longer fits it (the requester is not on duty
// then, the counterpart is already on that day or may not take the
// position).
func (s *Service) swapped(ctx context.Context, sw *Swap) (*Roster, error) {
	r, _, err := s.publishedRoster(ctx, sw.Month)
	if err != nil {
		return nil, err
	}
	return r, s.apply(ctx, r, sw)
}

// publishedRoster reads a month's roster for the service's decisions; a
// problem naming date when none is published.
func (s *Service) publishedRoster(ctx context.Context, m string) (*Roster, int64, error) {
	doc, err := s.store.Get(ctx, RosterCollection, m)
	var r Roster
	if err == nil {
		err = doc.Decode(&r)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, 0, err
	}
	if err != nil || r.State != RosterPublished {
		return nil, 0, problem.Invalid(problem.Field("date", m+" 的值班表尚未发布", "the roster of "+m+" is not published"))
	}
	return &r, doc.Version, nil
}

// apply changes r as sw says, checking that it may.
func (s *Service) apply(ctx context.Context, r *Roster, sw *Swap) error {
	give := r.day(sw.Date)
	if give == nil || give.at(sw.Position).UserID != sw.Requester {
		return problem.Invalid(problem.Field("date", sw.RequesterName+" 当日不是"+positionNames[sw.Position], "the requester is not on that duty"))
	}
	other, err := s.person(ctx, sw.Counterpart)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		other, err = nil, nil
	}
	if err != nil {
		return err
	}
	office, err := s.officeDepartments(ctx)
	if err != nil {
		return err
	}
	if err := eligible(other, sw.Position, "counterpart", office); err != nil {
		return err
	}
	if give.has(sw.Counterpart) {
		return problem.Invalid(problem.Field("counterpart", sw.CounterpartName+" 当日已在值班，同一班次不得重复安排同一人", "the counterpart is on duty that day already"))
	}
	*give.at(sw.Position) = Person{UserID: other.UserID, Name: other.Name}
	if sw.CounterpartDate == "" {
		return nil
	}
	take := r.day(sw.CounterpartDate)
	if take == nil || take.at(sw.Position).UserID != sw.Counterpart {
		return problem.Invalid(problem.Field("counterpartDate", sw.CounterpartName+" 当日不是"+positionNames[sw.Position], "the counterpart is not on that duty"))
	}
	if take.has(sw.Requester) {
		return problem.Invalid(problem.Field("counterpartDate", sw.RequesterName+" 当日已在值班", "the requester is on duty that day already"))
	}
	*take.at(sw.Position) = Person{UserID: sw.Requester, Name: sw.RequesterName}
	return nil
}

// swapStep is one step of a swap by its parties.
func (s *Service) swapStep(ctx context.Context, a records.Actor, action, id string, change func(*Swap) error) (SwapView, error) {
	return records.ViewOf(s.swaps.Step(ctx, a, action, id, func(sw *Swap) (map[string]any, error) {
		if err := change(sw); err != nil {
			return nil, err
		}
		sw.UpdatedAt = s.swaps.Now()
		return map[string]any{"state": sw.State}, nil
	}))
}

// Agree is the counterpart accepting; the swap then waits for 值班室.
func (s *Service) Agree(ctx context.Context, a records.Actor, id string) (SwapView, error) {
	return s.swapStep(ctx, a, "duty.swap.agree", id, func(sw *Swap) error {
		if sw.Counterpart != a.P.UserID {
			return problem.Forbidden()
		}
		if sw.State != SwapRequested {
			return problem.InvalidState(swapStateNames[sw.State], sw.State)
		}
		now := s.swaps.Now()
		sw.State, sw.AgreedAt = SwapAgreed, &now
		return nil
	})
}

// Decline is the counterpart saying no.
func (s *Service) Decline(ctx context.Context, a records.Actor, id string, d Decision) (SwapView, error) {
	return s.swapStep(ctx, a, "duty.swap.decline", id, func(sw *Swap) error {
		if sw.Counterpart != a.P.UserID {
			return problem.Forbidden()
		}
		if sw.State != SwapRequested {
			return problem.InvalidState(swapStateNames[sw.State], sw.State)
		}
		sw.State, sw.Comment = SwapDeclined, strings.TrimSpace(d.Comment)
		return nil
	})
}

// Withdraw is the requester taking the request back before the decision.
func (s *Service) Withdraw(ctx context.Context, a records.Actor, id string) (SwapView, error) {
	return s.swapStep(ctx, a, "duty.swap.withdraw", id, func(sw *Swap) error {
		if sw.Requester != a.P.UserID {
			return problem.Forbidden()
		}
		if sw.State != SwapRequested && sw.State != SwapAgreed {
			return problem.InvalidState(swapStateNames[sw.State], sw.State)
		}
		sw.State = SwapWithdrawn
		return nil
	})
}

// decidable is a problem unless a may decide sw now: 值班室's head
// (duty.manage office-wide), not a party to it, once the counterpart
// agreed.
func decidable(a records.Actor, sw *Swap) error {
	if !a.P.Can(auth.PermDutyManage, auth.OfficeWide) {
		return problem.Forbidden()
	}
	if sw.Requester == a.P.UserID || sw.Counterpart == a.P.UserID {
		return problem.New(403, problem.CodeSelfReview, "不能审批本人参与的调班", "you may not decide a swap you are party to")
	}
	if sw.State != SwapAgreed {
		return problem.InvalidState(swapStateNames[sw.State], sw.State)
	}
	return nil
}

// Refuse is 值班室 turning an agreed swap down; the comment says why.
func (s *Service) Refuse(ctx context.Context, a records.Actor, id string, d Decision) (SwapView, error) {
	if strings.TrimSpace(d.Comment) == "" {
		return SwapView{}, problem.Invalid(problem.Field("comment", "不予批准时须填写意见", "a refusal needs a comment"))
	}
	return s.swapStep(ctx, a, "duty.swap.refuse", id, func(sw *Swap) error {
		if err := decidable(a, sw); err != nil {
			return err
		}
		now := s.swaps.Now()
		sw.State, sw.Comment, sw.Approver, sw.ApproverName, sw.DecidedAt = SwapRefused, strings.TrimSpace(d.Comment), a.P.UserID, a.P.Name, &now
		return nil
	})
}

// Approve is 值班室 granting an agreed swap: the roster changes now, in
// the same commit as the swap, each with its audit entry. A roster that
// moved on so that the swap no longer fits refuses it (and records why).
func (s *Service) Approve(ctx context.Context, a records.Actor, id string, d Decision) (SwapView, error) {
	const action = "duty.swap.approve"
	var out SwapView
	err := store.Retry(ctx, func(ctx context.Context) error {
		sw, sdoc, err := s.swaps.Get(ctx, a.P, id)
		if err != nil {
			return err
		}
		if err := decidable(a, &sw); err != nil {
			return s.swaps.Refused(ctx, a, action, SwapCollection+"/"+id, err)
		}
		r, version, err := s.publishedRoster(ctx, sw.Month)
		if err == nil {
			err = s.apply(ctx, r, &sw)
		}
		if err != nil {
			return s.swaps.Refused(ctx, a, action, SwapCollection+"/"+id, err)
		}
		now := s.swaps.Now()
		sw.State, sw.Comment, sw.Approver, sw.ApproverName, sw.DecidedAt, sw.UpdatedAt =
			SwapApproved, strings.TrimSpace(d.Comment), a.P.UserID, a.P.Name, &now, now
		r.Swaps++
		r.UpdatedAt = now
		ws, err := write(SwapCollection, sw.ID, sw, sdoc.Version)
		if err != nil {
			return err
		}
		wr, err := write(RosterCollection, r.ID, r, version)
		if err != nil {
			return err
		}
		ev := audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Outcome: audit.Success}
		swapEv, rosterEv := ev, ev
		swapEv.Action, swapEv.Target, swapEv.Details = action, SwapCollection+"/"+sw.ID, map[string]any{"state": sw.State}
		rosterEv.Action, rosterEv.Target, rosterEv.Details = "duty.roster.swap", RosterCollection+"/"+r.ID,
			map[string]any{"swap": sw.ID, "date": sw.Date, "position": sw.Position, "from": sw.Requester, "to": sw.Counterpart, "counterpartDate": sw.CounterpartDate}
		docs, err := s.commit(ctx, []store.Write{ws, wr}, swapEv, rosterEv)
		if err != nil {
			return err
		}
		out, err = records.ViewOf(sw, docs[0], nil)
		return err
	})
	return out, err
}
