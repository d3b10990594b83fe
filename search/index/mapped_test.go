//go:build linux

package index_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"zhengwu/search/index"
)

// mappedIndex is an index of n documents force-merged to one segment on
// disk, whose pages are then all released.
func mappedIndex(t testing.TB, n int) *index.Index {
	t.Helper()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	for i := 0; i < n; i += 100 {
		if err := ix.Apply(index.Batch{Upserts: benchDocs(i, min(100, n-i)), Checkpoint: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.ForceMerge(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.MappedResident(); err != nil {
		t.Skipf("the kernel does not say which pages are mapped: %v", err)
	}
	return ix
}

func resident(t *testing.T, ix *index.Index) int64 {
	t.Helper()
	n, err := ix.MappedResident()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var channelNewest = index.Query{Filters: []index.Filter{index.Term("channel", "channel-03")},
	Sort: []string{"-publishedAt"}, Size: 20, Fields: []string{"title", "views"}}

// A force merge leaves none of the merged file's pages mapped; a list maps
// what it reads; releasing drops them all, and the same list then answers
// the same from the page cache.
func TestReleaseMapped(t *testing.T) {
	t.Parallel()
	ix := mappedIndex(t, 300)
	ctx := context.Background()
	if n := resident(t, ix); n > 0 {
		t.Errorf("%d bytes of the merged index mapped after ForceMerge, want 0", n)
	}
	first, err := ix.List(ctx, channelNewest)
	if err != nil {
		t.Fatal(err)
	}
	touched := resident(t, ix)
	if touched == 0 {
		t.Fatal("a list mapped no page of the index")
	}
	released, err := ix.ReleaseMapped()
	if err != nil {
		t.Fatal(err)
	}
	if released != touched {
		t.Errorf("released %d bytes, want the %d mapped", released, touched)
	}
	if n := resident(t, ix); n != 0 {
		t.Errorf("%d bytes mapped after ReleaseMapped, want 0", n)
	}
	again, err := ix.List(ctx, channelNewest)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Hits) == 0 || !slices.Equal(ids(first), ids(again)) || again.Total != first.Total {
		t.Errorf("after the release: %v (%d), want %v (%d)", ids(again), again.Total, ids(first), first.Total)
	}
	for i := range first.Hits {
		if first.Hits[i].Fields["title"] != again.Hits[i].Fields["title"] {
			t.Errorf("hit %d: title %v, want %v", i, again.Hits[i].Fields["title"], first.Hits[i].Fields["title"])
		}
	}
}

// Reconciliation's walk of every entry releases the pages it mapped, and
// only those: what a search had mapped before stays.
func TestEntriesReleaseWhatTheyMapped(t *testing.T) {
	t.Parallel()
	ix := mappedIndex(t, 300)
	ctx := context.Background()
	walk := func() int {
		n := 0
		if err := ix.Entries(ctx, func(index.Entry) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := walk(); n != 300 {
		t.Fatalf("%d entries, want 300", n)
	}
	if n := resident(t, ix); n != 0 {
		t.Errorf("%d bytes mapped after a walk of the entries, want 0", n)
	}
	if _, err := ix.List(ctx, channelNewest); err != nil {
		t.Fatal(err)
	}
	searched := resident(t, ix)
	if walk() != 300 {
		t.Fatal("second walk")
	}
	if n := resident(t, ix); n != searched {
		t.Errorf("%d bytes mapped after a search and a walk, want the search's %d", n, searched)
	}
}
