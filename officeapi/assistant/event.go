package assistant

import (
	"context"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// MaxEventSpan is the longest one occurrence may last.
const MaxEventSpan = 31 * 24 * time.Hour

// maxRepeatSpan is how far ahead a repeat may run.
const maxRepeatSpan = 3 * 366 * 24 * time.Hour

// GetEvent returns p's own event (404 for anyone else's).
func (s *Service) GetEvent(ctx context.Context, p *auth.Principal, id string) (EventView, error) {
	return records.ViewOf(s.events.Get(ctx, p, id))
}

// CreateEvent adds an event to the actor's calendar.
func (s *Service) CreateEvent(ctx context.Context, a records.Actor, in EventInput) (EventView, error) {
	now := s.events.Now()
	e := Event{Owner: a.P.UserID, CreatedAt: now}
	if err := fill(&e, in, now); err != nil {
		return EventView{}, err
	}
	return records.ViewOf(s.events.Create(ctx, a, "assistant.event.create", e, map[string]any{"start": e.Start, "repeat": e.Repeat}))
}

// UpdateEvent edits the actor's event at the version they read.
func (s *Service) UpdateEvent(ctx context.Context, a records.Actor, id string, in EventInput) (EventView, error) {
	e, doc, err := s.events.Get(ctx, a.P, id)
	if err != nil {
		return EventView{}, err
	}
	if in.Version != doc.Version {
		return EventView{}, problem.Conflict("日程已被修改，请刷新后重试", "the event changed; reload and retry")
	}
	if err := fill(&e, in, s.events.Now()); err != nil {
		return EventView{}, err
	}
	return records.ViewOf(s.events.Put(ctx, a, "assistant.event.update", e, doc.Version, map[string]any{"start": e.Start, "repeat": e.Repeat}))
}

// DeleteEvent removes the actor's event (a tombstone nobody reads).
func (s *Service) DeleteEvent(ctx context.Context, a records.Actor, id string) (EventView, error) {
	return records.ViewOf(s.events.Step(ctx, a, "assistant.event.delete", id, func(e *Event) (map[string]any, error) {
		e.Deleted, e.RemindAt, e.UpdatedAt = true, nil, s.events.Now()
		return map[string]any{"title": e.Title}, nil
	}))
}

// fill checks in and writes it into e: an end after the start, a repeat
// with its last day, an all-day event from the start of its first China
// day to the start of the day after its last.
func fill(e *Event, in EventInput, now time.Time) error {
	start, end := in.Start, in.End
	if in.AllDay {
		start, end = dayStart(start), dayStart(end).AddDate(0, 0, 1)
	}
	var fields []problem.FieldError
	switch {
	case strings.TrimSpace(in.Title) == "":
		fields = append(fields, problem.Field("title", "请填写日程标题", "title is required"))
	case !end.After(start):
		fields = append(fields, problem.Field("end", "结束时间须晚于开始时间", "end must be after start"))
	case end.Sub(start) > MaxEventSpan:
		fields = append(fields, problem.Field("end", "单个日程不能超过31天", "an event lasts at most 31 days"))
	}
	if in.Repeat != RepeatNone {
		until, err := time.ParseInLocation(DateLayout, in.RepeatUntil, China)
		switch {
		case in.RepeatUntil == "" || err != nil:
			fields = append(fields, problem.Field("repeatUntil", "重复日程须设定截止日期", "a repeat needs its last day"))
		case until.Before(dayStart(start)):
			fields = append(fields, problem.Field("repeatUntil", "截止日期不能早于开始日期", "the last day is before the start"))
		case until.Sub(start) > maxRepeatSpan:
			fields = append(fields, problem.Field("repeatUntil", "重复日程最长三年", "a repeat runs at most three years"))
		}
	}
	if checkRemind(in.Remind) != nil {
		fields = append(fields, problem.Field("remind", "提醒只能是提前15分钟、1小时或1天", "remind is 0, 15, 60 or 1440 minutes"))
	}
	if len(fields) > 0 {
		return problem.Invalid(fields...)
	}
	e.Title, e.Place, e.Notes = strings.TrimSpace(in.Title), strings.TrimSpace(in.Place), strings.TrimSpace(in.Notes)
	e.AllDay, e.Start, e.End, e.Repeat, e.Remind = in.AllDay, start.UTC(), end.UTC(), in.Repeat, in.Remind
	e.RepeatUntil = ""
	if in.Repeat != RepeatNone {
		e.RepeatUntil = in.RepeatUntil
	}
	e.RemindAt = e.nextReminder(now)
	e.UpdatedAt = now
	return nil
}

// dayStart is the start of t's China day.
func dayStart(t time.Time) time.Time {
	y, m, d := t.In(China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, China)
}

// occurrences are the starts of e's occurrences that overlap [from, to),
// in order.
func (e *Event) occurrences(from, to time.Time) []time.Time {
	span := e.End.Sub(e.Start)
	if e.Repeat == RepeatNone {
		if e.Start.Before(to) && e.End.After(from) {
			return []time.Time{e.Start}
		}
		return nil
	}
	until, _ := time.ParseInLocation(DateLayout, e.RepeatUntil, China)
	until = until.AddDate(0, 0, 1) // the last day, inclusive
	first := e.Start.In(China)
	var out []time.Time
	for n := 0; ; n++ {
		var at time.Time
		switch e.Repeat {
		case RepeatDaily:
			at = first.AddDate(0, 0, n)
		case RepeatWeekly:
			at = first.AddDate(0, 0, 7*n)
		case RepeatMonthly:
			at = first.AddDate(0, n, 0)
			if at.Day() != first.Day() {
				continue // no 31st this month: skipped, as calendars do
			}
		}
		if !at.Before(to) || !at.Before(until) || n > 1200 {
			return out
		}
		if at.Add(span).After(from) {
			out = append(out, at.UTC())
		}
	}
}

// nextReminder is when the next reminder of e is due after now: the
// earliest occurrence whose reminder time is still to come.
func (e *Event) nextReminder(now time.Time) *time.Time {
	if e.Remind == 0 || e.Deleted {
		return nil
	}
	before := time.Duration(e.Remind) * time.Minute
	for _, at := range e.occurrences(now.Add(before), now.Add(maxRepeatSpan)) {
		if r := at.Add(-before); r.After(now) {
			return &r
		}
	}
	return nil
}

// lastEnd is when e's last occurrence ends: what the calendar's index
// query looks for (events over before a range are never read for it).
func (e *Event) lastEnd() time.Time {
	if e.Repeat == RepeatNone {
		return e.End
	}
	until, _ := time.ParseInLocation(DateLayout, e.RepeatUntil, China)
	return until.AddDate(0, 0, 1).Add(e.End.Sub(e.Start))
}
