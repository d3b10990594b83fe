package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"zhengwu/shared/store"
)

// runPutAll is the suite's part on PutAll that every adapter passes, with
// or without transactions.
func runPutAll(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("PutAllEmptyWritesNothing", func(t *testing.T) {
		s := newStore(t)
		for _, writes := range [][]store.Write{nil, {}} {
			if docs, err := s.PutAll(ctx, writes); err != nil || len(docs) != 0 {
				t.Fatalf("PutAll(%v) = %v, %v", writes, docs, err)
			}
		}
		if last, err := s.LastSeq(ctx); err != nil || last != 0 {
			t.Fatalf("LastSeq after empty PutAll = %d, %v", last, err)
		}
	})
	t.Run("PutAllWritesEachWithItsFeedEntry", func(t *testing.T) {
		s := newStore(t)
		old := mustPut(t, s, "c", "old", `{"n":1}`)
		writes := []store.Write{
			{Collection: "c", ID: "new", Data: []byte(`{"a":1}`), ExpectVersion: 0},
			{Collection: "c", ID: "old", Data: []byte(`{"n":2}`), ExpectVersion: old.Version},
			{Collection: "other", ID: "new", Data: []byte(`{"名":"秘书一处"}`), ExpectVersion: store.AnyVersion},
		}
		docs, err := s.PutAll(ctx, writes)
		if err != nil || len(docs) != len(writes) {
			t.Fatalf("PutAll: %+v %v", docs, err)
		}
		prev := old.Seq
		for i, w := range writes {
			d := docs[i]
			wantVersion := map[string]int64{"c/new": 1, "c/old": 2, "other/new": 1}[w.Collection+"/"+w.ID]
			if d.Collection != w.Collection || d.ID != w.ID || d.Version != wantVersion || d.Seq <= prev ||
				string(d.Data) != string(w.Data) {
				t.Fatalf("PutAll result %d = %+v, want %s/%s version %d after seq %d", i, d, w.Collection, w.ID, wantVersion, prev)
			}
			prev = d.Seq
			got, err := s.Get(ctx, w.Collection, w.ID)
			if err != nil || got.Version != d.Version || got.Seq != d.Seq || string(got.Data) != string(w.Data) {
				t.Fatalf("Get %s/%s after PutAll: %+v %v", w.Collection, w.ID, got, err)
			}
		}
		changes, err := s.Feed(ctx, old.Seq, 100)
		if err != nil || len(changes) != len(writes) {
			t.Fatalf("feed after PutAll: %+v %v; want one entry per write", changes, err)
		}
		for i, c := range changes {
			if c.Seq != docs[i].Seq || c.Collection != writes[i].Collection || c.ID != writes[i].ID || c.Deleted {
				t.Fatalf("feed[%d] = %+v, want the entry of %+v", i, c, docs[i])
			}
		}
		if last, err := s.LastSeq(ctx); err != nil || last != docs[len(docs)-1].Seq {
			t.Fatalf("LastSeq = %d, %v; want %d", last, err, docs[len(docs)-1].Seq)
		}
		// The returned versions are what the next compare-and-set expects.
		again := []store.Write{
			{Collection: "c", ID: "new", Data: []byte(`{"a":2}`), ExpectVersion: docs[0].Version},
			{Collection: "c", ID: "old", Data: []byte(`{"n":3}`), ExpectVersion: docs[1].Version},
		}
		if d2, err := s.PutAll(ctx, again); err != nil || d2[0].Version != 2 || d2[1].Version != 3 {
			t.Fatalf("second PutAll: %+v %v", d2, err)
		}
	})
	t.Run("PutAllConflictWritesNothing", func(t *testing.T) {
		s := newStore(t)
		a := mustPut(t, s, "c", "a", `{"n":1}`)
		fresh := store.Write{Collection: "c", ID: "b", Data: []byte(`{"n":1}`), ExpectVersion: 0}
		for name, conflicting := range map[string]store.Write{
			"stale update":       {Collection: "c", ID: "a", Data: []byte(`{"n":9}`), ExpectVersion: a.Version + 4},
			"create of existing": {Collection: "c", ID: "a", Data: []byte(`{"n":9}`), ExpectVersion: 0},
			"update of missing":  {Collection: "c", ID: "missing", Data: []byte(`{"n":9}`), ExpectVersion: 3},
		} {
			for _, writes := range [][]store.Write{{fresh, conflicting}, {conflicting, fresh}} {
				if docs, err := s.PutAll(ctx, writes); !errors.Is(err, store.ErrConflict) || docs != nil {
					t.Fatalf("%s: PutAll = %+v, %v; want ErrConflict", name, docs, err)
				}
			}
		}
		if _, err := s.Get(ctx, "c", "b"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a refused PutAll created c/b: %v", err)
		}
		if got, err := s.Get(ctx, "c", "a"); err != nil || got.Version != a.Version || string(got.Data) != `{"n":1}` {
			t.Fatalf("a refused PutAll changed c/a: %+v %v", got, err)
		}
		if last, err := s.LastSeq(ctx); err != nil || last != a.Seq {
			t.Fatalf("a refused PutAll moved the feed: LastSeq %d (%v), want %d", last, err, a.Seq)
		}
		if changes, err := s.Feed(ctx, a.Seq, 100); err != nil || len(changes) != 0 {
			t.Fatalf("a refused PutAll left feed entries: %+v %v", changes, err)
		}
	})
	t.Run("PutAllInvalidWritesNothing", func(t *testing.T) {
		s := newStore(t)
		good := store.Write{Collection: "c", ID: "a", Data: []byte(`{}`), ExpectVersion: 0}
		for name, bad := range map[string]store.Write{
			"array data":       {Collection: "c", ID: "x", Data: []byte(`[1,2]`)},
			"not json":         {Collection: "c", ID: "x", Data: []byte(`{not json`)},
			"nil data":         {Collection: "c", ID: "x"},
			"empty id":         {Collection: "c", Data: []byte(`{}`)},
			"empty collection": {ID: "x", Data: []byte(`{}`)},
			"same document":    {Collection: "c", ID: "a", Data: []byte(`{"again":true}`), ExpectVersion: store.AnyVersion},
		} {
			if docs, err := s.PutAll(ctx, []store.Write{good, bad}); !errors.Is(err, store.ErrInvalid) || docs != nil {
				t.Errorf("%s: PutAll = %+v, %v; want ErrInvalid", name, docs, err)
			}
		}
		if _, err := s.Get(ctx, "c", "a"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an invalid PutAll stored something: %v", err)
		}
		if last, err := s.LastSeq(ctx); err != nil || last != 0 {
			t.Fatalf("an invalid PutAll moved the feed to %d (%v)", last, err)
		}
	})
}

// concurrentPutAll races PutAll against Put. Pair writers add one to both
// a and b in one PutAll; single writers add one to b alone; all retry on
// conflict. If a PutAll could write a and then fail on b, its retry would
// add to a twice: a must end at exactly the number of pair increments.
func concurrentPutAll(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustPut(t, s, "c", "a", `{"n":0}`)
	mustPut(t, s, "c", "b", `{"n":0}`)
	const workers, each = 4, 15
	read := func(id string) (int, int64, error) {
		d, err := s.Get(ctx, "c", id)
		if err != nil {
			return 0, 0, err
		}
		var v struct{ N int }
		err = d.Decode(&v)
		return v.N, d.Version, err
	}
	inc := func(id string, n int, version int64) store.Write {
		return store.Write{Collection: "c", ID: id, Data: []byte(fmt.Sprintf(`{"n":%d}`, n+1)), ExpectVersion: version}
	}
	pair := func() error {
		na, va, err := read("a")
		if err != nil {
			return err
		}
		nb, vb, err := read("b")
		if err != nil {
			return err
		}
		_, err = s.PutAll(ctx, []store.Write{inc("a", na, va), inc("b", nb, vb)})
		return err
	}
	single := func() error {
		nb, vb, err := read("b")
		if err != nil {
			return err
		}
		w := inc("b", nb, vb)
		_, err = s.Put(ctx, w.Collection, w.ID, w.Data, w.ExpectVersion)
		return err
	}
	var wg sync.WaitGroup
	for w := range 2 * workers {
		step := pair
		if w%2 == 1 {
			step = single
		}
		wg.Go(func() {
			for range each {
				if err := untilLanded(step); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	na, va, _ := read("a")
	nb, vb, _ := read("b")
	if na != workers*each || va != workers*each+1 || nb != 2*workers*each || vb != 2*workers*each+1 {
		t.Fatalf("after %d pair and %d single increments: a=%d (version %d), b=%d (version %d)",
			workers*each, workers*each, na, va, nb, vb)
	}
	changes, err := s.Feed(ctx, 0, 1000)
	if want := 2 + 3*workers*each; err != nil || len(changes) != want {
		t.Fatalf("feed has %d entries (%v), want %d", len(changes), err, want)
	}
}
