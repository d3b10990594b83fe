package officialdoc

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
)

// Contribute puts the person's open 公文 tasks on their desktop as to-do
// (待办), overdue and urged first.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	tasks, err := s.Tasks(ctx, p, TaskQuery{})
	if err != nil {
		return c, err
	}
	for i, t := range tasks.Items {
		if i == desktop.Limit {
			break
		}
		e := desktop.Entry{ID: t.ID, Source: "officialdoc", Action: t.Node, ActionLabel: t.NodeName, Title: t.Title,
			Link: "/office/documents/" + t.DocumentID, Classification: t.Classification, At: t.OpenedAt,
			Overdue: t.Overdue, Urged: t.Urged > 0}
		if !t.Due.IsZero() {
			due := t.Due
			e.Due = &due
		}
		c.Todo = append(c.Todo, e)
	}
	c.TodoTotal = tasks.Total
	return c, nil
}
