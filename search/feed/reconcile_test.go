package feed_test

import (
	"context"
	"testing"

	"zhengwu/search/index"
)

func TestReconcileRepairsTamperedIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newFeed(t)
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		put(t, s, articles, id, article{Title: "原文" + id, Channel: "news"})
	}
	put(t, s, articles, "c", article{Title: "修订c", Channel: "policy", N: 2})
	put(t, s, articles, "f", article{Title: "f draft", Status: "draft"})
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := c.Reconcile(ctx); err != nil || rep.Repaired() != 0 {
		t.Fatalf("reconcile of a healthy index = %+v, %v", rep, err)
	}

	// Tamper, without moving the checkpoint, so the feed will not fix it.
	err := c.Index.Apply(index.Batch{
		Deletes: []string{"a"}, // missing
		Upserts: []index.Upsert{
			{ID: "c", Collection: articles, Version: 1, Doc: article{Title: "原文c", Channel: "news"}}, // stale
			{ID: "f", Collection: articles, Version: 1, Doc: article{Title: "f draft"}},              // no longer projected
			{ID: "ghost", Collection: articles, Version: 3, Doc: article{Title: "deleted long ago"}}, // orphan
			{ID: "alien", Collection: "users", Version: 1, Doc: article{Title: "not ours"}},          // orphan of another collection
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	rep, err := c.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := struct{ scanned, indexed, missing, stale, orphans int }{6, 7, 1, 2, 2}
	got := struct{ scanned, indexed, missing, stale, orphans int }{rep.Scanned, rep.Indexed, rep.Missing, rep.Stale, rep.Orphans}
	if got != want {
		t.Errorf("report = %+v, want %+v", got, want)
	}
	assertMirrors(t, s, c.Index)
	if rep, err := c.Reconcile(ctx); err != nil || rep.Repaired() != 0 {
		t.Errorf("second reconcile = %+v, %v; want nothing to repair", rep, err)
	}
	if got := metricValue(t, c, "zhengwu_search_feed_reconcile_repaired_total"); got != 5 {
		t.Errorf("repaired_total = %v, want 5", got)
	}
}

// Reconcile rebuilds an index that lost everything but its checkpoint.
func TestReconcileRebuildsEmptiedIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newFeed(t)
	c.BatchSize = 7 // several scan pages and repair chunks
	var ids []string
	for i := range 200 {
		id := itoa(int64(1000 + i))
		ids = append(ids, id)
		put(t, s, articles, id, article{Title: "t" + id, N: i})
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Index.Apply(index.Batch{Deletes: ids}); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Missing != 200 {
		t.Errorf("missing = %d, want 200", rep.Missing)
	}
	assertMirrors(t, s, c.Index)
}
