package leave

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

const fReaders = "readers"

// listFields are the request's own fields, stored in the index under their
// JSON names, so that a hit decodes back into a Request.
var listFields = []string{"department", "applicant", "applicantName", "kind", "start", "end", "days", "reason",
	"state", "approver", "approverName", "comment", "createdAt", "updatedAt", "decidedAt"}

func listMapping() *index.Mapping {
	m := index.NewMapping().Keyword(fReaders).Numeric("days").
		Datetime("createdAt").Datetime("updatedAt").Datetime("decidedAt")
	for _, f := range listFields {
		if k, _ := m.KindOf(f); k == 0 {
			m.Keyword(f)
		}
	}
	return m
}

// project is the list index's document of a request: its JSON and its
// readers.
func project(d store.Doc) (any, bool) {
	var m map[string]any
	var r Request
	if d.Decode(&r) != nil || d.Decode(&m) != nil {
		return nil, false
	}
	m[fReaders] = AccessOf(&r).Readers
	return m, true
}

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

// list answers from the index, the reader's rights in the query.
func (s *Service) list(ctx context.Context, p *auth.Principal, q ListQuery, f ...index.Filter) (Page, error) {
	out := Page{Items: []Request{}}
	if err := s.ConsistentWith(ctx, q.ConsistentWith, 2*time.Second); err != nil {
		return out, listErr(err)
	}
	if !p.MayRead(classification.Feimi) {
		return out, nil
	}
	f = append(f, index.Terms(fReaders, p.Tokens()...))
	if q.State != "" {
		f = append(f, index.Term("state", q.State))
	}
	res, err := s.Index().List(ctx, index.Query{Filters: f, Sort: []string{"-updatedAt"}, Size: q.Size,
		After: q.Cursor, Fields: listFields})
	if err != nil {
		return out, listErr(err)
	}
	out.Total, out.Next = res.Total, res.Next
	for _, h := range res.Hits {
		data, err := json.Marshal(h.Fields)
		r := Request{ID: h.ID}
		if err == nil {
			err = json.Unmarshal(data, &r)
		}
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, r)
	}
	return out, nil
}

func listErr(err error) error {
	var pe *index.ParamError
	switch {
	case errors.As(err, &pe):
		return problem.Invalid(problem.Field(pe.Param, "参数无效："+pe.Reason, "invalid: "+pe.Reason))
	case errors.Is(err, index.ErrWaitTimeout):
		return problem.New(503, problem.CodeUnavailable, "列表尚未更新，请稍后重试", "the list has not caught up yet; retry")
	}
	return err
}
