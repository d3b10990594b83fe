package info

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
)

// Contribute is what the information platforms put on a desktop: items to
// review, to approve for the portal, and the person's own drafts as to-do;
// the department's and the office's newest items as panels.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	d, err := s.Desktop(ctx, p, "")
	if err != nil {
		return desktop.Contribution{}, err
	}
	var c desktop.Contribution
	todo := func(items []Summary, action, label string) {
		for _, it := range items {
			c.Todo = append(c.Todo, entry(it, action, label))
		}
	}
	todo(d.AwaitingReview, "review", "审核")
	todo(d.AwaitingPortal, "portal_approve", "门户审批")
	for _, it := range d.Drafts {
		if it.State == StateRejected {
			c.Todo = append(c.Todo, entry(it, "revise", "退回修改"))
		} else {
			c.Todo = append(c.Todo, entry(it, "draft", "草稿待报送"))
		}
	}
	c.TodoTotal = d.PendingTotal
	panel := func(key, title, link, empty string, items []Summary) desktop.Panel {
		pn := desktop.Panel{Key: key, Title: title, Link: link, Empty: empty, Items: []desktop.Entry{},
			Total: uint64(len(items))}
		for _, it := range items {
			pn.Items = append(pn.Items, entry(it, "read", "阅读"))
		}
		return pn
	}
	c.Panels = []desktop.Panel{
		panel("info.department", "本处室信息平台", "/office/info", "本处室暂无信息", d.Department),
		panel("info.office", "全办信息平台", "/office/info?scope=office", "全办暂无信息", d.Office),
	}
	return c, nil
}

func entry(it Summary, action, label string) desktop.Entry {
	e := desktop.Entry{ID: it.ID, Source: "info", Action: action, ActionLabel: label, Title: it.Title,
		Link: "/office/info/items/" + it.ID, Department: it.Department, Classification: it.Classification}
	switch {
	case it.PublishedAt != nil && action == "read":
		e.At = *it.PublishedAt
	case it.UpdatedAt != nil:
		e.At = *it.UpdatedAt
	}
	return e
}
