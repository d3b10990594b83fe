package reindex_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"zhengwu/search/index"
	"zhengwu/search/reindex"
	"zhengwu/search/source"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// notices is the collection of this test's documents: a title each,
// every one in the portal index (what a projection decides is not what
// a rebuild is tested for).
const notices = "test_notices"

func notice(i int) map[string]any { return map[string]any{"title": fmt.Sprintf("第%d号通知", i)} }

var portal = []source.Projection{{Index: source.PortalName, Collection: notices, Project: func(d store.Doc) (source.Doc, bool) {
	var n struct{ Title string }
	if err := d.Decode(&n); err != nil {
		return source.Doc{}, false
	}
	return source.Doc{Title: n.Title, Visibility: source.Public}, true
}}}

func TestRunMissesNoConcurrentWrite(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	for i := range 1200 {
		if _, err := store.Save(ctx, st, notices, fmt.Sprintf("a%05d", i), notice(i), store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // writes during the rebuild, before and after the scan passes their ids
		defer wg.Done()
		for i := range 60 {
			store.Save(ctx, st, notices, fmt.Sprintf("a%05d", i*20), notice(-i), store.AnyVersion)
			store.Save(ctx, st, notices, fmt.Sprintf("z%05d", i), notice(i), store.AnyVersion)
		}
	}()
	dir, err := reindex.RunWith(ctx, st, data, "portal", nil, reindex.Options{Projections: portal})
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if cur, _ := reindex.Current(data, "portal"); cur != dir {
		t.Fatalf("current %s, built %s", cur, dir)
	}
	ix, err := index.Open(dir, source.Mapping())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// The rebuild went live as one segment (index.ForceMerge).
	if n, err := ix.Segments(); err != nil || n != 1 {
		t.Errorf("rebuilt index: %d segments (%v), want 1", n, err)
	}
	// What the rebuild did not see itself, the feed brings: catch up as
	// the server would, then the index is exactly the store.
	src, err := source.New(source.PortalName, nil, portal...)
	if err != nil {
		t.Fatal(err)
	}
	c := feedConsumer(st, ix, src)
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Repaired() != 0 || rep.Indexed != 1260 {
		t.Fatalf("after rebuild and catch-up: %+v", rep)
	}
}

func TestPointer(t *testing.T) {
	data := t.TempDir()
	base := filepath.Join(data, "index", "search-portal")
	if cur, err := reindex.Current(data, "portal"); err != nil || cur != base {
		t.Fatalf("no pointer: %s %v", cur, err)
	}
	os.MkdirAll(base, 0o755)
	newer := base + ".1700000000"
	newest := base + ".1800000000"
	os.MkdirAll(newer, 0o755)
	os.MkdirAll(newest, 0o755)
	if err := reindex.SetCurrent(data, "portal", newer); err != nil {
		t.Fatal(err)
	}
	if cur, err := reindex.Current(data, "portal"); err != nil || cur != newer {
		t.Fatalf("pointer: %s %v", cur, err)
	}
	stale, err := reindex.Stale(data, "portal", newer)
	if err != nil || len(stale) != 1 || stale[0] != base {
		t.Fatalf("stale %v %v (a newer directory is a rebuild in progress, never stale)", stale, err)
	}
	if err := reindex.SetCurrent(data, "portal", filepath.Join(data, "elsewhere")); err == nil {
		t.Fatal("pointer to a foreign directory accepted")
	}
	os.WriteFile(reindex.PointerFile(data, "portal"), []byte("../../etc\n"), 0o644)
	if _, err := reindex.Current(data, "portal"); err == nil {
		t.Fatal("a pointer out of the index folder was followed")
	}
	entries, _ := os.ReadDir(filepath.Join(data, "index"))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	bar := reindex.ProgressBar(&b, 10)
	bar(0, 200)
	bar(1, 200) // same percentage: not redrawn
	bar(100, 200)
	bar(200, 200)
	want := "\r[..........]   0% 0/200\r[#####.....]  50% 100/200\r[##########] 100% 200/200\n"
	if b.String() != want {
		t.Fatalf("%q\nwant %q", b.String(), want)
	}
}
