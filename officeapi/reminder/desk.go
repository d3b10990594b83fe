package reminder

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// Desk puts a person's reminders and escalations on their desktop, as the
// 提醒 panel: one entry per notice whose task is still open, newest first,
// linking to what the task is about. It also tells the live desktop whom a
// new notice concerns (desktop.Watcher): its recipient.
//
// It reads every notice on each desktop (as the scheduler scans every
// instance, see the package doc): a recipient index kept from the feed is
// the step after, at the scale.
type Desk struct {
	Store store.Store // required
	// Link is the SPA path of a task's subject ("/office/documents/<id>");
	// default none.
	Link func(workflow.Subject) string
}

// Contribute is the 提醒 panel, when the person has any.
func (d Desk) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	all, err := All(ctx, d.Store)
	if err != nil {
		return desktop.Contribution{}, err
	}
	mine := slices.DeleteFunc(all, func(n Notice) bool { return n.Recipient != p.UserID })
	slices.SortFunc(mine, func(a, b Notice) int { return cmp.Or(b.At.Compare(a.At), cmp.Compare(a.ID, b.ID)) })
	pn := desktop.Panel{Key: "reminder", Title: "提醒", Empty: "暂无提醒", Items: []desktop.Entry{}}
	open := map[string]*workflow.Instance{}
	for _, n := range mine {
		in, err := d.instance(ctx, open, n.Instance)
		if err != nil {
			return desktop.Contribution{}, err
		}
		if in == nil || in.Task(n.Task) == nil || !deadline(n.Kind, *in.Task(n.Task)).Equal(n.Deadline) {
			continue // done, or its deadline moved (a new notice will come)
		}
		pn.Total++
		if len(pn.Items) < desktop.Limit {
			pn.Items = append(pn.Items, d.entry(n))
		}
	}
	if pn.Total == 0 {
		return desktop.Contribution{}, nil
	}
	return desktop.Contribution{Panels: []desktop.Panel{pn}}, nil
}

// instance reads a running instance once per desktop (nil: gone or ended).
func (d Desk) instance(ctx context.Context, seen map[string]*workflow.Instance, id string) (*workflow.Instance, error) {
	if in, ok := seen[id]; ok {
		return in, nil
	}
	in, _, err := store.Load[workflow.Instance](ctx, d.Store, workflow.InstanceCollection, id)
	var out *workflow.Instance
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, err
	case in.State == workflow.Running:
		out = &in
	}
	seen[id] = out
	return out, nil
}

func (d Desk) entry(n Notice) desktop.Entry {
	e := desktop.Entry{ID: n.ID, Source: "reminder", Action: string(n.Kind), At: n.At, Overdue: true,
		Classification: classification.Level(cmp.Or(n.Subject.Fields["classification"], string(classification.Feimi)))}
	due := n.Deadline
	e.Due = &due
	if n.Kind == Escalate {
		e.ActionLabel, e.Title = "超期督办", "下属待办超过督办时限，请督促办理"
	} else {
		e.ActionLabel, e.Title = "催办提醒", "待办已超过办理时限，请尽快办理"
	}
	if d.Link != nil {
		e.Link = d.Link(n.Subject)
	}
	return e
}

// Watches names the notices' collection (desktop.Watcher).
func (d Desk) Watches() []string { return []string{Collection} }

// Audience of a notice is its recipient.
func (d Desk) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var n Notice
	if err := doc.Decode(&n); err != nil {
		return desktop.Audience{}, err
	}
	if n.Recipient == "" {
		return desktop.Audience{}, nil
	}
	return desktop.Audience{Users: []string{n.Recipient}}, nil
}
