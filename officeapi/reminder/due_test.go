package reminder_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"zhengwu/officeapi/reminder"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// The due index hands a pass exactly the tasks whose deadlines have
// passed: on a random set of instances changed between passes by another
// process (deadlines moved, tasks closed and opened, instances completed
// or deleted), the notices recorded after each pass are exactly those a
// scan of every instance calls for, and a scanning scheduler run after it
// finds nothing left to send.
func TestDueIndexRecordsExactlyWhatAScanFinds(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	e := testkit.New(t)
	ctx := context.Background()
	limit := func() time.Time {
		if rng.IntN(5) == 0 {
			return time.Time{} // no limit
		}
		return e.Clock.Now().Add(time.Duration(rng.IntN(96)-24) * time.Hour)
	}
	task := func(in *workflow.Instance) workflow.TaskItem {
		in.NextTask++
		due := limit()
		esc := time.Time{}
		if !due.IsZero() && rng.IntN(3) > 0 {
			esc = due.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
		}
		return workflow.TaskItem{ID: fmt.Sprintf("t%d", in.NextTask), Node: "review", Assignee: fmt.Sprintf("u%d", rng.IntN(20)),
			OpenedAt: e.Clock.Now(), Due: due, EscalateAt: esc}
	}
	save := func(in workflow.Instance) {
		if _, err := store.Save(ctx, e.Store, workflow.InstanceCollection, in.ID, in, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	load := func(id string) (workflow.Instance, bool) {
		in, _, err := store.Load[workflow.Instance](ctx, e.Store, workflow.InstanceCollection, id)
		return in, err == nil
	}
	var ids []string
	for i := range 300 {
		in := workflow.Instance{ID: fmt.Sprintf("i%03d", i), Flow: "test", Version: 1, State: workflow.Running, Initiator: "u0",
			Subject: workflow.Subject{Collection: "docs", ID: fmt.Sprintf("d%03d", i)}, StartedAt: e.Clock.Now(),
			History: []workflow.Event{{Seq: 1, Node: "start", Action: "start", At: e.Clock.Now()}}}
		for range rng.IntN(4) {
			in.Tasks = append(in.Tasks, task(&in))
		}
		if rng.IntN(6) == 0 {
			in.State = workflow.Completed
		}
		save(in)
		ids = append(ids, in.ID)
	}

	idx := &reminder.DueIndex{Store: e.Store}
	due := &reminder.Scheduler{Store: e.Store, Trail: e.Trail, Tasks: idx, Leader: leader, Now: e.Clock.Now}
	scan := &reminder.Scheduler{Store: e.Store, Trail: e.Trail, Tasks: reminder.StoreTasks{Store: e.Store}, Leader: leader, Now: e.Clock.Now}
	want := map[string]bool{}
	for round := range 8 {
		if round > 0 {
			// Another process steps some flows on.
			for _, id := range ids {
				in, ok := load(id)
				if !ok || rng.IntN(4) > 0 {
					continue
				}
				switch x := rng.IntN(6); {
				case x == 0 && len(in.Tasks) > 0: // a deadline moves (returned, transferred)
					i := rng.IntN(len(in.Tasks))
					in.Tasks[i].Due, in.Tasks[i].EscalateAt = limit(), time.Time{}
				case x == 1 && len(in.Tasks) > 0: // a task is done
					in.Tasks = slices.Delete(in.Tasks, 0, 1)
				case x == 2:
					in.Tasks = append(in.Tasks, task(&in))
				case x == 3:
					in.State, in.Tasks = workflow.Completed, nil
				case x == 4:
					if _, err := e.Store.Delete(ctx, workflow.InstanceCollection, id, store.AnyVersion); err != nil {
						t.Fatal(err)
					}
					continue
				}
				save(in)
			}
			e.Clock.Advance(time.Duration(rng.IntN(30)) * time.Hour)
		}
		// What a pass now calls for, read from every instance.
		if err := (reminder.StoreTasks{Store: e.Store}).Open(ctx, func(in *workflow.Instance, tk workflow.TaskItem) error {
			for _, k := range []reminder.Kind{reminder.Remind, reminder.Escalate} {
				d := tk.Due
				if k == reminder.Escalate {
					d = tk.EscalateAt
				}
				if !d.IsZero() && !e.Clock.Now().Before(d) {
					want[reminder.NoticeID(k, in.ID, tk)] = true
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		pass(t, due, 1)
		got := map[string]bool{}
		for _, n := range notices(t, e) {
			got[n.ID] = true
		}
		if !maps.Equal(got, want) {
			t.Fatalf("round %d: recorded %d notices, a scan calls for %d: missing %v, extra %v", round, len(got), len(want),
				diff(want, got), diff(got, want))
		}
		if n := pass(t, scan, 1); n != 0 {
			t.Fatalf("round %d: a scanning pass after the due index's recorded %d more", round, n)
		}
		// Handed out and recorded: the next call at the same time reads none.
		calls := 0
		if err := idx.Due(ctx, e.Clock.Now(), func(*workflow.Instance, workflow.TaskItem) error { calls++; return nil }); err != nil {
			t.Fatal(err)
		}
		if calls != 0 {
			t.Fatalf("round %d: a second call handed out %d tasks again", round, calls)
		}
	}
	if len(want) < 50 {
		t.Fatalf("only %d notices over the rounds: the test should exercise more", len(want))
	}
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
