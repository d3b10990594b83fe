package officialdoc

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
)

// Contribute puts the person's open 公文 tasks on their desktop, overdue
// and urged first: 传阅 tasks as to-read (待阅), the others as to-do (待办).
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	tasks, err := s.Tasks(ctx, p, TaskQuery{})
	if err != nil {
		return c, err
	}
	for _, t := range tasks.Items {
		e := desktop.Entry{ID: t.ID, Source: "officialdoc", Action: t.Node, ActionLabel: t.NodeName, Title: t.Title,
			Link: TaskLink(t.DocumentID, t.Node), Classification: t.Classification, At: t.OpenedAt,
			Overdue: t.Overdue, Urged: t.Urged > 0}
		if !t.Due.IsZero() {
			due := t.Due
			e.Due = &due
		}
		if t.Node == nodeCirculate {
			c.ToReadTotal++
			if len(c.ToRead) < desktop.Limit {
				c.ToRead = append(c.ToRead, e)
			}
			continue
		}
		c.TodoTotal++
		if len(c.Todo) < desktop.Limit {
			c.Todo = append(c.Todo, e)
		}
	}
	return c, nil
}
