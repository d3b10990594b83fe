package officialdoc

import (
	"context"
	"slices"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
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

// TaskEntry is one of a person's open tasks with what the list shows of
// its document.
type TaskEntry struct {
	Task
	Title          string               `json:"title"`
	DocType        string               `json:"docType"`
	Classification classification.Level `json:"classification"`
	Urgency        string               `json:"urgency,omitempty"`
	Overdue        bool                 `json:"overdue"`
}

// TaskList is a person's open tasks (待办), overdue first, then by due
// time and arrival.
type TaskList struct {
	Items []TaskEntry `json:"items"`
	Total uint64      `json:"total"`
}

// TaskQuery asks for a person's tasks.
type TaskQuery struct {
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// maxTasks bounds one answer of Tasks: the documents read for it.
const maxTasks = 100

// Tasks lists p's open tasks: the documents the index says p holds, read
// again from the store (the tasks as they are now, and the access check).
func (s *Service) Tasks(ctx context.Context, p *auth.Principal, q TaskQuery) (TaskList, error) {
	page, err := s.docs.List(ctx, p, records.Query{Sort: "-updatedAt", Size: maxTasks, ConsistentWith: q.ConsistentWith},
		index.Term("holders", p.UserID))
	if err != nil {
		return TaskList{}, err
	}
	now := s.now()
	out := TaskList{Items: []TaskEntry{}}
	for _, listed := range page.Items {
		d, _, err := s.docs.Get(ctx, p, listed.ID)
		if err != nil {
			continue // gone or no longer readable since the index saw it
		}
		for _, t := range d.Tasks {
			if t.Assignee == p.UserID {
				out.Items = append(out.Items, TaskEntry{Task: t, Title: d.Title, DocType: d.DocType,
					Classification: d.Classification, Urgency: d.Urgency, Overdue: !t.Due.IsZero() && now.After(t.Due)})
			}
		}
	}
	slices.SortStableFunc(out.Items, func(a, b TaskEntry) int {
		switch {
		case a.Overdue != b.Overdue:
			return map[bool]int{true: -1, false: 1}[a.Overdue]
		case a.Urged != b.Urged:
			return b.Urged - a.Urged
		}
		return compareTimes(orFar(a.Due), orFar(b.Due), a.OpenedAt, b.OpenedAt)
	})
	out.Total = uint64(len(out.Items))
	return out, nil
}

// orFar puts a task without a limit after every one with a limit.
func orFar(t time.Time) time.Time {
	if t.IsZero() {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func compareTimes(a, b, a2, b2 time.Time) int {
	if c := a.Compare(b); c != 0 {
		return c
	}
	return a2.Compare(b2)
}
