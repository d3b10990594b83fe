package assistant

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// Contribute puts on a desktop the person's to-dos due by the end of today
// (待办, overdue first) and today's own events as a panel (今日日程).
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	now := s.events.Now()
	today := dayStart(now)
	tomorrow := today.AddDate(0, 0, 1)
	due, err := s.todos.List(ctx, p, records.Query{Sort: "due", Size: desktop.Limit}, mine(p),
		index.Term("done", "false"), index.Range("due", nil, tomorrow))
	if err != nil {
		return c, err
	}
	for _, t := range due.Items {
		e := desktop.Entry{ID: t.ID, Source: "assistant", Action: "todo", ActionLabel: "个人待办", Title: t.Title,
			Link: "/office/assistant?tab=todos", Classification: t.Classification, At: t.CreatedAt, Due: t.Due,
			Overdue: t.Due != nil && t.Due.Before(now)}
		if t.Link != "" {
			e.Link = t.Link
		}
		c.Todo = append(c.Todo, e)
	}
	c.TodoTotal = due.Total
	events, err := s.own(ctx, p, today, tomorrow)
	if err != nil || len(events) == 0 {
		return c, err // no panel on a day without events
	}
	pn := desktop.Panel{Key: "assistant.today", Title: "今日日程", Link: "/office/assistant", Empty: "今天没有日程",
		Total: uint64(len(events))}
	for _, o := range events[:min(len(events), desktop.Limit)] {
		label := o.Start.In(China).Format("15:04")
		if o.AllDay {
			label = "全天"
		}
		pn.Items = append(pn.Items, desktop.Entry{ID: o.ID, Source: "assistant", Action: "event", ActionLabel: label,
			Title: o.Title, Link: o.Link, Classification: classification.Feimi, At: o.Start})
	}
	c.Panels = []desktop.Panel{pn}
	return c, nil
}

// Watches names the collections whose changes reach a desktop
// (desktop.Watcher).
func (s *Service) Watches() []string { return []string{EventCollection, TodoCollection} }

// Audience of an event or a to-do: its owner.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var v struct {
		Owner string `json:"owner"`
	}
	if err := doc.Decode(&v); err != nil {
		return desktop.Audience{}, err
	}
	return desktop.Audience{Users: []string{v.Owner}}, nil
}
