package reminder

import (
	"cmp"
	"context"
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
// new notice concerns (desktop.Watcher): its recipient. The notices that
// still stand are kept in memory by recipient (book), so a desktop reads
// no notice from the store. Make it with NewDesk.
type Desk struct {
	link  func(s workflow.Subject, node string) string
	notes *book
}

// NewDesk is the 提醒 panel over st's notices; link is the SPA path of a
// task's subject at its node ("/office/documents/<id>"), nil for none.
func NewDesk(st store.Store, link func(s workflow.Subject, node string) string) *Desk {
	return &Desk{link: link, notes: &book{store: st}}
}

// Contribute is the 提醒 panel, when the person has any.
func (d *Desk) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	mine, err := d.notes.standing(ctx, p.UserID)
	if err != nil || len(mine) == 0 {
		return desktop.Contribution{}, err
	}
	slices.SortFunc(mine, func(a, b Notice) int { return cmp.Or(b.At.Compare(a.At), cmp.Compare(a.ID, b.ID)) })
	pn := desktop.Panel{Key: "reminder", Title: "提醒", Empty: "暂无提醒", Items: []desktop.Entry{}, Total: uint64(len(mine))}
	for _, n := range mine[:min(len(mine), desktop.Limit)] {
		pn.Items = append(pn.Items, d.entry(n))
	}
	return desktop.Contribution{Panels: []desktop.Panel{pn}}, nil
}

func (d *Desk) entry(n Notice) desktop.Entry {
	e := desktop.Entry{ID: n.ID, Source: "reminder", Action: string(n.Kind), At: n.At, Overdue: true,
		Classification: classification.Level(cmp.Or(n.Subject.Fields["classification"], string(classification.Feimi)))}
	due := n.Deadline
	e.Due = &due
	if n.Kind == Escalate {
		e.ActionLabel, e.Title = "超期督办", "下属待办超过督办时限，请督促办理"
	} else {
		e.ActionLabel, e.Title = "催办提醒", "待办已超过办理时限，请尽快办理"
	}
	if d.link != nil {
		e.Link = d.link(n.Subject, n.Node)
	}
	return e
}

// Watches names the notices' collection (desktop.Watcher).
func (d *Desk) Watches() []string { return []string{Collection} }

// Audience of a notice is its recipient.
func (d *Desk) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
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
