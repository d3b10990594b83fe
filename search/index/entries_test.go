package index_test

import (
	"context"
	"errors"
	"maps"
	"testing"

	"zhengwu/search/index"
)

// Entries lists exactly the live documents, each with its collection and
// the version it was last indexed from, across several Bleve segments.
func TestEntriesReadsTheColumns(t *testing.T) {
	ix := newFixtureIndex(t) // a00..a09, versions 1..10, in "articles"
	up := fixture()[3]
	up.Version = 1_000_000_007 // beyond what a float32 would keep
	if err := ix.Apply(index.Batch{
		Upserts: []index.Upsert{up, {ID: "a03-copy", Collection: "drafts", Version: 2, Doc: fixture()[3].Doc}},
		Deletes: []string{"a05"}, Checkpoint: 11,
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]index.Entry{}
	for i, u := range fixture() {
		if i != 5 {
			want[u.ID] = index.Entry{ID: u.ID, Collection: "articles", Version: u.Version}
		}
	}
	want["a03"] = index.Entry{ID: "a03", Collection: "articles", Version: 1_000_000_007}
	want["a03-copy"] = index.Entry{ID: "a03-copy", Collection: "drafts", Version: 2}
	got := map[string]index.Entry{}
	if err := ix.Entries(context.Background(), func(e index.Entry) error {
		if _, dup := got[e.ID]; dup {
			t.Errorf("entry %s twice", e.ID)
		}
		got[e.ID] = e
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("entries:\n got %v\nwant %v", got, want)
	}
}

// A closed index (a swap retired it while a pass began) refuses, rather
// than handing Bleve's nil snapshot on.
func TestEntriesOfAClosedIndex(t *testing.T) {
	ix := newFixtureIndex(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Entries(context.Background(), func(index.Entry) error { return nil }); !errors.Is(err, index.ErrClosed) {
		t.Fatalf("entries of a closed index: %v", err)
	}
}
