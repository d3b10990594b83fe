package schedule

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// ListQuery is a list of entries asked for; its tags make it the query.
type ListQuery struct {
	Week           string `query:"week" validate:"max=10" doc:"ISO 周（2026-W50）"`
	State          string `query:"state" validate:"omitempty,oneof=submitted scheduled changed cancelled returned withdrawn" doc:"状态"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// List is the entries p may read (AccessOf: their own submissions, their
// department's, all of them for the office), newest first.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	if !p.CanAnywhere(auth.PermScheduleSubmit) && !Office(p) {
		return Page{}, problem.Forbidden()
	}
	var f []index.Filter
	if q.Week != "" {
		if _, err := ParseWeek(q.Week); err != nil {
			return Page{}, err
		}
		f = append(f, index.Term("week", q.Week))
	}
	if q.State != "" {
		f = append(f, index.Term("state", q.State))
	}
	return s.entries.List(ctx, p, records.Query{Sort: "-updatedAt", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}
