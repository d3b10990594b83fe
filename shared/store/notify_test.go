package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

func TestNotifyingTellsSubscribersAfterCommittedWrites(t *testing.T) {
	n := store.WithNotify(storetest.NewSQLite(t))
	var calls atomic.Int32
	n.Subscribe(func() { calls.Add(1) })
	ctx := context.Background()
	d, err := n.Put(ctx, "c", "a", []byte(`{}`), 0)
	if err != nil || calls.Load() != 1 {
		t.Fatalf("after put: %d calls (%v)", calls.Load(), err)
	}
	if _, err := n.Put(ctx, "c", "a", []byte(`{}`), 0); err == nil || calls.Load() != 1 {
		t.Fatalf("a refused put notified: %d", calls.Load())
	}
	if _, err := n.Delete(ctx, "c", "a", d.Version); err != nil || calls.Load() != 2 {
		t.Fatalf("after delete: %d calls (%v)", calls.Load(), err)
	}
}

func TestNotifyingTellsSubscribersOncePerPutAll(t *testing.T) {
	n := store.WithNotify(storetest.NewSQLite(t))
	var calls atomic.Int32
	n.Subscribe(func() { calls.Add(1) })
	ctx := context.Background()
	writes := []store.Write{
		{Collection: "c", ID: "a", Data: []byte(`{}`)},
		{Collection: "c", ID: "b", Data: []byte(`{}`)},
	}
	if _, err := n.PutAll(ctx, writes); err != nil || calls.Load() != 1 {
		t.Fatalf("after PutAll: %d calls (%v)", calls.Load(), err)
	}
	if _, err := n.PutAll(ctx, writes); err == nil || calls.Load() != 1 {
		t.Fatalf("a refused PutAll notified: %d (%v)", calls.Load(), err)
	}
	if _, err := n.PutAll(ctx, nil); err != nil || calls.Load() != 1 {
		t.Fatalf("an empty PutAll notified: %d (%v)", calls.Load(), err)
	}
}

func TestNotifyingPassesTheConformanceSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return store.WithNotify(storetest.NewSQLite(t)) }, storetest.Options{})
}
