package duty

import (
	"context"
	"fmt"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// Contribute puts on a desktop: as to-do, the important items escalated
// to the person and not yet acknowledged (待阅示), swaps asked of them,
// swaps waiting for 值班室's approval, handovers waiting for the incoming
// shift; as a panel, their own duties from today on.
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	var c desktop.Contribution
	recent := func(sort string, size int) records.Query { return records.Query{Sort: sort, Size: size} }
	if p.Can(auth.PermDutyLead, auth.OfficeWide) {
		pg, err := s.logs.List(ctx, p, recent("-receivedAt", desktop.Limit),
			index.Term("escalation", EscalationPending), index.Term("escalatedTo", p.UserID))
		if err := todo(&c, pg, err, func(e Entry) desktop.Entry { return entryTodo(e, "acknowledge", "重要事项待阅示") }); err != nil {
			return c, err
		}
	}
	if p.Can(auth.PermDutyManage, auth.OfficeWide) {
		pg, err := s.logs.List(ctx, p, recent("-receivedAt", desktop.Limit), index.Term("escalation", EscalationUnassigned))
		if err := todo(&c, pg, err, func(e Entry) desktop.Entry { return entryTodo(e, "assign", "重要事项（当日无带班领导）") }); err != nil {
			return c, err
		}
		sw, err := s.swaps.List(ctx, p, recent("-updatedAt", desktop.Limit), index.Term("state", SwapAgreed),
			index.Not(index.Term("requester", p.UserID)), index.Not(index.Term("counterpart", p.UserID)))
		if err := todo(&c, sw, err, func(w Swap) desktop.Entry { return swapTodo(w, "approve", "调班审批") }); err != nil {
			return c, err
		}
	}
	asked, err := s.swaps.List(ctx, p, recent("-updatedAt", desktop.Limit), index.Term("state", SwapRequested), index.Term("counterpart", p.UserID))
	if err := todo(&c, asked, err, func(w Swap) desktop.Entry { return swapTodo(w, "agree", "调班待确认") }); err != nil {
		return c, err
	}
	if p.Can(auth.PermDutyLog, auth.OfficeWide) {
		hs, err := s.handovers.List(ctx, p, recent("-updatedAt", 3), index.Term("state", HandoverHanded), index.Not(index.Term("from", p.UserID)))
		if err := todo(&c, hs, err, func(h Handover) desktop.Entry {
			return desktop.Entry{ID: h.ID, Source: "duty", Action: "accept", ActionLabel: "交接班待接班",
				Title: fmt.Sprintf("%s 交班（%s）", h.Date, h.FromName), Link: "/office/duty?tab=handover&date=" + h.Date,
				Department: Department, Classification: classification.Feimi, At: h.UpdatedAt}
		}); err != nil {
			return c, err
		}
	}
	mine, err := s.Mine(ctx, p)
	if err != nil || len(mine) == 0 {
		return c, err
	}
	pn := desktop.Panel{Key: "duty.mine", Title: "我的值班", Link: "/office/duty", Empty: "近期没有值班安排", Total: uint64(len(mine))}
	for i, d := range mine {
		if i == 5 {
			break
		}
		at, _ := time.ParseInLocation(DateLayout, d.Date, s.zone)
		pn.Items = append(pn.Items, desktop.Entry{ID: d.Date + "-" + d.Position, Source: "duty", Action: d.Position,
			ActionLabel: positionNames[d.Position], Title: d.Date + " " + positionNames[d.Position] + "（带班领导 " + d.LeaderName + "）",
			Link: "/office/duty", Department: Department, Classification: classification.Feimi, At: at.Add(ShiftStart).UTC()})
	}
	c.Panels = []desktop.Panel{pn}
	return c, nil
}

// todo adds a list's items to c's to-do, and its total.
func todo[T any](c *desktop.Contribution, pg records.Page[T], err error, entry func(T) desktop.Entry) error {
	if err != nil {
		return err
	}
	for _, v := range pg.Items {
		c.Todo = append(c.Todo, entry(v))
	}
	c.TodoTotal += pg.Total
	return nil
}

func entryTodo(e Entry, action, label string) desktop.Entry {
	return desktop.Entry{ID: e.ID, Source: "duty", Action: action, ActionLabel: label, Title: e.CallerUnit + "：" + e.Title,
		Link: "/office/duty?tab=log&entry=" + e.ID, Department: Department, Classification: classification.Feimi, At: e.ReceivedAt}
}

func swapTodo(w Swap, action, label string) desktop.Entry {
	return desktop.Entry{ID: w.ID, Source: "duty", Action: action, ActionLabel: label,
		Title: fmt.Sprintf("%s %s %s 调班给 %s", w.RequesterName, w.Date, positionNames[w.Position], w.CounterpartName),
		Link:  "/office/duty?tab=swaps", Department: w.Department, Classification: classification.Feimi, At: w.UpdatedAt}
}

// MyDuty is one of a person's duties.
type MyDuty struct {
	Date       string `json:"date"`
	Position   string `json:"position"`
	LeaderName string `json:"leaderName"`
}

// Mine are p's duties from today on, in this month's and next month's
// published rosters.
func (s *Service) Mine(ctx context.Context, p *auth.Principal) ([]MyDuty, error) {
	today := s.Today()
	t, _ := time.Parse(DateLayout, today)
	out := []MyDuty{}
	for _, m := range []string{t.Format(MonthLayout), t.AddDate(0, 1, 1-t.Day()).Format(MonthLayout)} {
		r, _, err := s.rosters.Get(ctx, p, m)
		if err != nil || r.State != RosterPublished {
			continue // none, or not published: nothing of p's to show
		}
		for _, d := range r.Days {
			if d.Date < today {
				continue
			}
			for _, pos := range []string{PosLeader, PosMain, PosDeputy} {
				if d.at(pos).UserID == p.UserID {
					out = append(out, MyDuty{Date: d.Date, Position: pos, LeaderName: d.Leader.Name})
				}
			}
		}
	}
	return out, nil
}

// Watches names the duty collections (desktop.Watcher).
func (s *Service) Watches() []string {
	return []string{RosterCollection, SwapCollection, LogCollection, HandoverCollection}
}

// Audience of a duty document: a roster's people; a swap's two people and
// 值班室; an escalated entry's leader and 值班室; a handover's duty staff.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	manager := func(p *auth.Principal) bool { return p.Can(auth.PermDutyManage, auth.OfficeWide) }
	switch doc.Collection {
	case RosterCollection:
		var r Roster
		if err := doc.Decode(&r); err != nil {
			return desktop.Audience{}, err
		}
		var users []string
		for _, d := range r.Days {
			users = append(users, d.Leader.UserID, d.Main.UserID, d.Deputy.UserID)
		}
		return desktop.Audience{Users: users}, nil
	case SwapCollection:
		var w Swap
		if err := doc.Decode(&w); err != nil {
			return desktop.Audience{}, err
		}
		return desktop.Audience{Users: []string{w.Requester, w.Counterpart}, Anyone: manager}, nil
	case LogCollection:
		var e Entry
		if err := doc.Decode(&e); err != nil {
			return desktop.Audience{}, err
		}
		if e.EscalatedTo != "" {
			return desktop.Audience{Users: []string{e.EscalatedTo}}, nil
		}
		if e.Escalation == EscalationUnassigned {
			return desktop.Audience{Anyone: manager}, nil
		}
	case HandoverCollection:
		return desktop.Audience{Anyone: func(p *auth.Principal) bool { return p.Can(auth.PermDutyLog, auth.OfficeWide) }}, nil
	}
	return desktop.Audience{}, nil
}
