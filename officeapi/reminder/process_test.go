package reminder_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"zhengwu/officeapi/reminder"
	"zhengwu/shared/audit"
	"zhengwu/shared/lease"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/testkit"
)

// childVar names the child's role: a scheduler process on the test's store.
const childVar = "ZHENGWU_REMINDER_CHILD"

func TestMain(m *testing.M) { testkit.Main(m, childVar, testkit.OnStore(runChild)) }

// runChild is one server process's scheduler, on the wall clock, with a
// short lease so that a takeover is quick.
func runChild(st *sqlitestore.Store, _ string) error {
	s := &reminder.Scheduler{Store: st, Trail: audit.New(st, nil), Tasks: reminder.StoreTasks{Store: st},
		Leader: leader, Interval: 10 * time.Millisecond,
		Leases: &lease.Leases{Store: st, Holder: holderName(os.Getpid()), TTL: 3 * time.Second, Poll: 20 * time.Millisecond}}
	testkit.Report("start", 1)
	return s.Run(context.Background())
}

func holderName(pid int) string { return "pid-" + strconv.Itoa(pid) }

// Two processes run the scheduler on one store: every notice is recorded
// once, by the lease's holder; when the holder is killed, the other takes
// over after the lease runs out and sends what falls due later, once.
func TestTwoProcessesOneSenderAndTakeover(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	e := testkit.New(t)
	// The instances' deadlines are on the test's clock, long past on the
	// children's wall clock.
	for i := range 15 {
		putInstance(t, e, fmt.Sprintf("a%02d", i), "alice", time.Hour, 2*time.Hour)
	}
	children := map[string]*testkit.Child{}
	for range 2 {
		c := testkit.StartChild(t, childVar, e.Dir)
		c.WaitOutput(t, time.Minute, "scheduler started", testkit.Reported("start"))
		children[holderName(c.Cmd.Process.Pid)] = c
	}
	testkit.Eventually(t, time.Minute, "30 notices", func() bool { return len(notices(t, e)) == 30 })
	leases := &lease.Leases{Store: e.Store}
	held, err := leases.Current(context.Background(), reminder.LeaseName)
	if err != nil {
		t.Fatal(err)
	}
	holder := children[held.Holder]
	if holder == nil {
		t.Fatalf("the lease is held by %q, not by a child", held.Holder)
	}
	holder.Kill(t)

	for i := range 10 {
		putInstance(t, e, fmt.Sprintf("b%02d", i), "bob", time.Hour, 2*time.Hour)
	}
	testkit.Eventually(t, time.Minute, "50 notices", func() bool { return len(notices(t, e)) == 50 })
	after, err := leases.Current(context.Background(), reminder.LeaseName)
	if err != nil {
		t.Fatal(err)
	}
	if after.Holder == held.Holder || after.Token <= held.Token {
		t.Fatalf("after the kill the lease is %+v, before %+v: want the other process, a higher token", after, held)
	}
	for _, n := range notices(t, e) {
		want := held.Token
		if n.Instance[0] == 'b' {
			want = after.Token
		}
		if n.Token != want {
			t.Fatalf("notice %s sent under token %d, want %d", n.ID, n.Token, want)
		}
	}
	tr := e.Restart().Trail
	if r, es := audited(t, tr, reminder.ActionRemind), audited(t, tr, reminder.ActionEscalate); r != 25 || es != 25 {
		t.Fatalf("audit entries: %d reminders, %d escalations; want 25 and 25", r, es)
	}
}
