package schedule

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// Submit files an activity for a leader. A department submits for itself
// (schedule.leader.submit there); the office (schedule.compile) records
// one for any organising department. A submission after the week's
// deadline (Thursday 17:00 the week before) is accepted and marked late;
// once the week is published only the office adds to it, as a tracked
// change.
func (s *Service) Submit(ctx context.Context, a records.Actor, in Input) (View, error) {
	return s.submit(ctx, a, in, s.now())
}

func (s *Service) submit(ctx context.Context, a records.Actor, in Input, now time.Time) (View, error) {
	const action = "schedule.entry.submit"
	office := a.P.Can(auth.PermScheduleCompile, auth.OfficeWide)
	dept := in.Department
	if !office || dept == "" {
		var err error
		if dept, err = records.FilingDepartment(a.P, in.Department); err != nil {
			return View{}, err
		}
	}
	if !office && !a.P.Can(auth.PermScheduleSubmit, dept) {
		return View{}, s.entries.Refused(ctx, a, action, Collection+"/"+dept, problem.Forbidden())
	}
	e, err := s.fill(ctx, &Entry{}, in)
	if err != nil {
		return View{}, err
	}
	if !office && day(e.Date).Before(midnight(now)) {
		return View{}, problem.Invalid(problem.Field("date", "不能报送已过去日期的活动", "the date has passed"))
	}
	monday, _ := ParseWeek(e.Week)
	e.ID, e.Department, e.State = e.Week+"."+uuid.NewString(), dept, StateSubmitted
	e.Submitter, e.SubmitterName, e.Late = a.P.UserID, a.P.Name, now.After(Deadline(monday))
	e.CreatedAt, e.UpdatedAt = s.now(), s.now()
	tx, docs, err := s.inWeek(ctx, a, action, e.Week, func(tx *weekTx) (string, map[string]any, error) {
		target := Collection + "/" + e.ID
		switch {
		case tx.week.State == WeekPublished && !office:
			return target, nil, problem.New(409, problem.CodeInvalidState, "本周领导活动安排已发布，如需增加请联系综合处",
				"the week is published: ask the office to add it").With("state", tx.week.State)
		case tx.week.State == WeekPublished:
			// The office adds to a published week: scheduled at once, a change.
			e.State = StateScheduled
			tx.add(e)
			tx.record(a, "added", nil, e, s.now())
			tx.conflicts()
		default:
			tx.add(e)
		}
		return target, map[string]any{"leader": e.LeaderName, "date": e.Date, "period": e.Period, "late": e.Late}, nil
	})
	if err != nil {
		return View{}, err
	}
	return records.ViewOf(*tx.entry(e.ID), docs[e.ID], nil)
}

func midnight(t time.Time) time.Time {
	t = t.In(China)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, China)
}

// fill checks in and copies it onto e: the leader from the list, the
// times in order, the week of the date.
func (s *Service) fill(ctx context.Context, e *Entry, in Input) (*Entry, error) {
	list, err := s.leaders(ctx)
	if err != nil {
		return nil, err
	}
	l, ok := list.leader(in.LeaderID)
	if !ok {
		return nil, problem.Invalid(problem.Field("leaderId", "领导不在领导名单中", "no such leader"))
	}
	if in.EndDate == in.Date {
		in.EndDate = ""
	}
	last := in.Date
	if in.EndDate != "" {
		last = in.EndDate
	}
	switch {
	case in.EndDate != "" && day(in.EndDate).Before(day(in.Date)):
		return nil, problem.Invalid(problem.Field("endDate", "结束日期不能早于开始日期", "endDate is before date"))
	case in.EndDate != "" && day(in.EndDate).Sub(day(in.Date)) > 30*24*time.Hour:
		return nil, problem.Invalid(problem.Field("endDate", "一项活动至多31天", "at most 31 days"))
	case !at(last, in.End).After(at(in.Date, in.Start)):
		return nil, problem.Invalid(problem.Field("end", "结束时间须晚于开始时间", "end must be after start"))
	case periodOf(in.Start) != in.Period:
		return nil, problem.Invalid(problem.Field("period", fmt.Sprintf("开始时间 %s 属于%s", in.Start, periodOf(in.Start)),
			"the start time is in another part of the day"))
	case strings.TrimSpace(in.Content) == "":
		return nil, problem.Invalid(problem.Field("content", "请填写活动内容", "content is required"))
	case strings.TrimSpace(in.Place) == "":
		return nil, problem.Invalid(problem.Field("place", "请填写活动地点", "place is required"))
	}
	level := in.Classification
	if level == "" {
		level = classification.Feimi
	}
	e.Week = WeekOf(day(in.Date))
	e.LeaderID, e.LeaderName, e.LeaderTitle, e.LeaderRank = l.ID, l.Name, l.Title, l.Rank
	e.Date, e.EndDate, e.Period, e.Start, e.End, e.Type = in.Date, in.EndDate, in.Period, in.Start, in.End, in.Type
	e.Content, e.Place, e.City = strings.TrimSpace(in.Content), strings.TrimSpace(in.Place), strings.TrimSpace(in.City)
	e.Attendees, e.Contact, e.Phone = strings.TrimSpace(in.Attendees), strings.TrimSpace(in.Contact), strings.TrimSpace(in.Phone)
	e.Classification = level
	return e, nil
}

// periodOf is the part of the day a clock time falls in: 上午 before
// noon, 下午 until 18:00, 晚上 after.
func periodOf(clock string) string {
	switch {
	case clock < "12:00":
		return "上午"
	case clock < "18:00":
		return "下午"
	default:
		return "晚上"
	}
}

// Update changes an entry: its submitter while it waits for the compile,
// the office until the week is published and after — then as a tracked
// change, put on the viewers' desktops again. The week stays the entry's:
// moving an activity to another week is a withdrawal and a new one.
func (s *Service) Update(ctx context.Context, a records.Actor, id string, in Input) (View, error) {
	const action = "schedule.entry.update"
	w, err := weekOfEntry(id)
	if err != nil {
		return View{}, err
	}
	office := a.P.Can(auth.PermScheduleCompile, auth.OfficeWide)
	var fresh *Entry
	if fresh, err = s.fill(ctx, &Entry{}, in); err != nil {
		return View{}, err
	}
	if fresh.Week != w {
		return View{}, problem.Invalid(problem.Field("date", "只能在本周内调整日期；改到其他周请撤回后重新报送", "the date must stay in the entry's week"))
	}
	tx, docs, err := s.inWeek(ctx, a, action, w, func(tx *weekTx) (string, map[string]any, error) {
		e, err := entryIn(tx, a, id)
		if err != nil {
			return "", nil, err
		}
		target := Collection + "/" + id
		switch {
		case !office && e.Submitter != a.P.UserID && !a.P.Can(auth.PermScheduleSubmit, e.Department):
			return target, nil, problem.Forbidden()
		case !office && e.State != StateSubmitted:
			return target, nil, problem.InvalidState(StateNames[e.State], e.State)
		case !e.live():
			return target, nil, problem.InvalidState(StateNames[e.State], e.State)
		}
		before := *e
		fresh.ID, fresh.Department, fresh.State, fresh.Late = e.ID, e.Department, e.State, e.Late
		fresh.Submitter, fresh.SubmitterName, fresh.CreatedAt, fresh.Conflicts = e.Submitter, e.SubmitterName, e.CreatedAt, e.Conflicts
		if fresh.Classification == "" {
			fresh.Classification = e.Classification
		}
		if len(diff(&before, fresh)) == 0 {
			return target, nil, nil // nothing changed: nothing written
		}
		*e = *fresh
		tx.mark(e)
		switch {
		case tx.week.State == WeekPublished:
			e.State = StateChanged
			tx.record(a, "changed", &before, e, s.now())
		case e.State == StateScheduled:
			tx.reopen() // the approval was of the week before this change
		}
		if e.State != StateSubmitted {
			tx.conflicts()
		}
		return target, map[string]any{"fields": diff(&before, e)}, nil
	})
	if err != nil {
		return View{}, err
	}
	e := tx.entry(id)
	doc, ok := docs[id]
	if !ok {
		return s.Get(ctx, a.P, id)
	}
	if tx.week.State == WeekPublished {
		s.tellChanged(ctx, a, e, "变更")
	}
	return records.ViewOf(*e, doc, nil)
}

// Withdraw is the submitter taking back an entry not yet compiled.
func (s *Service) Withdraw(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.entryStep(ctx, a, "schedule.entry.withdraw", id, func(tx *weekTx, e *Entry) error {
		if e.Submitter != a.P.UserID {
			return problem.Forbidden()
		}
		if e.State != StateSubmitted {
			return problem.InvalidState(StateNames[e.State], e.State)
		}
		e.State = StateWithdrawn
		return nil
	})
}

// Return sends an entry back to its department before publishing (the
// office; the comment says why).
func (s *Service) Return(ctx context.Context, a records.Actor, id string, d Decision) (View, error) {
	comment := strings.TrimSpace(d.Comment)
	if comment == "" {
		return View{}, problem.Invalid(problem.Field("comment", "退回时须填写原因", "a return needs a comment"))
	}
	return s.entryStep(ctx, a, "schedule.entry.return", id, func(tx *weekTx, e *Entry) error {
		if !a.P.Can(auth.PermScheduleCompile, auth.OfficeWide) {
			return problem.Forbidden()
		}
		if tx.week.State == WeekPublished {
			return problem.New(409, problem.CodeInvalidState, "本周安排已发布，请改为取消该活动", "the week is published: cancel it instead").With("state", tx.week.State)
		}
		if e.State != StateSubmitted && e.State != StateScheduled {
			return problem.InvalidState(StateNames[e.State], e.State)
		}
		if e.State == StateScheduled {
			tx.reopen()
		}
		e.State, e.Comment, e.Conflicts = StateReturned, comment, nil
		tx.conflicts()
		return nil
	})
}

// Cancel cancels an activity of a published week (the office): a tracked
// change, on the viewers' desktops again.
func (s *Service) Cancel(ctx context.Context, a records.Actor, id string, d Decision) (View, error) {
	v, err := s.entryStep(ctx, a, "schedule.entry.cancel", id, func(tx *weekTx, e *Entry) error {
		if !a.P.Can(auth.PermScheduleCompile, auth.OfficeWide) {
			return problem.Forbidden()
		}
		if tx.week.State != WeekPublished {
			return problem.New(409, problem.CodeInvalidState, "本周安排尚未发布，请改为退回", "the week is not published: return it instead").With("state", tx.week.State)
		}
		if !e.live() {
			return problem.InvalidState(StateNames[e.State], e.State)
		}
		before := *e
		e.State, e.Comment, e.Conflicts = StateCancelled, strings.TrimSpace(d.Comment), nil
		tx.record(a, "cancelled", &before, e, s.now())
		tx.conflicts()
		return nil
	})
	if err == nil {
		s.tellChanged(ctx, a, &v.Document, "取消")
	}
	return v, err
}

// entryStep is one step of one entry, in its week's transaction.
func (s *Service) entryStep(ctx context.Context, a records.Actor, action, id string, step func(tx *weekTx, e *Entry) error) (View, error) {
	w, err := weekOfEntry(id)
	if err != nil {
		return View{}, err
	}
	tx, docs, err := s.inWeek(ctx, a, action, w, func(tx *weekTx) (string, map[string]any, error) {
		e, err := entryIn(tx, a, id)
		if err != nil {
			return "", nil, err
		}
		if err := step(tx, e); err != nil {
			return Collection + "/" + id, nil, err
		}
		tx.mark(e)
		return Collection + "/" + id, map[string]any{"state": e.State, "comment": e.Comment}, nil
	})
	if err != nil {
		return View{}, err
	}
	return records.ViewOf(*tx.entry(id), docs[id], nil)
}

// record appends a change after publishing to the week's log.
func (tx *weekTx) record(a records.Actor, kind string, before, after *Entry, now time.Time) {
	c := Change{Seq: len(tx.week.Changes) + 1, At: now, By: a.P.UserID, ByName: a.P.Name, Kind: kind, EntryID: after.ID}
	if before != nil {
		b := *before
		b.Conflicts = nil
		c.Before = &b
		c.Fields = diff(before, after)
	}
	aft := *after
	aft.Conflicts, aft.UpdatedAt = nil, now
	c.After = &aft
	verb := map[string]string{"added": "增加", "changed": "调整", "cancelled": "取消"}[kind]
	c.Summary = fmt.Sprintf("%s%s %s%s %s", verb, after.LeaderTitle+after.LeaderName, after.Date, after.Period, after.Content)
	if len(c.Fields) > 0 && kind == "changed" {
		c.Summary += "（" + strings.Join(c.Fields, "、") + "）"
	}
	tx.week.Changes = append(tx.week.Changes, c)
	tx.mark(nil)
}

// diff names (in Chinese) the fields in which two versions of an entry
// differ.
func diff(a, b *Entry) []string {
	var out []string
	for _, f := range []struct {
		name string
		x, y string
	}{
		{"领导", a.LeaderID, b.LeaderID}, {"日期", a.Date + "~" + a.EndDate, b.Date + "~" + b.EndDate},
		{"时段", a.Period, b.Period}, {"时间", a.Start + "-" + a.End, b.Start + "-" + b.End}, {"类型", a.Type, b.Type},
		{"内容", a.Content, b.Content}, {"地点", a.Place + "|" + a.City, b.Place + "|" + b.City},
		{"陪同人员", a.Attendees, b.Attendees}, {"联系人", a.Contact + "|" + a.Phone, b.Contact + "|" + b.Phone},
		{"密级", string(a.Classification), string(b.Classification)},
	} {
		if f.x != f.y && !slices.Contains(out, f.name) {
			out = append(out, f.name)
		}
	}
	return out
}

// reopen voids an approval given before a compiled activity changed or
// left the week: the week waits for approval again.
func (tx *weekTx) reopen() {
	if tx.week.State == WeekApproved {
		tx.week.State, tx.week.Approved = WeekCompiled, nil
		tx.mark(nil)
	}
}
