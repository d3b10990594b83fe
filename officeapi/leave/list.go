package leave

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// ListQuery is a list request; its tags make it the lists' query
// parameters.
type ListQuery struct {
	State          string `query:"state" validate:"omitempty,oneof=pending approved refused withdrawn" doc:"状态"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Mine lists p's own requests, newest first.
func (s *Service) Mine(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	return s.list(ctx, p, q, index.Term("applicant", p.UserID))
}

// Awaiting lists the requests of the departments where p approves leave,
// not p's own: pending ones unless q names another state.
func (s *Service) Awaiting(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	scopes := p.Scopes(auth.PermLeaveApprove)
	if len(scopes) == 0 {
		return Page{}, problem.Forbidden()
	}
	if q.State == "" {
		q.State = StatePending
	}
	f := []index.Filter{index.Not(index.Term("applicant", p.UserID))}
	if !p.Can(auth.PermLeaveApprove, auth.OfficeWide) {
		f = append(f, index.Terms("department", scopes...))
	}
	return s.list(ctx, p, q, f...)
}

// list is a page of the requests p may read that match f, newest first.
func (s *Service) list(ctx context.Context, p *auth.Principal, q ListQuery, f ...index.Filter) (Page, error) {
	if q.State != "" {
		f = append(f, index.Term("state", q.State))
	}
	return s.requests.List(ctx, p, records.Query{Sort: "-updatedAt", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}
