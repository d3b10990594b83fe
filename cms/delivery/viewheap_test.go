package delivery

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/delivery/loadtest"
	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// The list view's live heap on the load test's items (VIEW_HEAP_ITEMS of
// them; skipped without it, it is a measurement): the heap the view holds
// after a forced collection, in bytes an item. Copied beside an older tree,
// it measures before and after in the same run (docs/benchmarks.md
// "viewslim").
func TestViewHeap(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("VIEW_HEAP_ITEMS"))
	if n == 0 {
		t.Skip("VIEW_HEAP_ITEMS not set")
	}
	ctx := context.Background()
	k := testkit.New(t)
	tree, err := channel.Seed(ctx, k.Store)
	if err != nil {
		t.Fatal(err)
	}
	var writes []store.Write
	for i := range n {
		data, _ := json.Marshal(loadtest.Item(i, n))
		writes = append(writes, store.Write{Collection: item.Collection, ID: loadtest.ID(i), Data: data, ExpectVersion: store.AnyVersion})
		if len(writes) == 1000 || i == n-1 {
			if _, err := k.Store.PutAll(ctx, writes); err != nil {
				t.Fatal(err)
			}
			writes = writes[:0]
		}
	}
	s := &Service{channels: tree, log: k.Log}
	live := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	if f := os.Getenv("VIEW_HEAP_PROFILE"); f != "" {
		runtime.MemProfileRate = 1
		defer func() {
			runtime.GC()
			out, err := os.Create(f)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			if err := pprof.Lookup("heap").WriteTo(out, 0); err != nil {
				t.Fatal(err)
			}
		}()
	}
	before := live()
	lv := newListView()
	start := time.Now()
	if err := lv.load(ctx, k.Store, s.indexDoc); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	// Then the feed's catch-up: the same documents again, in batches.
	start = time.Now()
	var docs []store.Doc
	for after := ""; ; {
		page, err := k.Store.Scan(ctx, item.Collection, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, page...)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].ID
	}
	for b := range slices.Chunk(docs, 1000) {
		var batch index.Batch
		for _, d := range b {
			if f, ok := s.indexDoc(d); ok {
				batch.Upserts = append(batch.Upserts, index.Upsert{ID: d.ID, Doc: f})
			}
		}
		lv.mirror(batch)
	}
	mirrored := time.Since(start)
	docs = nil
	held := live() - before
	defer runtime.KeepAlive(lv)
	t.Logf("list view of %d items: %.1f MB live, %.0f bytes an item; loaded in %v, mirrored again in batches of 1000 in %v",
		n, float64(held)/1e6, float64(held)/float64(n), took.Round(time.Millisecond), mirrored.Round(time.Millisecond))
}
