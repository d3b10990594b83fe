package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

type counter struct {
	N int `json:"n"`
}

// Concurrent Update calls on one document all land: each retry decides on
// the state that beat it.
func TestUpdateConcurrentUpdatersLoseNothing(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	ctx := context.Background()
	if _, err := store.Save(ctx, s, "c", "n", counter{}, 0); err != nil {
		t.Fatal(err)
	}
	const workers, each = 16, 20
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				if _, _, err := store.Update(ctx, s, "c", "n", func(c *counter) error { c.N++; return nil }); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	c, version, err := store.Load[counter](ctx, s, "c", "n")
	if err != nil || c.N != workers*each || version != workers*each+1 {
		t.Fatalf("after %d updates: n=%d version=%d (%v)", workers*each, c.N, version, err)
	}
}

// UpdateAll moves units between two accounts and counts the moves in a
// third document, all in one PutAll: with concurrent movers, no unit is
// created or lost and every move is counted once.
func TestUpdateAllConcurrentUpdatersLoseNothing(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	ctx := context.Background()
	for _, id := range []string{"a", "b"} {
		if _, err := store.Save(ctx, s, "acct", id, counter{N: 1000}, 0); err != nil {
			t.Fatal(err)
		}
	}
	const workers, each = 8, 20
	var wg sync.WaitGroup
	for w := range workers {
		from, to := "a", "b"
		if w%2 == 1 {
			from, to = to, from
		}
		wg.Go(func() {
			for i := range each {
				_, err := store.UpdateAll(ctx, s, func(ctx context.Context, b *store.Batch) error {
					var src, dst, moves counter
					for _, x := range []struct {
						id string
						v  *counter
					}{{from, &src}, {to, &dst}} {
						if found, err := b.Load(ctx, "acct", x.id, x.v); err != nil || !found {
							return fmt.Errorf("load %s: found=%v %w", x.id, found, err)
						}
					}
					if _, err := b.Load(ctx, "stats", "moves", &moves); err != nil {
						return err // absent at first: Save creates it
					}
					amount := i%3 + 1
					src.N, dst.N, moves.N = src.N-amount, dst.N+amount, moves.N+1
					return errors.Join(b.Save("acct", from, src), b.Save("acct", to, dst), b.Save("stats", "moves", moves))
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	a, _, _ := store.Load[counter](ctx, s, "acct", "a")
	b, _, _ := store.Load[counter](ctx, s, "acct", "b")
	moves, version, err := store.Load[counter](ctx, s, "stats", "moves")
	if err != nil || a.N+b.N != 2000 || moves.N != workers*each || version != workers*each {
		t.Fatalf("a=%d b=%d (sum %d, want 2000), moves=%d version=%d (want %d), %v",
			a.N, b.N, a.N+b.N, moves.N, version, workers*each, err)
	}
}

// A conflict that never clears ends with ErrConflict after MaxAttempts
// tries, not in an endless loop.
func TestRetryPersistentConflictEndsAfterTheBound(t *testing.T) {
	t.Parallel()
	var tries atomic.Int32
	start := time.Now()
	err := store.Retry(context.Background(), func(context.Context) error {
		tries.Add(1)
		return fmt.Errorf("wrapped: %w", store.ErrConflict)
	})
	if !errors.Is(err, store.ErrConflict) || tries.Load() != store.MaxAttempts {
		t.Fatalf("Retry = %v after %d tries; want ErrConflict after %d", err, tries.Load(), store.MaxAttempts)
	}
	t.Logf("%d conflicting attempts took %s", store.MaxAttempts, time.Since(start))

	// The same through Update, on a store whose compare-and-set always
	// loses.
	s := alwaysConflict{storetest.NewSQLite(t), &tries}
	tries.Store(0)
	if _, err := store.Save(context.Background(), s.Store, "c", "n", counter{}, 0); err != nil {
		t.Fatal(err)
	}
	_, _, err = store.Update(context.Background(), s, "c", "n", func(c *counter) error { c.N++; return nil })
	if !errors.Is(err, store.ErrConflict) || tries.Load() != store.MaxAttempts {
		t.Fatalf("Update = %v after %d puts; want ErrConflict after %d", err, tries.Load(), store.MaxAttempts)
	}
}

type alwaysConflict struct {
	store.Store
	puts *atomic.Int32
}

func (a alwaysConflict) Put(context.Context, string, string, []byte, int64) (store.Doc, error) {
	a.puts.Add(1)
	return store.Doc{}, store.ErrConflict
}

// Cancelling the context stops the retries at once, with the context's
// error.
func TestRetryStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var tries int
	err := store.Retry(ctx, func(context.Context) error {
		tries++
		if tries == 3 {
			cancel()
		}
		return store.ErrConflict
	})
	if !errors.Is(err, context.Canceled) || tries != 3 {
		t.Fatalf("Retry = %v after %d tries; want context.Canceled after 3", err, tries)
	}
}

// Any other error ends the retries at once and comes back as it was.
func TestRetryReturnsOtherErrorsUnchanged(t *testing.T) {
	t.Parallel()
	refusal := errors.New("状态不允许")
	tries := 0
	err := store.Retry(context.Background(), func(context.Context) error { tries++; return refusal })
	if err != refusal || tries != 1 {
		t.Fatalf("Retry = %v after %d tries; want the refusal itself after 1", err, tries)
	}
	if err := store.Retry(context.Background(), func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// A batch writes a document it loaded with the version it saw, creates one
// it did not find, and an aborted batch writes nothing.
func TestUpdateAllWritesWhatItReadOrNothing(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	ctx := context.Background()
	if _, err := store.Save(ctx, s, "c", "old", counter{N: 1}, 0); err != nil {
		t.Fatal(err)
	}
	docs, err := store.UpdateAll(ctx, s, func(ctx context.Context, b *store.Batch) error {
		var old, fresh counter
		if found, err := b.Load(ctx, "c", "old", &old); err != nil || !found {
			return fmt.Errorf("old: %v %w", found, err)
		}
		if found, err := b.Load(ctx, "c", "new", &fresh); err != nil || found {
			return fmt.Errorf("new: %v %w", found, err)
		}
		old.N++
		return errors.Join(b.Save("c", "old", old), b.Save("c", "new", counter{N: 7}))
	})
	if err != nil || len(docs) != 2 || docs[0].ID != "old" || docs[0].Version != 2 || docs[1].ID != "new" || docs[1].Version != 1 {
		t.Fatalf("UpdateAll = %+v, %v", docs, err)
	}
	last, _ := s.LastSeq(ctx)
	abort := errors.New("abort")
	_, err = store.UpdateAll(ctx, s, func(ctx context.Context, b *store.Batch) error {
		if err := b.Save("c", "other", counter{}); err != nil {
			return err
		}
		return abort
	})
	if !errors.Is(err, abort) {
		t.Fatalf("aborted UpdateAll: %v", err)
	}
	if now, _ := s.LastSeq(ctx); now != last {
		t.Fatalf("an aborted batch wrote: feed moved %d → %d", last, now)
	}
}
