// Package storetest is the conformance suite every store.Store adapter must
// pass, and the helper that gives a test its own embedded store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"zhengwu/shared/store"
)

// Options tunes the suite for an adapter's known limits.
type Options struct {
	// Sequential skips the concurrency cases and runs the number
	// registrations one after another. Only for FerretDB, which loses
	// concurrent updates (see ARCHITECTURE.md); never for a product
	// adapter run against its real database.
	Sequential bool
	// PutAllInOrder: the adapter's PutAll is ordered writes, not atomic
	// against concurrent writers (mongostore without transactions), so the
	// case that races PutAll against Put is skipped. The sequential cases
	// still hold: a conflict there at the call writes nothing.
	PutAllInOrder bool
}

// Run runs the conformance suite. newStore must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) store.Store, opt Options) {
	ctx := context.Background()
	t.Run("GetMissing", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(ctx, "c", "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Get missing: %v, want ErrNotFound", err)
		}
	})
	t.Run("PutCreateUpdateCAS", func(t *testing.T) {
		s := newStore(t)
		d1, err := s.Put(ctx, "c", "a", []byte(`{"n":1,"名":"秘书一处"}`), 0)
		if err != nil || d1.Version != 1 || d1.Seq <= 0 {
			t.Fatalf("create: %+v %v", d1, err)
		}
		if _, err := s.Put(ctx, "c", "a", []byte(`{"n":9}`), 0); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second create: %v, want ErrConflict", err)
		}
		d2, err := s.Put(ctx, "c", "a", []byte(`{"n":2}`), 1)
		if err != nil || d2.Version != 2 || d2.Seq <= d1.Seq {
			t.Fatalf("update: %+v %v", d2, err)
		}
		if _, err := s.Put(ctx, "c", "a", []byte(`{"n":3}`), 1); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale update: %v, want ErrConflict", err)
		}
		got, err := s.Get(ctx, "c", "a")
		if err != nil || got.Version != 2 || got.Seq != d2.Seq {
			t.Fatalf("get after update: %+v %v", got, err)
		}
		var v struct{ N int }
		if err := got.Decode(&v); err != nil || v.N != 2 {
			t.Fatalf("stale write changed data: %+v %v", v, err)
		}
		d4, err := s.Put(ctx, "c", "a", []byte(`{"n":4}`), store.AnyVersion)
		if err != nil || d4.Version != 3 || d4.Seq <= d2.Seq {
			t.Fatalf("unconditional put: %+v %v, want version 3", d4, err)
		}
		if got, err := s.Get(ctx, "c", "a"); err != nil || got.Version != 3 || got.Seq != d4.Seq || string(got.Data) != `{"n":4}` {
			t.Fatalf("get after unconditional put: %+v %v", got, err)
		}
		if d, err := s.Put(ctx, "c", "new", []byte(`{}`), store.AnyVersion); err != nil || d.Version != 1 {
			t.Fatalf("unconditional create: %+v %v, want version 1", d, err)
		}
		if _, err := s.Put(ctx, "c", "b", []byte(`{"n":1}`), 5); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("update of missing doc: %v, want ErrConflict", err)
		}
	})
	t.Run("CollectionsAreSeparate", func(t *testing.T) {
		s := newStore(t)
		mustPut(t, s, "users", "x", `{"k":"u"}`)
		mustPut(t, s, "depts", "x", `{"k":"d"}`)
		u, _ := s.Get(ctx, "users", "x")
		d, _ := s.Get(ctx, "depts", "x")
		if string(u.Data) == string(d.Data) {
			t.Fatalf("collections share a document: %s", u.Data)
		}
	})
	t.Run("InvalidArguments", func(t *testing.T) {
		s := newStore(t)
		for _, data := range []string{`not json`, `[1,2]`, `"s"`, `null`} {
			if _, err := s.Put(ctx, "c", "a", []byte(data), 0); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Put(%q): %v, want ErrInvalid", data, err)
			}
		}
		if _, err := s.Put(ctx, "c", "", []byte(`{}`), 0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("empty id: %v", err)
		}
		if _, err := s.Get(ctx, "c", "a"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("invalid put stored something: %v", err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		s := newStore(t)
		d := mustPut(t, s, "c", "a", `{}`)
		if _, err := s.Delete(ctx, "c", "a", d.Version+1); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale delete: %v", err)
		}
		seq, err := s.Delete(ctx, "c", "a", d.Version)
		if err != nil || seq <= d.Seq {
			t.Fatalf("delete: seq %d err %v", seq, err)
		}
		if _, err := s.Get(ctx, "c", "a"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("get after delete: %v", err)
		}
		if _, err := s.Delete(ctx, "c", "a", store.AnyVersion); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete missing: %v", err)
		}
		// Re-creating after delete starts at version 1 again.
		if d, err := s.Put(ctx, "c", "a", []byte(`{}`), 0); err != nil || d.Version != 1 {
			t.Fatalf("recreate: %+v %v", d, err)
		}
	})
	t.Run("Counters", func(t *testing.T) {
		s := newStore(t)
		for want := int64(1); want <= 3; want++ {
			if v, err := s.Incr(ctx, "gateway.crossed", 1); err != nil || v != want {
				t.Fatalf("Incr = %d, %v; want %d", v, err, want)
			}
		}
		if v, err := s.Incr(ctx, "other", 10); err != nil || v != 10 {
			t.Fatalf("other counter = %d, %v", v, err)
		}
	})
	t.Run("ScanOrderAndPaging", func(t *testing.T) {
		s := newStore(t)
		for i := 9; i >= 0; i-- {
			mustPut(t, s, "c", fmt.Sprintf("id-%02d", i), `{}`)
		}
		mustPut(t, s, "other", "id-00", `{}`)
		var ids []string
		after := ""
		for {
			page, err := s.Scan(ctx, "c", after, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, d := range page {
				ids = append(ids, d.ID)
			}
			after = page[len(page)-1].ID
		}
		if len(ids) != 10 {
			t.Fatalf("scan found %d docs: %v", len(ids), ids)
		}
		for i, id := range ids {
			if id != fmt.Sprintf("id-%02d", i) {
				t.Fatalf("scan order: %v", ids)
			}
		}
	})
	t.Run("FeedRecordsEveryChangeInOrder", func(t *testing.T) {
		s := newStore(t)
		a := mustPut(t, s, "c", "a", `{}`)
		b := mustPut(t, s, "c", "b", `{}`)
		a2, _ := s.Put(ctx, "c", "a", []byte(`{"x":1}`), a.Version)
		del, _ := s.Delete(ctx, "c", "b", b.Version)
		changes, err := s.Feed(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.Change{{Seq: a.Seq, ID: "a"}, {Seq: b.Seq, ID: "b"}, {Seq: a2.Seq, ID: "a"}, {Seq: del, ID: "b", Deleted: true}}
		if len(changes) != len(want) {
			t.Fatalf("feed has %d entries, want %d: %+v", len(changes), len(want), changes)
		}
		for i, w := range want {
			c := changes[i]
			if c.Seq != w.Seq || c.ID != w.ID || c.Collection != "c" || c.Deleted != w.Deleted {
				t.Fatalf("feed[%d] = %+v, want %+v", i, c, w)
			}
		}
		rest, _ := s.Feed(ctx, a2.Seq, 100)
		if len(rest) != 1 || rest[0].Seq != del {
			t.Fatalf("feed after %d: %+v", a2.Seq, rest)
		}
		last, err := s.LastSeq(ctx)
		if err != nil || last != del {
			t.Fatalf("LastSeq = %d, %v; want %d", last, err, del)
		}
		// A refused write leaves no feed entry.
		_, _ = s.Put(ctx, "c", "a", []byte(`{}`), 99)
		if last2, _ := s.LastSeq(ctx); last2 != last {
			t.Fatalf("conflicting put moved the feed: %d → %d", last, last2)
		}
	})
	t.Run("Ping", func(t *testing.T) {
		if err := newStore(t).Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
	runPutAll(t, newStore)
	runNumbers(t, newStore, opt)
	if opt.Sequential {
		return
	}
	if !opt.PutAllInOrder {
		t.Run("ConcurrentPutAllIsAtomic", func(t *testing.T) { concurrentPutAll(t, newStore(t)) })
	}
	t.Run("ConcurrentCASLosesNothing", func(t *testing.T) {
		s := newStore(t)
		mustPut(t, s, "c", "n", `{"n":0}`)
		const workers, each = 8, 25
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Go(func() {
				for i := 0; i < each; i++ {
					err := untilLanded(func() error { // read-modify-CAS
						d, err := s.Get(ctx, "c", "n")
						if err != nil {
							return err
						}
						var v struct{ N int }
						_ = d.Decode(&v)
						_, err = s.Put(ctx, "c", "n", []byte(fmt.Sprintf(`{"n":%d}`, v.N+1)), d.Version)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		d, _ := s.Get(ctx, "c", "n")
		var v struct{ N int }
		_ = d.Decode(&v)
		if v.N != workers*each || d.Version != workers*each+1 {
			t.Fatalf("after %d CAS increments: n=%d version=%d", workers*each, v.N, d.Version)
		}
	})
	t.Run("ConcurrentCounters", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		seen := make(chan int64, 200)
		for w := 0; w < 8; w++ {
			wg.Go(func() {
				for i := 0; i < 25; i++ {
					v, err := s.Incr(ctx, "k", 1)
					if err != nil {
						t.Error(err)
						return
					}
					seen <- v
				}
			})
		}
		wg.Wait()
		close(seen)
		uniq := map[int64]bool{}
		for v := range seen {
			if uniq[v] {
				t.Fatalf("counter value %d handed out twice", v)
			}
			uniq[v] = true
		}
		if len(uniq) != 200 {
			t.Fatalf("%d distinct counter values, want 200", len(uniq))
		}
	})
	t.Run("ConcurrentWritersFeedIsComplete", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Go(func() {
				for i := 0; i < 20; i++ {
					if _, err := s.Put(ctx, "c", fmt.Sprintf("w%d-%d", w, i), []byte(`{}`), 0); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		changes, err := s.Feed(ctx, 0, 1000)
		if err != nil || len(changes) != 160 {
			t.Fatalf("feed has %d entries (%v), want 160", len(changes), err)
		}
		for i := 1; i < len(changes); i++ {
			if changes[i].Seq <= changes[i-1].Seq {
				t.Fatalf("feed out of order at %d", i)
			}
		}
	})
}

func mustPut(t *testing.T, s store.Store, coll, id, data string) store.Doc {
	t.Helper()
	d, err := s.Put(context.Background(), coll, id, []byte(data), 0)
	if err != nil {
		t.Fatalf("put %s/%s: %v", coll, id, err)
	}
	return d
}
