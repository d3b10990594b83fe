package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// fill writes n counters into collection c as ids prefix0000, prefix0001, ….
func fill(t *testing.T, s store.Store, c, prefix string, n int) {
	t.Helper()
	var writes []store.Write
	for i := range n {
		data, _ := store.Encode(counter{N: i})
		writes = append(writes, store.Write{Collection: c, ID: fmt.Sprintf("%s%04d", prefix, i), Data: data})
	}
	if _, err := s.PutAll(context.Background(), writes); err != nil {
		t.Fatal(err)
	}
}

// Every document comes back once and in id order, across page boundaries
// (the pages are 500 long) and on a page that ends exactly full.
func TestLoadAllReadsEveryPage(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 500, 1201} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			s := storetest.NewSQLite(t)
			fill(t, s, "c", "n", n)
			got, err := store.LoadAll[counter](context.Background(), s, "c")
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != n {
				t.Fatalf("got %d counters (nil: %v), want %d", len(got), got == nil, n)
			}
			for i, c := range got {
				if c.N != i {
					t.Fatalf("counter %d is %d: out of order or repeated", i, c.N)
				}
			}
		})
	}
}

// LoadPrefix stops at the first id without the prefix, and does not take
// the documents before it.
func TestLoadPrefixTakesOnlyItsChildren(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	fill(t, s, "c", "a/", 3)
	fill(t, s, "c", "b/", 700)
	fill(t, s, "c", "c/", 2)
	got, err := store.LoadPrefix[counter](context.Background(), s, "c", "b/")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 700 || got[0].N != 0 || got[699].N != 699 {
		t.Fatalf("got %d children of b/, want 700 in order", len(got))
	}
	none, err := store.LoadPrefix[counter](context.Background(), s, "c", "d/")
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("no children: got %v, %v; want an empty, non-nil list", none, err)
	}
}

// failingScan fails every Scan after the first.
type failingScan struct {
	store.Store
	scans int
}

var errScan = errors.New("scan failed")

func (f *failingScan) Scan(ctx context.Context, c, after string, limit int) ([]store.Doc, error) {
	if f.scans++; f.scans > 1 {
		return nil, errScan
	}
	return f.Store.Scan(ctx, c, after, limit)
}

// A failed read ends the sequence with its error, after the documents
// already read; a loop that breaks reads no further page.
func TestScanAllEndsWithTheError(t *testing.T) {
	t.Parallel()
	s := &failingScan{Store: storetest.NewSQLite(t)}
	fill(t, s.Store, "c", "n", 600)
	docs := 0
	var last error
	for _, err := range store.ScanAll(context.Background(), s, "c", "") {
		if err != nil {
			last = err
			continue
		}
		docs++
	}
	if docs != 500 || !errors.Is(last, errScan) {
		t.Fatalf("read %d documents and ended with %v; want 500, then the scan's error", docs, last)
	}
	if _, err := store.LoadAll[counter](context.Background(), &failingScan{Store: s.Store, scans: 1}, "c"); !errors.Is(err, errScan) {
		t.Fatalf("LoadAll: got %v, want the scan's error", err)
	}

	s.scans = 0
	for range store.ScanAll(context.Background(), s, "c", "") {
		break
	}
	if s.scans != 1 {
		t.Fatalf("a loop that broke at once made %d scans, want 1", s.scans)
	}
}

// A document that is not a T is an error naming it.
func TestLoadAllNamesTheUndecodable(t *testing.T) {
	t.Parallel()
	s := storetest.NewSQLite(t)
	if _, err := s.Put(context.Background(), "c", "odd", []byte(`{"n":"seven"}`), 0); err != nil {
		t.Fatal(err)
	}
	_, err := store.LoadAll[counter](context.Background(), s, "c")
	if err == nil || !strings.Contains(err.Error(), "c/odd") {
		t.Fatalf("got %v, want an error naming c/odd", err)
	}
}
