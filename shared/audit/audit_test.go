package audit_test

import (
	"context"
	"sync"
	"testing"

	"zhengwu/shared/audit"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// Two trails on one store stand for two processes (the server and the
// CLI): their appends interleave, and the chain stays whole.
func TestConcurrentWritersKeepTheChain(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	a, b := audit.New(st, nil), audit.New(st, nil)
	var wg sync.WaitGroup
	for _, tr := range []*audit.Trail{a, b, a, b} {
		wg.Go(func() { recordLogins(t, tr, 25) })
	}
	wg.Wait()
	r, err := audit.New(st, nil).Verify(ctx)
	if err != nil || !r.OK || r.Entries != 100 {
		t.Fatalf("verify: %+v %v", r, err)
	}
	// A trail opened later continues the chain.
	c := audit.New(st, nil)
	e, err := c.Record(ctx, audit.Event{Actor: "u2", Action: "user.create", Outcome: audit.Success})
	if err != nil || e.Seq != 101 {
		t.Fatalf("append after reopen: %+v %v", e, err)
	}
	if r, _ := c.Verify(ctx); !r.OK || r.Entries != 101 {
		t.Fatalf("verify after reopen: %+v", r)
	}
	list, err := c.List(ctx, 99, 10)
	if err != nil || len(list) != 2 || list[1].Actor != "u2" || list[1].PrevHash != list[0].Hash {
		t.Fatalf("list: %+v %v", list, err)
	}
}

// recordLogins records n logins on tr, one at a time; the first error
// fails the test (t.Error: it may run in a goroutine) and stops it.
func recordLogins(t *testing.T, tr *audit.Trail, n int) {
	for i := 0; i < n; i++ {
		if _, err := tr.Record(context.Background(), audit.Event{Actor: "u1", Action: "auth.login", Outcome: audit.Success}); err != nil {
			t.Error(err)
			return
		}
	}
}

func TestEmptyTrailVerifies(t *testing.T) {
	r, err := audit.New(storetest.NewSQLite(t), nil).Verify(context.Background())
	if err != nil || !r.OK || r.Entries != 0 {
		t.Fatalf("%+v %v", r, err)
	}
}

// RecordAll from one trail and Record from another interleave: the chain
// stays whole and every event is in it once.
func TestRecordAllKeepsTheChain(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	a, b := audit.New(st, nil), audit.New(st, nil)
	ev := audit.Event{Actor: "gateway", Action: "gateway.cross", Outcome: audit.Success}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 10; i++ {
			entries, err := a.RecordAll(ctx, []audit.Event{ev, ev, ev, ev, ev})
			if err != nil || len(entries) != 5 || entries[4].Seq != entries[0].Seq+4 {
				t.Errorf("RecordAll: %d entries, %v", len(entries), err)
				return
			}
		}
	})
	wg.Go(func() { recordLogins(t, b, 25) })
	wg.Wait()
	if entries, err := a.RecordAll(ctx, nil); err != nil || entries != nil {
		t.Fatalf("empty RecordAll: %v %v", entries, err)
	}
	if r, err := audit.New(st, nil).Verify(ctx); err != nil || !r.OK || r.Entries != 75 {
		t.Fatalf("verify: %+v %v", r, err)
	}
}

// partialStore's PutAll writes only the first `land` documents and then
// reports a conflict, as PutAll's ordered fallback does when a concurrent
// writer slips in.
type partialStore struct {
	store.Store
	land int
}

func (p *partialStore) PutAll(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	if p.land <= 0 || p.land >= len(writes) {
		return p.Store.PutAll(ctx, writes)
	}
	for _, w := range writes[:p.land] {
		if _, err := p.Put(ctx, w.Collection, w.ID, w.Data, w.ExpectVersion); err != nil {
			return nil, err
		}
	}
	p.land = 0
	return nil, store.ErrConflict
}

func TestRecordAllAfterAPartialWriteRecordsEachEventOnce(t *testing.T) {
	st := &partialStore{Store: storetest.NewSQLite(t), land: 2}
	ctx := context.Background()
	tr := audit.New(st, nil)
	var events []audit.Event
	for _, action := range []string{"a", "b", "c", "d"} {
		events = append(events, audit.Event{Actor: "gateway", Action: action, Outcome: audit.Success})
	}
	entries, err := tr.RecordAll(ctx, events)
	if err != nil || len(entries) != 4 {
		t.Fatalf("RecordAll: %+v %v", entries, err)
	}
	list, err := tr.List(ctx, 0, 10)
	if err != nil || len(list) != 4 {
		t.Fatalf("list: %+v %v", list, err)
	}
	for i, e := range list {
		if e.Action != events[i].Action || e.Seq != int64(i+1) {
			t.Fatalf("entry %d = %+v, want action %s", i, e, events[i].Action)
		}
	}
	if r, _ := tr.Verify(ctx); !r.OK || r.Entries != 4 {
		t.Fatalf("verify: %+v", r)
	}
}
