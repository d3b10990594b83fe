package schedule

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// ChangeNoticeDays is how long a change after publishing stays on the
// viewers' desktops as something to read.
const ChangeNoticeDays = 7

// Contribute puts on a viewer's desktop this week's and next week's
// published activities still to come (a panel) and the changes made to
// them after publishing (to read); on the office's, the weeks waiting to
// be compiled, approved or published (to do). Someone without
// schedule.view gets nothing of the schedule.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	if !Viewer(p) {
		return c, nil
	}
	now := s.now()
	this := WeekOf(now)
	pn := desktop.Panel{Key: "schedule.week", Title: "领导活动安排", Link: "/office/schedule", Empty: "本周暂无已发布的领导活动"}
	for _, w := range []string{this, WeekOf(now.AddDate(0, 0, 7))} {
		tx, err := s.readWeek(ctx, w)
		if err != nil {
			return c, err
		}
		s.todo(p, tx, &c)
		if tx.week.State != WeekPublished {
			continue
		}
		link := "/office/schedule?week=" + w
		entries := slices.Clone(tx.entries)
		slices.SortFunc(entries, func(a, b *Entry) int { sa, _ := a.span(); sb, _ := b.span(); return sa.Compare(sb) })
		for _, e := range entries {
			if _, end := e.span(); (e.State == StateScheduled || e.State == StateChanged) && end.After(now) && p.MayRead(e.Classification) {
				pn.Total++
				if len(pn.Items) < desktop.Limit {
					pn.Items = append(pn.Items, desktop.Entry{ID: e.ID, Source: "schedule", Action: "view", ActionLabel: e.Type,
						Title: fmt.Sprintf("%s %s %s%s %s（%s）", e.LeaderName, e.Date[5:], e.Period, e.Start, e.Content, e.Place),
						Link:  link, Classification: e.Classification, At: e.UpdatedAt})
				}
			}
		}
		for _, ch := range readable(p, tx) {
			if now.Sub(ch.At) > ChangeNoticeDays*24*time.Hour {
				continue
			}
			c.ToReadTotal++
			c.ToRead = append(c.ToRead, desktop.Entry{ID: fmt.Sprintf("%s#%d", w, ch.Seq), Source: "schedule", Action: "read",
				ActionLabel: "活动变更", Title: "领导活动安排变更：" + ch.Summary, Link: link + "&tab=changes",
				Classification: ch.After.Classification, At: ch.At})
		}
	}
	c.Panels = []desktop.Panel{pn}
	return c, nil
}

// todo adds the office's work on a week to the to-do list.
func (s *Service) todo(p *auth.Principal, tx *weekTx, c *desktop.Contribution) {
	v := tx.view()
	add := func(action, label string) {
		c.TodoTotal++
		c.Todo = append(c.Todo, desktop.Entry{ID: tx.week.ID, Source: "schedule", Action: action, ActionLabel: label,
			Title: fmt.Sprintf("%s 领导活动安排（%d 项）", tx.week.ID, v.Entries), Link: "/office/schedule?tab=compile&week=" + tx.week.ID,
			At: s.now()})
	}
	compiler, approver := p.Can(auth.PermScheduleCompile, auth.OfficeWide), p.Can(auth.PermScheduleApprove, auth.OfficeWide)
	switch {
	case compiler && tx.week.State != WeekPublished && v.Pending > 0:
		add("compile", "编排")
	case compiler && tx.week.State == WeekApproved:
		add("publish", "发布")
	case approver && tx.week.State == WeekCompiled && (tx.week.Compiled == nil || tx.week.Compiled.By != p.UserID):
		add("approve", "审定")
	}
}

// Watches names the collections whose changes move desktops
// (desktop.Watcher): a week's state and change log, and the entries (the
// office's to-do).
func (s *Service) Watches() []string { return []string{WeekCollection, Collection} }

// Audience of a week: whoever may read the schedule (its panel and its
// changes); of an entry: the office that compiles (its to-do). Both are
// cheap predicates on the principal, as rights decide.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	switch {
	case !found:
		return desktop.Audience{}, nil
	case doc.Collection == Collection:
		return desktop.Audience{Anyone: func(p *auth.Principal) bool { return p.Can(auth.PermScheduleCompile, auth.OfficeWide) }}, nil
	default:
		return desktop.Audience{Anyone: Viewer}, nil
	}
}
