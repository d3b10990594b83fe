package officialdoc

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
)

// ListQuery is a list request; its tags make it the list's query
// parameters. The list pages by cursor through the collection's list
// index, newest change first; a query by words, 文号, holder, overdue or
// date, with facets, is SearchQuery (GET /documents/search), answered by
// the office search index.
type ListQuery struct {
	Direction      string `query:"direction" validate:"omitempty,oneof=outgoing incoming" doc:"方向：outgoing 发文，incoming 收文"`
	State          string `query:"state" validate:"omitempty,oneof=draft processing completed terminated" doc:"状态"`
	DocType        string `query:"docType" validate:"omitempty,oneof=决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要" doc:"文种"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// List is a page of the documents p may read, newest first, filtered by
// direction, state and 文种.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	var f []index.Filter
	for field, v := range map[string]string{"direction": q.Direction, "state": q.State, "docType": q.DocType} {
		if v != "" {
			f = append(f, index.Term(field, v))
		}
	}
	return s.docs.List(ctx, p, records.Query{Sort: "-updatedAt", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}
