package print

import (
	"context"
	"fmt"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Contribute puts the print room's open jobs on an operator's desktop as
// to-do (by due time), and a sender's latest ordinary jobs with their
// progress as a panel.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	if p.Can(auth.PermPrintOperate, auth.OfficeWide) {
		todo, err := s.List(ctx, p, ListQuery{State: "open", Sort: "due", Size: desktop.Limit})
		if err != nil {
			return c, err
		}
		now := s.jobs.Now()
		for _, j := range todo.Items {
			if j.Operator != "" && j.Operator != p.UserID {
				todo.Total--
				continue // another operator's
			}
			e := entry(j, "print", "印制", "/office/print/jobs/"+j.ID)
			due := j.Due
			e.Due, e.Overdue = &due, now.After(due)
			c.Todo = append(c.Todo, e)
		}
		c.TodoTotal = todo.Total
	}
	mine, err := s.List(ctx, p, ListQuery{Mine: true, Size: 5})
	if err != nil || mine.Total == 0 {
		return c, err // no panel for someone who never sent a job
	}
	pn := desktop.Panel{Key: "print.mine", Title: "我的印制", Link: "/office/print/mine", Empty: "暂无印制任务", Total: mine.Total}
	for _, j := range mine.Items {
		pn.Items = append(pn.Items, entry(j, j.State, stateNames[j.State], "/office/print/jobs/"+j.ID))
	}
	c.Panels = []desktop.Panel{pn}
	return c, nil
}

func entry(j Job, action, label, link string) desktop.Entry {
	title := fmt.Sprintf("%s（%d份）", j.Title, j.Copies)
	if j.DocNumber != "" {
		title = j.DocNumber + " " + title
	}
	return desktop.Entry{ID: j.ID, Source: "print", Action: action, ActionLabel: label, Link: link, Title: title,
		Department: j.Department, Classification: j.Classification, At: j.UpdatedAt}
}

// Watches names the collection of print jobs (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Collection} }

// Audience of a job: its sender (their panel) and the print room (its
// to-do), in any state: a finished job leaves the to-do.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var j Job
	if err := doc.Decode(&j); err != nil {
		return desktop.Audience{}, err
	}
	var users []string
	if j.Sender != "" {
		users = append(users, j.Sender)
	}
	return desktop.Audience{Users: users, Anyone: func(p *auth.Principal) bool {
		return p.Can(auth.PermPrintOperate, auth.OfficeWide)
	}}, nil
}

// Wait waits until the job lists have applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.jobs.Wait(ctx, consistentWith)
}
