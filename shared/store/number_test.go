package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// recordingStore remembers the writes of the last PutAll.
type recordingStore struct {
	store.Store
	last []store.Write
}

func (r *recordingStore) PutAll(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	r.last = slices.Clone(writes)
	return r.Store.PutAll(ctx, writes)
}

// The sequence step goes first in the PutAll, whatever order the batch
// was built in: where PutAll is ordered writes (MongoDB without
// transactions), a crash after it leaves a gap, never a duplicate.
func TestNextNumberWritesTheSequenceFirst(t *testing.T) {
	t.Parallel()
	r := &recordingStore{Store: storetest.NewSQLite(t)}
	ctx := context.Background()
	docs, err := store.UpdateAll(ctx, r, func(ctx context.Context, b *store.Batch) error {
		if err := b.Save("outgoing", "a", counter{}); err != nil {
			return err
		}
		n, err := b.Next(ctx, "发文字号/皖政办/2026")
		if err != nil {
			return err
		}
		return b.Save("outgoing", "b", counter{N: int(n)})
	})
	if err != nil || len(docs) != 2 || docs[0].ID != "a" || docs[1].ID != "b" {
		t.Fatalf("UpdateAll = %+v, %v; want the documents a and b", docs, err)
	}
	if len(r.last) != 3 || r.last[0].Collection != store.SequencesCollection || r.last[1].ID != "a" || r.last[2].ID != "b" {
		t.Fatalf("PutAll got %+v; want the sequence step, then a, then b", r.last)
	}
}

// One batch takes at most one number of a sequence.
func TestBatchTakesOneNumberPerSequence(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	ctx := context.Background()
	_, err := store.UpdateAll(ctx, s, func(ctx context.Context, b *store.Batch) error {
		if _, err := b.Next(ctx, "seq"); err != nil {
			return err
		}
		_, err := b.Next(ctx, "seq")
		return err
	})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("two numbers of one sequence in one batch: %v, want ErrInvalid", err)
	}
}
