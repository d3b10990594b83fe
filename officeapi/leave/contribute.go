package leave

import (
	"context"
	"fmt"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Contribute puts on a desktop the requests the person may approve, as
// to-do, and their own latest requests and decisions as a panel.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	if p.CanAnywhere(auth.PermLeaveApprove) {
		todo, err := s.Awaiting(ctx, p, ListQuery{Size: desktop.Limit})
		if err != nil {
			return c, err
		}
		for _, r := range todo.Items {
			c.Todo = append(c.Todo, entry(r, "approve", "请假审批", "/office/leave?tab=approvals"))
		}
		c.TodoTotal = todo.Total
	}
	mine, err := s.Mine(ctx, p, ListQuery{Size: 5})
	if err != nil || mine.Total == 0 {
		return c, err // no panel for someone who never asked for leave
	}
	pn := desktop.Panel{Key: "leave.mine", Title: "我的请假", Link: "/office/leave", Empty: "暂无请假申请", Total: mine.Total}
	for _, r := range mine.Items {
		pn.Items = append(pn.Items, entry(r, r.State, stateNames[r.State], "/office/leave"))
	}
	c.Panels = []desktop.Panel{pn}
	return c, nil
}

func entry(r Request, action, label, link string) desktop.Entry {
	return desktop.Entry{ID: r.ID, Source: "leave", Action: action, ActionLabel: label, Link: link,
		Title:      fmt.Sprintf("%s %s %s 至 %s（%d天）", r.ApplicantName, r.Kind, r.Start, r.End, r.Days),
		Department: r.Department, Classification: classification.Feimi, At: r.UpdatedAt}
}
