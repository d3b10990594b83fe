package reminder_test

import (
	"context"
	"testing"
	"time"

	"zhengwu/officeapi/reminder"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// panel is the 提醒 panel's entries on user's desktop: notice ids, and the
// total.
func panel(t *testing.T, d *reminder.Desk, user string) ([]string, uint64) {
	t.Helper()
	c, err := d.Contribute(context.Background(), &auth.Principal{UserID: user})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Panels) == 0 {
		return nil, 0
	}
	var ids []string
	for _, e := range c.Panels[0].Items {
		ids = append(ids, e.ID)
	}
	return ids, c.Panels[0].Total
}

func TestDeskShowsTheNoticesThatStandFromMemory(t *testing.T) {
	e := testkit.New(t)
	putInstance(t, e, "i1", "alice", time.Hour, 3*time.Hour)
	putInstance(t, e, "i2", "alice", 2*time.Hour, 5*time.Hour)
	desk := reminder.NewDesk(e.Store, func(s workflow.Subject, _ string) string { return "/x/" + s.ID })
	if ids, total := panel(t, desk, "alice"); total != 0 || len(ids) != 0 {
		t.Fatalf("nothing due yet: %v %d", ids, total)
	}
	s := scheduler(e)
	e.Clock.Advance(3 * time.Hour) // i1: reminded and escalated; i2: reminded
	if n := pass(t, s, 1); n != 3 {
		t.Fatalf("%d notices, want 3", n)
	}
	// The desk (loaded before the notices) follows them from the feed.
	if ids, total := panel(t, desk, "alice"); total != 2 || len(ids) != 2 {
		t.Fatalf("alice's reminders: %v %d, want 2", ids, total)
	}
	if ids, total := panel(t, desk, "leader-of-alice"); total != 1 || len(ids) != 1 {
		t.Fatalf("her leader's escalation: %v %d, want 1", ids, total)
	}

	// i1's task is done: its reminder and escalation no longer stand, in
	// this desk and in a fresh one (another process).
	in, ver, err := store.Load[workflow.Instance](context.Background(), e.Store, workflow.InstanceCollection, "i1")
	if err != nil {
		t.Fatal(err)
	}
	in.Tasks = nil
	in.State = workflow.Completed
	if _, err := store.Save(context.Background(), e.Store, workflow.InstanceCollection, "i1", in, ver); err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*reminder.Desk{"the running desk": desk, "a fresh desk": reminder.NewDesk(e.Store, nil)} {
		if ids, total := panel(t, d, "alice"); total != 1 || len(ids) != 1 {
			t.Fatalf("%s: alice's reminders after i1 was done: %v %d, want i2's only", name, ids, total)
		}
		if _, total := panel(t, d, "leader-of-alice"); total != 0 {
			t.Fatalf("%s: the escalation of a done task still shows", name)
		}
	}
}
