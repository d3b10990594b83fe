package audit

import (
	"context"
	"errors"
	"testing"
	"time"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

func TestCommitWritesTheChangeAndItsEntryTogether(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	tr := New(st, time.Now)
	docs, err := tr.Commit(ctx, []store.Write{{Collection: "things", ID: "a", Data: []byte(`{"n":1}`)}},
		Event{Actor: "u1", Action: "thing.create", Target: "things/a", Outcome: Success})
	if err != nil || len(docs) != 1 || docs[0].Version != 1 {
		t.Fatalf("commit: %v %+v", err, docs)
	}
	// A change whose own compare-and-set fails writes neither itself nor
	// its entry.
	_, err = tr.Commit(ctx, []store.Write{{Collection: "things", ID: "a", Data: []byte(`{"n":2}`), ExpectVersion: 0}},
		Event{Actor: "u1", Action: "thing.create", Target: "things/a", Outcome: Success})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale change: %v", err)
	}
	list, _ := tr.List(ctx, 0, 10)
	if len(list) != 1 || list[0].Action != "thing.create" {
		t.Fatalf("entries: %+v", list)
	}
	if rep, _ := tr.Verify(ctx); !rep.OK || rep.Entries != 1 {
		t.Fatalf("chain: %+v", rep)
	}
}

// Two trails on one store stand for two processes: a commit that finds
// the other's entry where it meant to write moves past it and lands.
func TestCommitMovesPastAnotherProcessesEntries(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	a, b := New(st, time.Now), New(st, time.Now)
	if _, err := a.Record(ctx, Event{Actor: "x", Action: "first", Outcome: Success}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Record(ctx, Event{Actor: "x", Action: "second", Outcome: Success}); err != nil {
		t.Fatal(err)
	}
	// a's head is stale (entry 1); its commit conflicts on entry 2 first.
	if _, err := a.Commit(ctx, []store.Write{{Collection: "things", ID: "b", Data: []byte(`{}`)}},
		Event{Actor: "x", Action: "third", Outcome: Success}); err != nil {
		t.Fatal(err)
	}
	if rep, _ := a.Verify(ctx); !rep.OK || rep.Entries != 3 {
		t.Fatalf("chain after a stale head: %+v", rep)
	}
}
