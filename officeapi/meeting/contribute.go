package meeting

import (
	"context"
	"slices"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// remindAhead is how long before its start a meeting shows on its
// attendees' 待阅 as a reminder (会前提醒).
const remindAhead = 24 * time.Hour

// Link is the SPA path of a meeting.
func Link(id string) string { return "/office/meetings/" + id }

// Contribute puts meetings on a desktop: 待办 — notices to answer (参会回复)
// and invitations whose delegates p's department must name (指派参会人员);
// 待阅 — notices read again after a reminder, and meetings p attends that
// start within a day (会前提醒); a panel of p's coming meetings.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	now := s.meetings.Now()
	list := func(size int, f ...index.Filter) (Page, error) {
		f = append(f, index.Term("state", StateScheduled))
		return records.ListAs[Summary](ctx, s.meetings, p, records.Query{Sort: "startAt", Size: size}, f...)
	}
	reply, err := list(desktop.Limit, index.Term("unreplied", p.UserID), index.Range("endAt", now, nil))
	if err != nil {
		return c, err
	}
	for _, m := range reply.Items {
		c.Todo = append(c.Todo, entry(m, "reply", "参会回复"))
	}
	c.TodoTotal = reply.Total
	if depts := ownScopes(p); len(depts) > 0 {
		name, err := list(desktop.Limit, index.Terms("pendingDepts", depts...), index.Range("endAt", now, nil))
		if err != nil {
			return c, err
		}
		for _, m := range name.Items {
			c.Todo = append(c.Todo, entry(m, "delegates", "指派参会人员"))
		}
		c.TodoTotal += name.Total
	}
	reminded, err := list(desktop.Limit, index.Term("unread", p.UserID), index.Not(index.Term("unreplied", p.UserID)),
		index.Range("endAt", now, nil))
	if err != nil {
		return c, err
	}
	soon, err := list(desktop.Limit, index.Term("people", p.UserID), index.Range("startAt", now, now.Add(remindAhead)))
	if err != nil {
		return c, err
	}
	for _, m := range reminded.Items {
		if m.ChangedAt != nil {
			c.ToRead = append(c.ToRead, entry(m, "notice", "会议变更"))
		} else {
			c.ToRead = append(c.ToRead, entry(m, "notice", "会议通知"))
		}
	}
	for _, m := range soon.Items {
		if !slices.ContainsFunc(c.ToRead, func(e desktop.Entry) bool { return e.ID == m.ID }) {
			c.ToRead = append(c.ToRead, entry(m, "soon", "会前提醒"))
		}
	}
	withdrawn, err := s.withdrawnFrom(ctx, p.UserID, now)
	if err != nil {
		return c, err
	}
	c.ToRead = append(c.ToRead, withdrawn...)
	c.ToReadTotal = uint64(len(c.ToRead))
	coming, err := list(5, index.Term("people", p.UserID), index.Range("endAt", now, nil))
	if err != nil || coming.Total == 0 {
		return c, err
	}
	pn := desktop.Panel{Key: "meeting.coming", Title: "近期会议", Link: "/office/meetings", Empty: "近期没有会议", Total: coming.Total}
	for _, m := range coming.Items {
		pn.Items = append(pn.Items, entry(m, "open", "会议"))
	}
	c.Panels = []desktop.Panel{pn}
	return c, nil
}

// ownScopes are the departments where p names delegates: those where p
// organises meetings by a departmental grant, and p's own departments
// when p organises office-wide.
func ownScopes(p *auth.Principal) []string {
	var out []string
	for _, d := range p.Scopes(auth.PermMeetingOrganise) {
		if d == auth.OfficeWide {
			out = append(out, p.Departments...)
		} else {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func entry(m Summary, action, label string) desktop.Entry {
	start := m.StartAt
	return desktop.Entry{ID: m.ID, Source: "meeting", Action: action, ActionLabel: label, Link: Link(m.ID),
		Title: m.Title + "（" + m.StartAt.In(cst).Format("1月2日 15:04") + "，" + m.RoomName + "）", Department: m.Department,
		Classification: m.Classification, At: m.UpdatedAt, Due: &start}
}

// withdrawnFrom are the 取消参会 notices of the meetings userID was taken
// off, until they start. The person may no longer read the meeting, so
// the list index is asked directly and the entry says no more than the
// notice they had (title, time, room) and links to the meeting list.
func (s *Service) withdrawnFrom(ctx context.Context, userID string, now time.Time) ([]desktop.Entry, error) {
	res, err := s.meetings.Index().List(ctx, index.Query{Size: desktop.Limit, Sort: []string{"startAt"}, Filters: []index.Filter{
		index.Term("withdrawn", userID), index.Term("state", StateScheduled), index.Range("startAt", now, nil)}})
	if err != nil {
		return nil, err
	}
	var out []desktop.Entry
	for _, h := range res.Hits {
		m, _, err := store.Load[Meeting](ctx, s.d.Store, Collection, h.ID)
		if err != nil || !slices.ContainsFunc(m.Withdrawn, func(w Withdrawn) bool { return w.UserID == userID }) {
			continue // changed since it was indexed
		}
		e := entry(m.Summary, "withdrawn", "取消参会")
		e.Link = "/office/meetings"
		e.Title = "您已不在「" + m.Title + "」参会名单中（" + m.StartAt.In(cst).Format("1月2日 15:04") + "，" + m.RoomName + "）"
		out = append(out, e)
	}
	return out, nil
}
