package reminder_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi/reminder"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// leaders: each holder's leader, as the organisation would answer.
func leader(_ context.Context, user string) (string, error) { return "leader-of-" + user, nil }

func scheduler(e *testkit.Env) *reminder.Scheduler {
	return &reminder.Scheduler{Store: e.Store, Trail: e.Trail, Tasks: reminder.StoreTasks{Store: e.Store},
		Leader: leader, Now: e.Clock.Now, Interval: time.Millisecond}
}

// putInstance stores a running instance as the engine leaves it, with one
// open task for holder due in due, escalated in esc (from the clock's now).
func putInstance(t testing.TB, e *testkit.Env, id, holder string, due, esc time.Duration) {
	t.Helper()
	now := e.Clock.Now()
	in := workflow.Instance{ID: id, Flow: "test", Version: 1, State: workflow.Running, Initiator: "u0",
		Subject:   workflow.Subject{Collection: "docs", ID: "d-" + id},
		Tasks:     []workflow.TaskItem{{ID: "t1", Node: "review", Assignee: holder, OpenedAt: now, Due: now.Add(due), EscalateAt: now.Add(esc)}},
		StartedAt: now}
	if _, err := store.Save(context.Background(), e.Store, workflow.InstanceCollection, id, in, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
}

func pass(t testing.TB, s *reminder.Scheduler, token int64) int {
	t.Helper()
	n, err := s.Pass(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func notices(t testing.TB, e *testkit.Env) []reminder.Notice {
	t.Helper()
	all, err := reminder.All(context.Background(), e.Store)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// audited counts the trail's entries of action.
func audited(t testing.TB, tr *audit.Trail, action string) int {
	t.Helper()
	all, err := tr.List(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, en := range all {
		if en.Action == action {
			n++
		}
	}
	return n
}

func TestReminderThenEscalationOnceAcrossRestart(t *testing.T) {
	e := testkit.New(t)
	putInstance(t, e, "i1", "alice", 2*time.Hour, 6*time.Hour)
	s := scheduler(e)
	if n := pass(t, s, 1); n != 0 {
		t.Fatalf("before the deadline: %d notices", n)
	}
	e.Clock.Advance(2 * time.Hour) // exactly the deadline: due
	if n := pass(t, s, 1); n != 1 {
		t.Fatalf("at the deadline: %d notices, want 1 reminder", n)
	}
	if n := pass(t, s, 1); n != 0 {
		t.Fatalf("second pass: %d new notices, want 0", n)
	}
	// A restarted process (new trail, new scheduler, nothing in memory).
	r := e.Restart()
	s2 := scheduler(r)
	if n := pass(t, s2, 2); n != 0 {
		t.Fatalf("after a restart: %d new notices, want 0", n)
	}
	e.Clock.Advance(4 * time.Hour)
	if n := pass(t, s2, 2); n != 1 {
		t.Fatalf("at the second limit: %d notices, want 1 escalation", n)
	}
	if n := pass(t, scheduler(r.Restart()), 3); n != 0 {
		t.Fatalf("after another restart: %d new notices, want 0", n)
	}
	all := notices(t, e)
	if len(all) != 2 {
		t.Fatalf("%d notices stored, want 2: %+v", len(all), all)
	}
	byKind := map[reminder.Kind]reminder.Notice{}
	for _, n := range all {
		byKind[n.Kind] = n
	}
	if rm := byKind[reminder.Remind]; rm.Recipient != "alice" || rm.Holder != "alice" || rm.Task != "t1" || rm.Instance != "i1" {
		t.Fatalf("reminder: %+v", rm)
	}
	if es := byKind[reminder.Escalate]; es.Recipient != "leader-of-alice" || es.Holder != "alice" || es.Token != 2 {
		t.Fatalf("escalation: %+v", es)
	}
	if a, b := audited(t, r.Trail, reminder.ActionRemind), audited(t, r.Trail, reminder.ActionEscalate); a != 1 || b != 1 {
		t.Fatalf("audit entries: %d reminders, %d escalations; want 1 and 1", a, b)
	}
}

func TestTaskFinishedBeforeDueGetsNone(t *testing.T) {
	e := testkit.New(t)
	putInstance(t, e, "done", "alice", time.Hour, 3*time.Hour)
	putInstance(t, e, "moved", "bob", time.Hour, 3*time.Hour)
	putInstance(t, e, "late", "carol", time.Hour, 3*time.Hour)
	e.Clock.Advance(30 * time.Minute)
	ctx := context.Background()
	// "done" completes; "moved" is approved and its node's task closed.
	if _, _, err := store.Update(ctx, e.Store, workflow.InstanceCollection, "done", func(in *workflow.Instance) error {
		in.State, in.Tasks, in.EndedAt = workflow.Completed, nil, e.Clock.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Update(ctx, e.Store, workflow.InstanceCollection, "moved", func(in *workflow.Instance) error {
		in.Tasks = nil
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(24 * time.Hour)
	if n := pass(t, scheduler(e), 1); n != 2 {
		t.Fatalf("%d notices, want 2 (the late task's reminder and escalation)", n)
	}
	for _, n := range notices(t, e) {
		if n.Instance != "late" {
			t.Fatalf("a notice for a finished task: %+v", n)
		}
	}
}

// Several schedulers passing at the same moment, each with its own audit
// trail as separate processes have, and no lease between them: the ids
// and create-only writes alone keep every notice single.
func TestConcurrentPassesRecordEachOnce(t *testing.T) {
	e := testkit.New(t)
	const tasks = 20
	for i := range tasks {
		putInstance(t, e, fmt.Sprintf("i%02d", i), fmt.Sprintf("u%d", i%3), time.Hour, 2*time.Hour)
	}
	e.Clock.Advance(3 * time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	for p := range 4 {
		s := scheduler(e.Restart())
		wg.Go(func() {
			for range 3 {
				n, err := s.Pass(context.Background(), 1)
				if err != nil {
					t.Errorf("scheduler %d: %v", p, err)
					return
				}
				mu.Lock()
				sent += n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	tr := e.Restart().Trail
	if got, r, es := len(notices(t, e)), audited(t, tr, reminder.ActionRemind), audited(t, tr, reminder.ActionEscalate); sent != 2*tasks ||
		got != 2*tasks || r != tasks || es != tasks {
		t.Fatalf("sent %d, stored %d, audited %d reminders and %d escalations; want %d, %d, %d, %d",
			sent, got, r, es, 2*tasks, 2*tasks, tasks, tasks)
	}
}

// A holder paused past its lease wakes up after a newer holder has sent:
// the fence refuses its writes.
func TestStaleHolderIsFenced(t *testing.T) {
	e := testkit.New(t)
	putInstance(t, e, "i1", "alice", time.Hour, 10*time.Hour)
	putInstance(t, e, "i2", "bob", 2*time.Hour, 10*time.Hour)
	e.Clock.Advance(time.Hour)
	if n := pass(t, scheduler(e), 2); n != 1 {
		t.Fatalf("newer holder: %d notices, want 1", n)
	}
	e.Clock.Advance(time.Hour) // i2 is due now too
	_, err := scheduler(e.Restart()).Pass(context.Background(), 1)
	if !errors.Is(err, lease.ErrFenced) {
		t.Fatalf("stale holder's pass: %v, want ErrFenced", err)
	}
	if all := notices(t, e); len(all) != 1 {
		t.Fatalf("%d notices after the stale pass, want 1", len(all))
	}
}

// Two schedulers Run at once under the lease: one sends everything, the
// other stands by; later deadlines are sent by the same one, once.
func TestRunOneSender(t *testing.T) {
	e := testkit.New(t)
	for i := range 5 {
		putInstance(t, e, fmt.Sprintf("i%d", i), "alice", time.Hour, 5*time.Hour)
	}
	for i, name := range []string{"p1", "p2"} {
		s := scheduler(e.Restart())
		s.Leases = &lease.Leases{Store: e.Store, Holder: name, TTL: 24 * time.Hour /* longer than the clock moves here */, Poll: time.Millisecond, Now: e.Clock.Now}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("scheduler %d: %v", i, err)
			}
		})
	}
	e.Clock.Advance(time.Hour)
	testkit.Eventually(t, 10*time.Second, "5 reminders", func() bool { return len(notices(t, e)) == 5 })
	e.Clock.Advance(4 * time.Hour)
	testkit.Eventually(t, 10*time.Second, "5 escalations", func() bool { return len(notices(t, e)) == 10 })
	tokens := map[int64]bool{}
	for _, n := range notices(t, e) {
		tokens[n.Token] = true
	}
	if len(tokens) != 1 {
		t.Fatalf("notices sent under tokens %v, want one sender", tokens)
	}
	if r := audited(t, e.Restart().Trail, reminder.ActionRemind); r != 5 {
		t.Fatalf("%d reminder entries, want 5", r)
	}
}
