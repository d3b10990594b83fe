package print

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// ListQuery is a list request; its tags make it the list's query
// parameters.
type ListQuery struct {
	// State filters by state; "open" is queued, claimed and printing.
	State    string `query:"state" validate:"omitempty,oneof=open queued claimed printing done returned cancelled" doc:"状态（open 为待印制、已领取、印制中）"`
	Urgency  string `query:"urgency" validate:"omitempty,oneof=特急 加急 平件" doc:"紧急程度"`
	Kind     string `query:"kind" validate:"omitempty,oneof=document ordinary" doc:"document 公文印制，ordinary 普通印制"`
	Room     string `query:"room" validate:"max=64,nocontrol" doc:"文印室或印刷厂"`
	Document string `query:"document" validate:"max=64,nocontrol" doc:"公文 id"`
	// Mine lists the caller's own ordinary jobs (what they sent), or, for
	// an operator with "claimed", the jobs they hold.
	Mine           bool   `query:"mine" doc:"只看本人发送的印制任务"`
	Sort           string `query:"sort" validate:"omitempty,oneof=due -due createdAt -createdAt" doc:"排序：due 到期时间，-createdAt 最新（默认）"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// openStates are the states of a job the print room still has to do.
var openStates = []string{StateQueued, StateClaimed, StatePrinting}

// List is a page of the jobs p may read that match q: the print room's
// queue for an operator, a sender's own jobs, the jobs of the documents
// a reader may read.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	if !p.CanAnywhere(auth.PermOfficeRead) && !p.CanAnywhere(auth.PermPrintOperate) {
		return Page{}, problem.Forbidden()
	}
	var f []index.Filter
	switch q.State {
	case "":
	case "open":
		f = append(f, index.Terms("state", openStates...))
	default:
		f = append(f, index.Term("state", q.State))
	}
	for field, v := range map[string]string{"urgency": q.Urgency, "kind": q.Kind, "room": q.Room, "document": q.Document} {
		if v != "" {
			f = append(f, index.Term(field, v))
		}
	}
	if q.Mine {
		f = append(f, index.Term("sender", p.UserID))
	}
	sort := q.Sort
	if sort == "" {
		sort = "-createdAt"
	}
	return s.jobs.List(ctx, p, records.Query{Sort: sort, Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}

// Rooms are the print rooms and shops a job may go to, for the office's
// staff.
func (s *Service) Rooms(p *auth.Principal) ([]Room, error) {
	if !p.CanAnywhere(auth.PermOfficeRead) && !p.CanAnywhere(auth.PermPrintOperate) {
		return nil, problem.Forbidden()
	}
	return Rooms, nil
}
