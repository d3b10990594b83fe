package feed_test

import (
	"context"
	"sync"
	"testing"

	"zhengwu/shared/store"
)

// Writes the consumer has not reached yet are the feed's to apply, not
// differences to repair: the soak (#16) saw every 10-minute pass over the
// office search index "repair" a dozen documents written during the pass.
func TestReconcileLeavesInFlightWritesToTheFeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newFeed(t)
	for _, id := range []string{"a", "b", "c"} {
		put(t, s, articles, id, article{Title: "原文" + id, Channel: "news"})
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	// After the checkpoint: two new documents, an update and a deletion.
	put(t, s, articles, "d", article{Title: "新文d"})
	put(t, s, articles, "e", article{Title: "新文e"})
	put(t, s, articles, "b", article{Title: "修订b", N: 2})
	if _, err := s.Delete(ctx, articles, "c", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Repaired() != 0 || rep.InFlight != 4 {
		t.Errorf("reconcile with four writes in flight = %+v, want nothing repaired and 4 in flight", rep)
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	assertMirrors(t, s, c.Index)
}

// CatchUp while the running consumer applies a newer write between the
// store's answer and the checkpoint's: the index is not "ahead of the
// store". (CatchUp read the store's last sequence before the checkpoint,
// so a live index looked foreign; the CMS's scheduler failed on it every
// few minutes under the soak's concurrent writes.)
func TestCatchUpWhileRunningIsNeverAhead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newFeed(t)
	put(t, s, articles, "a", article{Title: "原文"})
	racing := &racingStore{Store: s}
	c.Store = racing
	racing.meanwhile = func() { // what Run does in between, made certain
		put(t, s, articles, "b", article{Title: "新文"})
		if _, err := c.Step(ctx); err != nil {
			t.Error(err)
		}
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatalf("CatchUp with a write applied meanwhile: %v", err)
	}
	assertMirrors(t, s, c.Index)
}

// racingStore runs meanwhile once, just after its first LastSeq has read
// the store's position.
type racingStore struct {
	store.Store
	once      sync.Once
	meanwhile func()
}

func (r *racingStore) LastSeq(ctx context.Context) (int64, error) {
	n, err := r.Store.LastSeq(ctx)
	r.once.Do(r.meanwhile)
	return n, err
}
