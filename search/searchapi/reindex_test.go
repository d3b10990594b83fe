package searchapi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/search/reindex"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

func TestReindexWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 2,000 documents twice")
	}
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const n = 2000
	for i := range n {
		p := newPage(fmt.Sprintf("关于第%d项政务公开工作的通知", i), "政务公开标准化规范化")
		if i%4 == 0 {
			p.Channel = "files"
		}
		p.PublishedAt = t0.Add(time.Duration(i) * time.Minute)
		e.save(id(i), p)
	}
	data := e.Dir
	e.open(nil, nil)
	e.sync()
	oldDir := filepath.Join(data, "index", "search-portal")
	before := e.search(q("q", "政务公开", "sort", "date", "size", "50"), "")
	if before.Total != n || before.facet("channel", "files") != n/4 {
		t.Fatalf("before: total %d facets %+v", before.Total, before.Facets["channel"])
	}

	// Readers keep querying through the rebuild and the swap; afterSwap
	// counts the good answers to queries sent once the swap was done.
	stop := make(chan struct{})
	var queries, failures, afterSwap atomic.Int64
	var swapped atomic.Bool
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				onNew := swapped.Load()
				status, body, _ := e.get("/search", q("q", "政务公开", "size", "5"), "")
				queries.Add(1)
				if status != 200 || !bytes.Contains(body, []byte(fmt.Sprintf(`"total":%d`, n))) {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%d %.200s", status, body))
				} else if onNew {
					afterSwap.Add(1)
				}
				time.Sleep(5 * time.Millisecond) // pacing: readers, not a flood that starves the rebuild
			}
		})
	}

	var calls, lastDone, lastTotal int
	var bar bytes.Buffer
	drawBar := reindex.ProgressBar(&bar, 20)
	newDir, err := reindex.RunWith(ctx, e.Store, data, "portal", func(done, total int) {
		calls++
		lastDone, lastTotal = done, total
		drawBar(done, total)
	}, reindex.Options{Projections: e.deps.Projections})
	if err != nil {
		t.Fatal(err)
	}
	if lastDone != n || lastTotal != n || calls < 3 {
		t.Fatalf("progress: %d calls, last %d/%d", calls, lastDone, lastTotal)
	}
	if !strings.Contains(bar.String(), "100% 2000/2000\n") {
		t.Fatalf("progress bar: %q", bar.String())
	}
	if err := e.svc.Swap(); err != nil {
		t.Fatal(err)
	}
	swapped.Store(true)
	testkit.Eventually(t, 10*time.Second, "answered by the new index", func() bool {
		return afterSwap.Load() >= 10 || failures.Load() > 0
	})
	close(stop)
	wg.Wait()
	if failures.Load() > 0 || queries.Load() == 0 {
		t.Fatalf("%d of %d queries failed during the rebuild; first: %v", failures.Load(), queries.Load(), firstErr.Load())
	}

	if got := e.svc.Index("portal").Name(); got != filepath.Base(newDir) {
		t.Fatalf("serving %s, want %s", got, newDir)
	}
	if _, err := os.Stat(oldDir); !os.IsNotExist(err) {
		t.Fatalf("old index directory still there: %v", err)
	}
	ptr, _ := os.ReadFile(reindex.PointerFile(data, "portal"))
	if strings.TrimSpace(string(ptr)) != filepath.Base(newDir) {
		t.Fatalf("pointer %q", ptr)
	}
	after := e.search(q("q", "政务公开", "sort", "date", "size", "50"), "")
	if after.Total != before.Total || !slices.Equal(after.ids(), before.ids()) || after.facet("channel", "files") != n/4 {
		t.Fatalf("after the swap: total %d, first ids differ: %v", after.Total, after.ids()[:5])
	}

	// The new index continues from the feed.
	e.save("late", newPage("重新索引之后写入的公告", "正文"))
	e.sync()
	if r := e.search(q("q", "重新索引之后写入"), ""); len(r.Hits) == 0 || r.Hits[0].ID != "late" {
		t.Fatalf("write after the swap not found: %v", r.ids())
	}

	// A restarted server opens the live index the pointer names.
	e.svc.Close()
	e.start()
	if got := e.svc.Index("portal").Name(); got != filepath.Base(newDir) {
		t.Fatalf("restart serves %s", got)
	}
	if r := e.search(q("q", "政务公开"), ""); r.Total != n {
		t.Fatalf("after restart: %d", r.Total)
	}
}

func TestRestartContinuesFromCheckpoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for i := range 50 {
		e.save(id(i), newPage(fmt.Sprintf("第%d号森林防火通报", i), "森林防火"))
	}
	e.open(nil, nil)
	e.sync()
	if r := e.search(q("q", "森林防火"), ""); r.Total != 50 {
		t.Fatalf("first run: %d", r.Total)
	}
	cp := e.svc.Index("portal").Checkpoint()
	e.svc.Close()

	// While it is down: new items, updates, deletions and a withdrawal.
	for i := 50; i < 100; i++ {
		e.save(id(i), newPage(fmt.Sprintf("第%d号森林防火通报", i), "森林防火"))
	}
	for i := range 5 {
		e.save(id(i), newPage(fmt.Sprintf("第%d号森林防火通报（修订）", i), "森林防火"))
		if _, err := e.Store.Delete(ctx, pages, id(10+i), store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	gone := newPage("第20号森林防火通报", "森林防火")
	gone.Status = "gone"
	e.save(id(20), gone)

	e.start()
	if got := e.svc.Index("portal").Checkpoint(); got <= cp {
		t.Fatalf("checkpoint %d after restart, was %d", got, cp)
	}
	r := e.search(q("q", "森林防火", "size", "50"), "")
	if r.Total != 94 {
		t.Fatalf("after restart: %d, want 94", r.Total)
	}
	seen := map[string]bool{}
	for p := 1; p <= 2; p++ {
		for _, h := range e.search(q("q", "森林防火", "size", "50", "page", fmt.Sprint(p)), "").Hits {
			if seen[h.ID] {
				t.Fatalf("duplicate hit %s", h.ID)
			}
			seen[h.ID] = true
			if h.ID == id(2) && !strings.Contains(h.Title, "修订") {
				t.Fatalf("update lost: %s", h.Title)
			}
		}
	}
	if len(seen) != 94 || seen[id(10)] || seen[id(20)] || !seen[id(99)] {
		t.Fatalf("hits after restart: %d", len(seen))
	}
}
