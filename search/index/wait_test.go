package index_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/search/index"
	"zhengwu/shared/testkit"
)

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o644) }

func TestWaitFor(t *testing.T) {
	t.Parallel()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	ctx := context.Background()

	if err := ix.WaitFor(ctx, 0, time.Millisecond); err != nil {
		t.Errorf("seq 0: %v", err)
	}

	// Released by an Apply that reaches the sequence, not before: an
	// Apply below it wakes the waiter, which looks again and goes back
	// to waiting.
	done := make(chan error, 1)
	w := newWatchedCtx(ctx)
	go func() { done <- ix.WaitFor(w, 5, 10*time.Second) }()
	w.waitBlocked(t, 1, done)
	if err := ix.Apply(index.Batch{Checkpoint: 4}); err != nil {
		t.Fatal(err)
	}
	w.waitBlocked(t, 2, done)
	select {
	case err := <-done:
		t.Fatalf("WaitFor(5) returned at checkpoint 4: %v", err)
	default:
	}
	start := time.Now()
	if err := ix.Apply(index.Batch{Checkpoint: 6}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("WaitFor(5): %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("WaitFor woke %s after the apply", d)
	}

	// Timeout.
	err := ix.WaitFor(ctx, 100, 30*time.Millisecond)
	if !errors.Is(err, index.ErrWaitTimeout) {
		t.Errorf("timeout: err = %v", err)
	}

	// Context.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := ix.WaitFor(cctx, 100, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}

	// Close releases waiters.
	w = newWatchedCtx(ctx)
	go func() { done <- ix.WaitFor(w, 100, time.Minute) }()
	w.waitBlocked(t, 1, done)
	ix.Close()
	if err := <-done; !errors.Is(err, index.ErrClosed) {
		t.Errorf("closed: err = %v", err)
	}
}

// watchedCtx tells when WaitFor blocks on it: WaitFor checks the index,
// then asks the context for Done as it starts to wait, so each call of
// Done is one more time the waiter found the index short of its
// sequence and went to sleep.
type watchedCtx struct {
	context.Context
	calls atomic.Int32
}

func newWatchedCtx(ctx context.Context) *watchedCtx { return &watchedCtx{Context: ctx} }

func (w *watchedCtx) Done() <-chan struct{} {
	w.calls.Add(1)
	return w.Context.Done()
}

// waitBlocked waits until the waiter has gone to sleep n times, or has
// returned (into done) instead.
func (w *watchedCtx) waitBlocked(t *testing.T, n int32, done chan error) {
	t.Helper()
	testkit.Eventually(t, 10*time.Second, fmt.Sprintf("asleep in WaitFor (%d times) or returned", n), func() bool {
		return w.calls.Load() >= n || len(done) > 0
	})
}

func TestConsistentWith(t *testing.T) {
	t.Parallel()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	if err := ix.Apply(index.Batch{Checkpoint: 10}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var lastCalls atomic.Int32
	store := func(last int64, err error) index.LastSeq {
		return func(context.Context) (int64, error) { lastCalls.Add(1); return last, err }
	}
	tests := []struct {
		raw     string
		last    index.LastSeq
		badArg  bool
		timeout bool
	}{
		{raw: ""},
		{raw: "0"},
		{raw: "10"},
		{raw: "11", timeout: true},
		{raw: "11", last: store(11, nil), timeout: true},               // committed, not yet applied: wait
		{raw: "12", last: store(11, nil), badArg: true},                // no write returned 12
		{raw: "99999999", last: store(11, nil), badArg: true},          // the finding: 503 after seconds, now 400 at once
		{raw: "12", last: store(0, errors.New("down")), timeout: true}, // the store does not answer: wait
		{raw: "abc", badArg: true},
		{raw: "-1", badArg: true},
		{raw: "1.5", badArg: true},
		{raw: "99999999999999999999", badArg: true},
	}
	for _, tt := range tests {
		timeout := 20 * time.Millisecond
		if tt.badArg {
			timeout = time.Minute // a refusal must not wait for it
		}
		start := time.Now()
		err := index.ConsistentWith(ctx, ix, tt.raw, timeout, tt.last)
		var pe *index.ParamError
		switch {
		case tt.badArg:
			if !errors.As(err, &pe) || pe.Param != "consistentWith" || pe.Value != tt.raw {
				t.Errorf("%q: err = %v, want ParamError on consistentWith", tt.raw, err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("%q: refused after %s", tt.raw, d)
			}
		case tt.timeout:
			if !errors.Is(err, index.ErrWaitTimeout) {
				t.Errorf("%q: err = %v, want ErrWaitTimeout", tt.raw, err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.raw, err)
		}
	}
	// A sequence the index has applied needs no store read.
	lastCalls.Store(0)
	if err := index.ConsistentWith(ctx, ix, "10", time.Second, store(10, nil)); err != nil || lastCalls.Load() != 0 {
		t.Errorf("applied seq: %v, %d store reads", err, lastCalls.Load())
	}
}
