package lease_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/shared/lease"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/testkit"
)

// cut is a store whose writes fail while down is set: a holder that cannot
// reach the database (or is paused) and so cannot renew. It counts reads
// so that a test can wait for a contender to have tried many times.
type cut struct {
	store.Store
	down  atomic.Bool
	reads atomic.Int64
}

var errDown = errors.New("store unreachable")

func (c *cut) Get(ctx context.Context, collection, id string) (store.Doc, error) {
	c.reads.Add(1)
	return c.Store.Get(ctx, collection, id)
}

func (c *cut) Put(ctx context.Context, collection, id string, data []byte, expect int64) (store.Doc, error) {
	if c.down.Load() {
		return store.Doc{}, errDown
	}
	return c.Store.Put(ctx, collection, id, data, expect)
}

func leases(s store.Store, holder string, clk *testkit.Clock) *lease.Leases {
	return &lease.Leases{Store: s, Holder: holder, TTL: 10 * time.Second, Margin: 3 * time.Second,
		Poll: time.Millisecond, Now: clk.Now}
}

func TestAcquireRenewExpireTokens(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	clk := testkit.NewClock(testkit.DefaultStart)
	a, b := leases(s, "a", clk), leases(s, "b", clk)

	la, err := a.Acquire(ctx, "job")
	if err != nil || la.Token != 1 {
		t.Fatalf("first acquisition: %+v, %v; want token 1", la, err)
	}
	if _, err := b.Acquire(ctx, "job"); !errors.Is(err, lease.ErrHeld) {
		t.Fatalf("second contender: %v, want ErrHeld", err)
	}
	clk.Advance(6 * time.Second)
	if la, err = a.Renew(ctx, la); err != nil || la.Token != 1 {
		t.Fatalf("renewal: %+v, %v; want the same token", la, err)
	}
	clk.Advance(6 * time.Second) // 12 s after acquiring, 6 s after renewing: still held
	if _, err := b.Acquire(ctx, "job"); !errors.Is(err, lease.ErrHeld) {
		t.Fatalf("after a renewal: %v, want ErrHeld", err)
	}
	clk.Advance(5 * time.Second) // a stopped renewing: expired
	lb, err := b.Acquire(ctx, "job")
	if err != nil || lb.Token != 2 || lb.Holder != "b" {
		t.Fatalf("after expiry: %+v, %v; want b with token 2", lb, err)
	}
	if _, err := a.Renew(ctx, la); !errors.Is(err, lease.ErrLost) {
		t.Fatalf("old holder renews: %v, want ErrLost", err)
	}
	if err := b.Release(ctx, lb); err != nil {
		t.Fatal(err)
	}
	la, err = a.Acquire(ctx, "job") // released: free at once
	if err != nil || la.Token != 3 {
		t.Fatalf("after release: %+v, %v; want token 3", la, err)
	}
}

// Many contenders racing for one lease at one instant: exactly one wins,
// and every acquisition's token is above the one before.
func TestConcurrentAcquireOneWinsTokensIncrease(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	clk := testkit.NewClock(testkit.DefaultStart)
	last := int64(0)
	for round := range 5 {
		var wins atomic.Int64
		var won lease.Lease
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				l, err := leases(s, string(rune('a'+i)), clk).Acquire(ctx, "job")
				if err == nil {
					wins.Add(1)
					mu.Lock()
					won = l
					mu.Unlock()
				} else if !errors.Is(err, lease.ErrHeld) {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("round %d: %d contenders acquired, want exactly 1", round, wins.Load())
		}
		if won.Token <= last {
			t.Fatalf("round %d: token %d after %d: not increasing", round, won.Token, last)
		}
		last = won.Token
		clk.Advance(11 * time.Second)
	}
}

func TestFenceRefusesAnOlderToken(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	work := func(token int64) error {
		w, err := lease.Fence(ctx, s, "job", token)
		if err != nil {
			return err
		}
		_, err = s.PutAll(ctx, []store.Write{w, {Collection: "work", ID: "w", Data: []byte(`{}`), ExpectVersion: store.AnyVersion}})
		return err
	}
	if err := work(1); err != nil {
		t.Fatal(err)
	}
	// The stale holder read the fence before the new one wrote: its write
	// loses the compare-and-set.
	stale, err := lease.Fence(ctx, s, "job", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := work(2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutAll(ctx, []store.Write{stale}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale holder's prepared write: %v, want ErrConflict", err)
	}
	if err := work(1); !errors.Is(err, lease.ErrFenced) {
		t.Fatalf("stale holder after the new one wrote: %v, want ErrFenced", err)
	}
	if err := work(2); err != nil {
		t.Fatalf("the current holder again: %v", err)
	}
}

// runner is one process's Run with what its fn saw.
type runner struct {
	s       *cut
	started atomic.Int64 // acquisitions that ran fn
	running atomic.Bool
	token   atomic.Int64
}

// startRunner starts a process's Run, stopped (and waited for) when the
// test ends.
func startRunner(t *testing.T, base store.Store, holder string, clk *testkit.Clock, inside *atomic.Int64) *runner {
	ctx, cancel := context.WithCancel(context.Background())
	r := &runner{s: &cut{Store: base}}
	m := leases(r.s, holder, clk)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = m.Run(ctx, "job", func(ctx context.Context, l lease.Lease) error {
			if n := inside.Add(1); n != 1 {
				t.Errorf("%d runners inside at once", n)
			}
			r.token.Store(l.Token)
			r.started.Add(1)
			r.running.Store(true)
			<-ctx.Done()
			r.running.Store(false)
			inside.Add(-1)
			return nil
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	return r
}

// Two processes run the same singleton: one runs it, the other stands
// by; when the holder can no longer renew it stops before its lease
// expires, and the other takes over after the expiry with a higher token.
func TestRunOneHolderAndTakeover(t *testing.T) {
	s := storetest.NewSQLite(t)
	clk := testkit.NewClock(testkit.DefaultStart)
	var inside atomic.Int64
	a := startRunner(t, s, "a", clk, &inside)
	testkit.Eventually(t, 10*time.Second, "a runs", func() bool { return a.running.Load() })
	b := startRunner(t, s, "b", clk, &inside)
	// b tries many times while a holds and renews.
	from := b.s.reads.Load()
	testkit.Eventually(t, 10*time.Second, "b contends", func() bool { return b.s.reads.Load() > from+50 })
	if b.started.Load() != 0 || a.started.Load() != 1 {
		t.Fatalf("while a holds: a started %d, b %d; want 1 and 0", a.started.Load(), b.started.Load())
	}

	a.s.down.Store(true) // a can no longer renew
	clk.Advance(8 * time.Second)
	testkit.Eventually(t, 10*time.Second, "a stops before its expiry", func() bool { return !a.running.Load() })
	from = b.s.reads.Load()
	testkit.Eventually(t, 10*time.Second, "b contends", func() bool { return b.s.reads.Load() > from+20 })
	if b.started.Load() != 0 {
		t.Fatal("b started before a's lease expired")
	}
	clk.Advance(3 * time.Second) // past a's expiry
	testkit.Eventually(t, 10*time.Second, "b takes over", func() bool { return b.running.Load() })
	if a.token.Load() != 1 || b.token.Load() != 2 {
		t.Fatalf("tokens a %d, b %d; want 1 then 2", a.token.Load(), b.token.Load())
	}
	a.s.down.Store(false) // a is back: it stands by
	from = a.s.reads.Load()
	testkit.Eventually(t, 10*time.Second, "a contends", func() bool { return a.s.reads.Load() > from+20 })
	if a.started.Load() != 1 || !b.running.Load() {
		t.Fatalf("a restarted (%d) or b stopped (%v) while b holds", a.started.Load(), b.running.Load())
	}
}
