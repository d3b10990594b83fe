package assistant

import (
	"context"
	"errors"
	"fmt"
	"time"

	"zhengwu/officeapi/notify"
	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/audit"
	"zhengwu/shared/classification"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// LeaseName is the lease the reminder sweep runs under.
const LeaseName = "assistant-reminders"

// auditOf is the audit entry of a reminder sent: the sweep acts as the
// system.
func auditOf(collection, id string, at time.Time) audit.Event {
	return audit.Event{Actor: "system", Action: "assistant.remind", Target: collection + "/" + id, Outcome: audit.Success,
		Details: map[string]any{"at": at}}
}

// Run sends reminders until ctx ends, in the one process that holds the
// lease: every Interval it sends what fell due and moves each reminder on.
// Without Leases (a single process, a test) it runs unconditionally.
func (s *Service) Run(ctx context.Context) error {
	every := s.d.Interval
	if every <= 0 {
		every = time.Minute
	}
	loop := func(ctx context.Context, _ lease.Lease) error {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log().Error("assistant reminder sweep failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}
	if s.d.Leases == nil {
		return loop(ctx, lease.Lease{})
	}
	return s.d.Leases.Run(ctx, LeaseName, loop)
}

// Sweep sends every reminder due by now and returns how many it sent. A
// notice's Key is the document and the reminder's time, so a sweep
// repeated after a crash (or by a second process) tells no one twice; the
// document then moves on to its next reminder at the version read, so a
// change by its owner meanwhile wins and is swept again next time.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.events.Now()
	sent := 0
	n, err := sweep(ctx, s, s.events.ListIndex, EventCollection, now, func(e *Event) (notify.Notice, *time.Time) {
		at := e.RemindAt.Add(time.Duration(e.Remind) * time.Minute)
		return notify.Notice{Recipients: []string{e.Owner}, Kind: notify.KindSystem,
			Title: "日程提醒：" + e.Title, Body: when(at, e.AllDay) + place(e.Place), Link: "/office/assistant?event=" + e.ID,
			Classification: classification.Feimi}, e.nextReminder(*e.RemindAt)
	}, func(e *Event) *time.Time { return e.RemindAt }, func(e *Event, r *time.Time) { e.RemindAt = r })
	sent += n
	if err != nil {
		return sent, err
	}
	n, err = sweep(ctx, s, s.todos.ListIndex, TodoCollection, now, func(t *Todo) (notify.Notice, *time.Time) {
		return notify.Notice{Recipients: []string{t.Owner}, Kind: notify.KindSystem,
			Title: "待办提醒：" + t.Title, Body: "截止 " + when(*t.Due, false), Link: "/office/assistant?tab=todos",
			Classification: t.Classification}, nil
	}, func(t *Todo) *time.Time { return t.RemindAt }, func(t *Todo, r *time.Time) { t.RemindAt = r })
	return sent + n, err
}

// sweep is one collection's part of Sweep.
func sweep[T any](ctx context.Context, s *Service, list *feed.ListIndex, collection string, now time.Time,
	notice func(*T) (notify.Notice, *time.Time), due func(*T) *time.Time, set func(*T, *time.Time)) (int, error) {
	if err := list.CatchUp(ctx); err != nil {
		return 0, err
	}
	res, err := list.Index().List(ctx, index.Query{Filters: []index.Filter{index.Range("remindAt", nil, now.Add(time.Nanosecond))},
		Sort: []string{"remindAt"}, Size: index.MaxSize})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, h := range res.Hits {
		doc, err := s.d.Store.Get(ctx, collection, h.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return sent, err
		}
		var v T
		if err := doc.Decode(&v); err != nil {
			return sent, err
		}
		at := due(&v)
		if at == nil || at.After(now) {
			continue // moved on since the index saw it
		}
		n, next := notice(&v)
		n.Key = fmt.Sprintf("assistant:%s:%d", h.ID, at.Unix())
		if s.d.Notify != nil {
			if err := s.d.Notify.Send(ctx, n); err != nil {
				s.log().Error("an assistant reminder was not sent", "id", h.ID, "err", err)
				continue // the document keeps its reminder: the next sweep tries again
			}
		}
		sent++
		set(&v, next)
		data, err := store.Encode(v)
		if err != nil {
			return sent, err
		}
		if _, err := s.d.Trail.Commit(ctx, []store.Write{{Collection: collection, ID: h.ID, Data: data, ExpectVersion: doc.Version}},
			auditOf(collection, h.ID, *at)); err != nil && !errors.Is(err, store.ErrConflict) {
			return sent, err
		}
	}
	list.Notify()
	return sent, nil
}

func when(t time.Time, allDay bool) string {
	if allDay {
		return t.In(China).Format("1月2日") + " 全天"
	}
	return t.In(China).Format("1月2日 15:04")
}

func place(p string) string {
	if p == "" {
		return ""
	}
	return "，" + p
}
