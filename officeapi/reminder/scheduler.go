package reminder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/classification"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// LeaseName is the lease the scheduler runs under.
const LeaseName = "reminders"

// Audit actions of the notices.
const (
	ActionRemind   = "workflow.remind"
	ActionEscalate = "workflow.escalate"
)

// Scheduler records reminders and escalations for overdue tasks. Set the
// fields, then call Run (or Pass); they must not change afterwards.
type Scheduler struct {
	Store store.Store  // required
	Trail *audit.Trail // required: every notice commits with its entry
	// Tasks is required: StoreTasks{Store} reads every instance on each
	// pass; &DueIndex{Store: Store} only the deadlines that have passed.
	Tasks Tasks
	// Leader names the user an escalation goes to; "" when there is none
	// (the notice is still recorded, for the office to see). Required.
	Leader func(ctx context.Context, user string) (string, error)
	// Leases is how Run takes the lease; required for Run.
	Leases *lease.Leases
	// Interval is the wall time between passes; default one minute.
	Interval time.Duration
	// Now is the clock deadlines are compared with; default time.Now.
	Now func() time.Time
	// Logger reports failed passes (Run); default slog.Default().
	Logger *slog.Logger
	// Notify tells a notice's recipient in their inbox (kind urge), with
	// Link the SPA path of the task's subject; nil tells no one.
	Notify notify.Sender
	Link   func(s workflow.Subject, node string) string
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Run makes passes every Interval while this process holds the lease,
// until ctx ends. A pass that fails is logged and tried again on the
// next tick; a pass refused by the fence ends this holding.
func (s *Scheduler) Run(ctx context.Context) error {
	interval := s.Interval
	if interval <= 0 {
		interval = time.Minute
	}
	return s.Leases.Run(ctx, LeaseName, func(ctx context.Context, l lease.Lease) error {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			_, err := s.Pass(ctx, l.Token)
			switch {
			case errors.Is(err, lease.ErrFenced):
				<-ctx.Done() // a newer holder exists: stop sending, wait to be told the lease is gone
				return nil
			case err != nil && ctx.Err() == nil:
				s.logger().Warn("reminder pass failed", "err", err, "token", l.Token)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	})
}

// Pass records every notice due now and not yet recorded, sending under
// token (the lease's fencing token), and returns how many it recorded.
// Running it again, anywhere, records nothing already recorded.
func (s *Scheduler) Pass(ctx context.Context, token int64) (int, error) {
	now := s.now()
	sent := 0
	each := func(in *workflow.Instance, t workflow.TaskItem) error {
		for _, kind := range []Kind{Remind, Escalate} {
			d := deadline(kind, t)
			if d.IsZero() || now.Before(d) {
				continue
			}
			ok, err := s.send(ctx, token, kind, in, t, now)
			if err != nil {
				return err
			}
			if ok {
				sent++
			}
		}
		return nil
	}
	var err error
	if due, ok := s.Tasks.(DueTasks); ok {
		err = due.Due(ctx, now, each) // the passed deadlines only
	} else {
		err = s.Tasks.Open(ctx, each)
	}
	return sent, err
}

// send records one notice unless it exists. ok is false when it did.
func (s *Scheduler) send(ctx context.Context, token int64, kind Kind, in *workflow.Instance, t workflow.TaskItem, now time.Time) (ok bool, err error) {
	id := NoticeID(kind, in.ID, t)
	if _, err := s.Store.Get(ctx, Collection, id); err == nil {
		return false, nil // recorded before: the cheap path of every later pass
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	n := Notice{ID: id, Kind: kind, Instance: in.ID, Task: t.ID, Node: t.Node, Subject: in.Subject,
		Holder: t.Assignee, Recipient: t.Assignee, Deadline: deadline(kind, t), At: now, Token: token}
	action := ActionRemind
	if kind == Escalate {
		action = ActionEscalate
		if n.Recipient, err = s.Leader(ctx, t.Assignee); err != nil {
			return false, fmt.Errorf("reminder: leader of %s: %w", t.Assignee, err)
		}
	}
	data, err := store.Encode(n)
	if err != nil {
		return false, err
	}
	ev := audit.Event{Actor: "system", Action: action, Target: workflow.InstanceCollection + "/" + in.ID,
		Outcome: audit.Success, Details: map[string]any{"task": t.ID, "node": t.Node, "holder": t.Assignee,
			"recipient": n.Recipient, "deadline": n.Deadline, "notice": id}}
	err = store.Retry(ctx, func(ctx context.Context) error {
		fence, err := lease.Fence(ctx, s.Store, LeaseName, token)
		if err != nil {
			return err
		}
		_, err = s.Trail.Commit(ctx, []store.Write{{Collection: Collection, ID: id, Data: data, ExpectVersion: 0}, fence}, ev)
		if errors.Is(err, store.ErrConflict) {
			// The notice was recorded by another attempt (nothing to do),
			// or the fence moved (the next try sees why).
			if _, gerr := s.Store.Get(ctx, Collection, id); gerr == nil {
				return errRecorded
			}
		}
		return err
	})
	if errors.Is(err, errRecorded) {
		return false, nil
	}
	if err == nil {
		s.tell(ctx, n)
	}
	return err == nil, err
}

// tell puts a notice just recorded in its recipient's inbox (its id is
// the Key: a pass that records it again does not). A failure is logged.
func (s *Scheduler) tell(ctx context.Context, n Notice) {
	if s.Notify == nil || n.Recipient == "" {
		return
	}
	title := "催办提醒：待办已超过办理时限，请尽快办理"
	if n.Kind == Escalate {
		title = "超期督办：下属待办超过督办时限，请督促办理"
	}
	level := classification.Level(n.Subject.Fields["classification"])
	if !level.Valid() {
		level = classification.Feimi // the title names nothing of the subject
	}
	link := ""
	if s.Link != nil {
		link = s.Link(n.Subject, n.Node)
	}
	if err := s.Notify.Send(ctx, notify.Notice{Recipients: []string{n.Recipient}, Kind: notify.KindUrge, Title: title,
		Link: link, Key: "reminder:" + n.ID, Classification: level}); err != nil {
		s.logger().Error("notice of a reminder failed", "notice", n.ID, "err", err)
	}
}

var errRecorded = errors.New("reminder: recorded by another attempt")
