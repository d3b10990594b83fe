package store_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/shared/memlimit"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/testkit"
)

// owner is a follower's owner that records what it was handed and keeps
// its checkpoint in memory.
type owner struct {
	mu      sync.Mutex
	cp      int64
	seen    []int64
	batches int
	fail    int // Apply fails this many more times
}

func (o *owner) follower(s store.Store) *store.Follower {
	return &store.Follower{Store: s, Name: "test", Logger: slog.New(slog.DiscardHandler),
		Checkpoint: func(context.Context) (int64, error) { o.mu.Lock(); defer o.mu.Unlock(); return o.cp, nil },
		Apply: func(_ context.Context, changes []store.Change) error {
			o.mu.Lock()
			defer o.mu.Unlock()
			if o.fail > 0 {
				o.fail--
				return errors.New("index unavailable")
			}
			o.batches++
			for _, c := range changes {
				o.seen = append(o.seen, c.Seq)
			}
			o.cp = changes[len(changes)-1].Seq
			return nil
		}}
}

func (o *owner) checkpoint() int64 { o.mu.Lock(); defer o.mu.Unlock(); return o.cp }

func putN(t *testing.T, s store.Store, n int) []int64 {
	t.Helper()
	var seqs []int64
	for range n {
		d, err := s.Put(context.Background(), "c", "x", []byte(`{}`), store.AnyVersion)
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, d.Seq)
	}
	return seqs
}

// Steps resume from the owner's checkpoint, hand over at most BatchSize
// changes each, in order, and CatchUp stops at the store's last sequence.
func TestFollowerResumesFromTheOwnersCheckpoint(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	seqs := putN(t, s, 7)
	o := &owner{cp: seqs[2]}
	f := o.follower(s)
	f.BatchSize = 2
	if n, err := f.Step(context.Background()); err != nil || n != 2 {
		t.Fatalf("Step = %d, %v; want 2", n, err)
	}
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.seen, seqs[3:]) || o.batches != 2 {
		t.Fatalf("handed %v in %d batches, want %v in 2", o.seen, o.batches, seqs[3:])
	}
	if n, err := f.Step(context.Background()); err != nil || n != 0 {
		t.Fatalf("Step when caught up = %d, %v", n, err)
	}
}

// A failed Apply leaves the checkpoint, and the same changes come again;
// Run counts the failure and goes on.
func TestFollowerRetriesAfterErrors(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	seqs := putN(t, s, 3)
	o := &owner{fail: 2}
	f := o.follower(s)
	f.Interval = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx) }()
	testkit.Eventually(t, 10*time.Second, "handed the changes after two failures", func() bool { return o.checkpoint() == seqs[2] })
	cancel()
	<-done
	if !slices.Equal(o.seen, seqs) || f.Failures() != 2 {
		t.Fatalf("handed %v with %d failures; want %v once, after 2", o.seen, f.Failures(), seqs)
	}
}

// Run waits for Notify when the poll interval is long, and an AfterStep
// wait shortens the idle wait (the gateway's next embargo).
func TestFollowerRunWakesOnNotifyAndAfterStepWait(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	o := &owner{}
	f := o.follower(s)
	f.Interval = time.Hour
	var afterSteps atomic.Int32
	var soon atomic.Bool
	f.AfterStep = func(context.Context) (time.Duration, error) {
		afterSteps.Add(1)
		if soon.Load() {
			return time.Millisecond, nil
		}
		return 0, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx) }()
	defer func() { cancel(); <-done }()
	testkit.Eventually(t, 10*time.Second, "past the first step", func() bool { return afterSteps.Load() == 1 })
	seqs := putN(t, s, 1)
	f.Notify()
	testkit.Eventually(t, 10*time.Second, "handed the notified change", func() bool { return o.checkpoint() == seqs[0] })
	soon.Store(true)
	f.Notify()
	testkit.Eventually(t, 10*time.Second, "stepping on AfterStep's rhythm", func() bool { return afterSteps.Load() >= 10 })
}

// gapStore hides the changes after hideAfter until released, as MongoDB's
// feed stops at a sequence allocated but not yet committed; LastSeq
// already counts them.
type gapStore struct {
	store.Store
	hideAfter int64
	released  atomic.Bool
	feeds     atomic.Int32
}

func (g *gapStore) Feed(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	g.feeds.Add(1)
	changes, err := g.Store.Feed(ctx, after, limit)
	if g.released.Load() {
		return changes, err
	}
	return slices.DeleteFunc(changes, func(c store.Change) bool { return c.Seq > g.hideAfter }), err
}

// CatchUp waits for a sequence that is allocated but not yet committed
// instead of returning early or failing.
func TestFollowerCatchUpWaitsForUncommittedSequences(t *testing.T) {
	t.Parallel()
	sq := storetest.NewSQLite(t)
	seqs := putN(t, sq, 3)
	g := &gapStore{Store: sq, hideAfter: seqs[0]}
	o := &owner{}
	f := o.follower(g)
	f.Interval = time.Millisecond
	done := make(chan error, 1)
	go func() { done <- f.CatchUp(context.Background()) }()
	testkit.Eventually(t, 10*time.Second, "polling at the gap in CatchUp", func() bool { return g.feeds.Load() >= 5 })
	select {
	case err := <-done:
		t.Fatalf("CatchUp returned at checkpoint %d before the gap filled (%v); want %d", o.checkpoint(), err, seqs[2])
	default:
	}
	g.released.Store(true)
	if err := <-done; err != nil || o.checkpoint() != seqs[2] {
		t.Fatalf("CatchUp = %v at %d, want %d", err, o.checkpoint(), seqs[2])
	}
}

// Steps never overlap, and the owner's Lock is held through each one.
func TestFollowerHoldsTheOwnersLock(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	putN(t, s, 1)
	var mu sync.Mutex
	o := &owner{}
	f := o.follower(s)
	f.Lock = &mu
	inner := f.Apply
	f.Apply = func(ctx context.Context, changes []store.Change) error {
		if mu.TryLock() {
			mu.Unlock()
			return errors.New("Apply ran without the owner's lock")
		}
		return inner(ctx, changes)
	}
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A run of full batches of BulkAfter changes or more, and a catch-up that
// far behind, is bulk work: it lifts the process's memory limit
// (memlimit.Bulk) while it runs, and gives it back once caught up.
func TestFollowerBacklogIsBulkWork(t *testing.T) {
	s := storetest.NewSQLite(t)
	putN(t, s, 30)
	var holding []int // memlimit.Default's holders as each batch was applied
	o := &owner{}
	f := o.follower(s)
	apply := f.Apply
	f.Apply = func(ctx context.Context, changes []store.Change) error {
		holding = append(holding, memlimit.Default.Holding())
		return apply(ctx, changes)
	}
	f.BatchSize, f.BulkAfter = 2, 10

	// Run: the first five full batches are ordinary, the rest bulk.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx) }()
	waitFor(t, func() bool { return o.checkpoint() >= 30 })
	waitFor(t, func() bool { return memlimit.Default.Holding() == 0 })
	cancel()
	<-done
	if want := []int{0, 0, 0, 0, 0, 1}; len(holding) != 15 || !slices.Equal(holding[:6], want) || holding[14] != 1 {
		t.Fatalf("holders per batch %v, want %v and then 1 to the end", holding, want)
	}

	// CatchUp to a target ≥ BulkAfter ahead holds it from the start;
	// fewer changes than that do not.
	holding = nil
	putN(t, s, 10)
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	putN(t, s, 4)
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 1, 1, 1, 1, 0, 0}; !slices.Equal(holding, want) || memlimit.Default.Holding() != 0 {
		t.Fatalf("holders per batch %v, want %v, then none", holding, want)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}
