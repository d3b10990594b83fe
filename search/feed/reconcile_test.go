package feed_test

import (
	"context"
	"maps"
	"testing"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/store"
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
	if got := metricValue(t, c, "zhengwu_search_feed_reconcile_passes_total"); got != 3 {
		t.Errorf("passes_total = %v, want 3", got)
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

// Two collections of one index reuse an id (an archive record has its
// 公文's). A Qualified consumer indexes both, under "collection/id", and
// reconciliation finds nothing to repair; with bare ids the pair replaced
// each other and every pass "repaired" it (missing=1 stale=1 here).
func TestReconcileSameIDInTwoCollections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newFeed(t)
	const notes = "notes"
	c.Collections = []string{articles, notes}
	c.Qualified = true
	for _, id := range []string{"a", "b"} {
		put(t, s, articles, id, article{Title: "文章" + id})
		put(t, s, notes, id, article{Title: "笔记" + id})
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	res, err := c.Index.List(ctx, index.Query{Size: index.MaxSize, Fields: []string{"title"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		got[h.ID], _ = h.Fields["title"].(string)
	}
	want := map[string]string{"articles/a": "文章a", "articles/b": "文章b", "notes/a": "笔记a", "notes/b": "笔记b"}
	if !maps.Equal(got, want) {
		t.Fatalf("index = %v, want %v", got, want)
	}
	if rep, err := c.Reconcile(ctx); err != nil || rep.Repaired() != 0 || rep.Indexed != 4 {
		t.Fatalf("reconcile = %+v, %v; want 4 indexed, nothing to repair", rep, err)
	}

	// Orphans: a deleted note's document, and one under a bare id that no
	// Qualified consumer makes (an index from before the ids changed).
	err = c.Index.Apply(index.Batch{Upserts: []index.Upsert{
		{ID: feed.Key(notes, "gone"), Collection: notes, Version: 1, Doc: article{Title: "已删"}},
		{ID: "a", Collection: articles, Version: 1, Doc: article{Title: "旧"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.Reconcile(ctx)
	if err != nil || rep.Orphans != 2 || rep.Missing+rep.Stale != 0 {
		t.Fatalf("reconcile of two orphans = %+v, %v", rep, err)
	}
	if n, err := c.Index.Count(ctx); err != nil || n != 4 {
		t.Fatalf("after repair the index holds %d documents (%v), want 4", n, err)
	}
	// Deleting one of a pair leaves the other.
	if _, err := s.Delete(ctx, notes, "a", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := c.Reconcile(ctx); err != nil || rep.Repaired() != 0 || rep.Indexed != 3 {
		t.Fatalf("after deleting notes/a: %+v, %v; want 3 indexed, nothing to repair", rep, err)
	}
}
