package lease_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/shared/lease"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/testkit"
)

// The fencing through a whole takeover: a holder that paused past its
// expiry wakes and writes with its old token after another took the lease
// over and wrote — refused, and its renewal too. A release is a handover,
// not a takeover.
func TestStaleHolderRefusedAfterTakeover(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	clk := testkit.NewClock(testkit.DefaultStart)
	a, b := leases(s, "a", clk), leases(s, "b", clk)
	write := func(l lease.Lease, id string) error {
		f, err := lease.Fence(ctx, s, "job", l.Token)
		if err != nil {
			return err
		}
		_, err = s.PutAll(ctx, []store.Write{f, {Collection: "work", ID: id, Data: []byte(`{}`), ExpectVersion: 0}})
		return err
	}
	la, err := a.Acquire(ctx, "job")
	if err != nil {
		t.Fatal(err)
	}
	if la.TookOver() {
		t.Fatal("a first acquisition is no takeover")
	}
	if err := write(la, "1"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(11 * time.Second) // a paused past its expiry
	lb, err := b.Acquire(ctx, "job")
	if err != nil || !lb.TookOver() || lb.Token != la.Token+1 {
		t.Fatalf("b after a's expiry: %+v %v, took over %v; want a takeover with the next token", lb, err, lb.TookOver())
	}
	if err := write(lb, "2"); err != nil {
		t.Fatal(err)
	}
	if err := write(la, "3"); !errors.Is(err, lease.ErrFenced) {
		t.Fatalf("a's write after b's: %v, want ErrFenced", err)
	}
	if _, err := s.Get(ctx, "work", "3"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refused write left its work behind: %v", err)
	}
	if _, err := a.Renew(ctx, la); !errors.Is(err, lease.ErrLost) {
		t.Fatalf("a renews: %v, want ErrLost", err)
	}
	if err := b.Release(ctx, lb); err != nil {
		t.Fatal(err)
	}
	la, err = a.Acquire(ctx, "job")
	if err != nil || la.TookOver() {
		t.Fatalf("after b released: %+v %v, took over %v; want a handover", la, err, la.TookOver())
	}
}

// Run's metrics: held is 1 in the holder only; the standby counts the
// takeover when the holder stops renewing.
func TestRunMetrics(t *testing.T) {
	s := storetest.NewSQLite(t)
	clk := testkit.NewClock(testkit.DefaultStart)
	ma, mb := lease.NewMetrics(), lease.NewMetrics()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	da, db := &cut{Store: s}, &cut{Store: s}
	var runningA, runningB atomic.Bool
	run := func(st store.Store, holder string, m *lease.Metrics, running *atomic.Bool) chan struct{} {
		l := leases(st, holder, clk)
		l.Metrics = m
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = l.Run(ctx, "job", func(ctx context.Context, _ lease.Lease) error {
				running.Store(true)
				<-ctx.Done()
				running.Store(false)
				return nil
			})
		}()
		return done
	}
	doneA := run(da, "a", ma, &runningA)
	testkit.Eventually(t, 10*time.Second, "a holds", func() bool { return runningA.Load() })
	doneB := run(db, "b", mb, &runningB)
	from := db.reads.Load()
	testkit.Eventually(t, 10*time.Second, "b contends", func() bool { return db.reads.Load() > from+20 })
	if metric(t, ma, "zhengwu_lease_held") != 1 || metric(t, mb, "zhengwu_lease_held") != 0 {
		t.Fatal("held: want 1 in a, 0 in b")
	}
	da.down.Store(true) // a can no longer renew
	clk.Advance(11 * time.Second)
	testkit.Eventually(t, 10*time.Second, "b takes over", func() bool { return runningB.Load() })
	testkit.Eventually(t, 10*time.Second, "a lets go", func() bool { return metric(t, ma, "zhengwu_lease_held") == 0 })
	if got := metric(t, mb, "zhengwu_lease_takeovers_total"); got != 1 {
		t.Fatalf("b's takeovers: %v, want 1", got)
	}
	if got := metric(t, ma, "zhengwu_lease_takeovers_total"); got != 0 {
		t.Fatalf("a's takeovers: %v, want 0", got)
	}
	cancel()
	<-doneA
	<-doneB
}

// metric reads the value of name{name="job"} from m.
func metric(t *testing.T, m *lease.Metrics, name string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(m.Collectors()...)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, x := range mf.GetMetric() {
			if x.GetLabel()[0].GetValue() == "job" {
				return x.GetGauge().GetValue() + x.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no %s{name=\"job\"}", name)
	return 0
}
