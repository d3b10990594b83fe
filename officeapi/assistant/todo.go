package assistant

import (
	"context"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// TodoQuery is a to-do list request.
type TodoQuery struct {
	Done           string `query:"done" validate:"omitempty,oneof=true false" doc:"true：已完成；false：未完成；不填：全部"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Todos lists p's own to-dos, the soonest due first (those without a due
// time last).
func (s *Service) Todos(ctx context.Context, p *auth.Principal, q TodoQuery) (TodoPage, error) {
	f := []index.Filter{mine(p)}
	if q.Done != "" {
		f = append(f, index.Term("done", q.Done))
	}
	return s.todos.List(ctx, p, records.Query{Sort: "due", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}

// GetTodo returns p's own to-do (404 for anyone else's).
func (s *Service) GetTodo(ctx context.Context, p *auth.Principal, id string) (TodoView, error) {
	return records.ViewOf(s.todos.Get(ctx, p, id))
}

// CreateTodo adds a to-do: typed in, or made from a task or a mail, whose
// title, link and 密级 its Linker reads with the actor's own access (a
// thing they may not read is the Linker's 404, and no to-do).
func (s *Service) CreateTodo(ctx context.Context, a records.Actor, in TodoInput) (TodoView, error) {
	now := s.todos.Now()
	t := Todo{Owner: a.P.UserID, Title: strings.TrimSpace(in.Title), Due: utc(in.Due), Priority: in.Priority,
		Remind: in.Remind, Classification: classification.Feimi, CreatedAt: now, UpdatedAt: now}
	if t.Priority == "" {
		t.Priority = PriorityNormal
	}
	if in.Source != "" {
		link, ok := s.d.Linkers[in.Source]
		switch {
		case !ok:
			return TodoView{}, problem.Invalid(problem.Field("source", "暂不支持从该来源创建待办", "no such source"))
		case strings.TrimSpace(in.SourceID) == "":
			return TodoView{}, problem.Invalid(problem.Field("sourceId", "请指明来源事项", "sourceId is required"))
		}
		title, href, level, err := link(ctx, a.P, in.SourceID)
		if err != nil {
			return TodoView{}, err
		}
		if t.Title == "" {
			t.Title = title
		}
		t.Source, t.SourceID, t.Link, t.Classification = in.Source, in.SourceID, href, level
	}
	if t.Title == "" {
		return TodoView{}, problem.Invalid(problem.Field("title", "请填写待办事项", "title is required"))
	}
	if err := remindable(t.Remind, t.Due); err != nil {
		return TodoView{}, err
	}
	t.RemindAt = t.nextReminder(now)
	return records.ViewOf(s.todos.Create(ctx, a, "assistant.todo.create", t,
		map[string]any{"source": t.Source, "sourceId": t.SourceID}))
}

// UpdateTodo edits the actor's to-do at the version they read: its title,
// due time, priority, reminder, and whether it is done.
func (s *Service) UpdateTodo(ctx context.Context, a records.Actor, id string, in TodoChange) (TodoView, error) {
	t, doc, err := s.todos.Get(ctx, a.P, id)
	if err != nil {
		return TodoView{}, err
	}
	if in.Version != doc.Version {
		return TodoView{}, problem.Conflict("待办已被修改，请刷新后重试", "the to-do changed; reload and retry")
	}
	if strings.TrimSpace(in.Title) == "" {
		return TodoView{}, problem.Invalid(problem.Field("title", "请填写待办事项", "title is required"))
	}
	if err := remindable(in.Remind, in.Due); err != nil {
		return TodoView{}, err
	}
	now := s.todos.Now()
	if in.Done && !t.Done {
		t.DoneAt = &now
	} else if !in.Done {
		t.DoneAt = nil
	}
	t.Title, t.Due, t.Priority, t.Done, t.Remind, t.UpdatedAt = strings.TrimSpace(in.Title), utc(in.Due), in.Priority, in.Done, in.Remind, now
	t.RemindAt = t.nextReminder(now)
	return records.ViewOf(s.todos.Put(ctx, a, "assistant.todo.update", t, doc.Version, map[string]any{"done": t.Done}))
}

// DeleteTodo removes the actor's to-do.
func (s *Service) DeleteTodo(ctx context.Context, a records.Actor, id string) (TodoView, error) {
	return records.ViewOf(s.todos.Step(ctx, a, "assistant.todo.delete", id, func(t *Todo) (map[string]any, error) {
		t.Deleted, t.RemindAt, t.UpdatedAt = true, nil, s.todos.Now()
		return map[string]any{"title": t.Title}, nil
	}))
}

// remindable refuses a reminder on a to-do with no due time.
func remindable(remind int, due *time.Time) error {
	if err := checkRemind(remind); err != nil {
		return err
	}
	if remind > 0 && due == nil {
		return problem.Invalid(problem.Field("remind", "设置提醒须先填写截止时间", "a reminder needs a due time"))
	}
	return nil
}

// nextReminder is when t's reminder is due, if it is still to come.
func (t *Todo) nextReminder(now time.Time) *time.Time {
	if t.Remind == 0 || t.Due == nil || t.Done || t.Deleted {
		return nil
	}
	if r := t.Due.Add(-time.Duration(t.Remind) * time.Minute); r.After(now) {
		return &r
	}
	return nil
}

func utc(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
