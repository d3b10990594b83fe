package assistant

import (
	"context"
	"maps"
	"slices"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// MaxCalendarSpan is the longest range one calendar request covers (a
// month view with the days of its neighbours).
const MaxCalendarSpan = 62 * 24 * time.Hour

// Kinds of calendar occurrence.
const (
	KindEvent   = "event"   // the person's own event
	KindMeeting = "meeting" // a meeting they attend or organise
	KindLeader  = "leader"  // the published leaders' schedule
)

// Occurrence is one thing on the calendar: an occurrence of the person's
// own event, or a read-only item another capability lays over it.
type Occurrence struct {
	Kind string `json:"kind"`
	// ID is the event's id (every occurrence of a repeat has the same),
	// or the meeting's, or the schedule entry's.
	ID             string               `json:"id"`
	Title          string               `json:"title"`
	Place          string               `json:"place,omitempty"`
	Start          time.Time            `json:"start"`
	End            time.Time            `json:"end"`
	AllDay         bool                 `json:"allDay"`
	Repeat         string               `json:"repeat,omitempty"`
	Link           string               `json:"link,omitempty"`
	ReadOnly       bool                 `json:"readOnly"`
	Classification classification.Level `json:"classification"`
}

// CalendarQuery is the range of a calendar request.
type CalendarQuery struct {
	From string `query:"from" validate:"required,datetime=2006-01-02" doc:"起始日期（含）"`
	To   string `query:"to" validate:"required,datetime=2006-01-02" doc:"截止日期（不含），至多 62 天"`
	// ConsistentWith waits for the events list to apply a write first.
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Calendar is a calendar range as the SPA draws it.
type Calendar struct {
	From  string       `json:"from"`
	To    string       `json:"to"`
	Items []Occurrence `json:"items"`
	// Unavailable names the overlays that could not be read this time
	// (the calendar shows the rest and says so).
	Unavailable []string `json:"unavailable"`
}

// Calendar is p's calendar for [q.From, q.To) (China days): their own
// events' occurrences and the overlays, by start.
func (s *Service) Calendar(ctx context.Context, p *auth.Principal, q CalendarQuery) (Calendar, error) {
	from, err1 := time.ParseInLocation(DateLayout, q.From, China)
	to, err2 := time.ParseInLocation(DateLayout, q.To, China)
	switch {
	case err1 != nil:
		return Calendar{}, problem.Invalid(problem.Field("from", "日期格式应为 2026-04-07", "from must be a date"))
	case err2 != nil || !to.After(from):
		return Calendar{}, problem.Invalid(problem.Field("to", "截止日期须晚于起始日期", "to must be after from"))
	case to.Sub(from) > MaxCalendarSpan:
		return Calendar{}, problem.Invalid(problem.Field("to", "一次至多查询62天", "at most 62 days at once"))
	}
	if err := s.events.Wait(ctx, q.ConsistentWith); err != nil {
		return Calendar{}, err
	}
	items, err := s.own(ctx, p, from, to)
	if err != nil {
		return Calendar{}, err
	}
	out := Calendar{From: q.From, To: q.To, Unavailable: []string{}}
	for _, kind := range slices.Sorted(maps.Keys(s.d.Overlays)) {
		more, err := s.d.Overlays[kind](ctx, p, from, to)
		if err != nil {
			if pe := problem.As(err); pe != nil && pe.Status < 500 {
				continue // not theirs to see (a 403 of the schedule): nothing to lay over
			}
			s.log().Warn("a calendar overlay failed", "kind", kind, "err", err)
			out.Unavailable = append(out.Unavailable, kind)
			continue
		}
		for _, o := range more {
			if p.MayRead(o.Classification) {
				o.ReadOnly = true
				items = append(items, o)
			}
		}
	}
	slices.SortStableFunc(items, func(a, b Occurrence) int { return a.Start.Compare(b.Start) })
	out.Items = items
	return out, nil
}

// own are the occurrences of p's own events in [from, to).
func (s *Service) own(ctx context.Context, p *auth.Principal, from, to time.Time) ([]Occurrence, error) {
	items := []Occurrence{}
	q := records.Query{Sort: "start", Size: index.MaxSize}
	for {
		page, err := s.events.List(ctx, p, q, mine(p), index.Range("start", nil, to), index.Range("lastEnd", from, nil))
		if err != nil {
			return nil, err
		}
		for _, e := range page.Items {
			for _, at := range e.occurrences(from, to) {
				items = append(items, Occurrence{Kind: KindEvent, ID: e.ID, Title: e.Title, Place: e.Place, Start: at,
					End: at.Add(e.End.Sub(e.Start)), AllDay: e.AllDay, Repeat: e.Repeat,
					Link: "/office/assistant?event=" + e.ID, Classification: classification.Feimi})
			}
		}
		if page.Next == "" {
			return items, nil
		}
		q.Cursor = page.Next
	}
}
