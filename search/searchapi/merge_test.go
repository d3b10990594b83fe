package searchapi_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/memlimit"
)

// portalGauge reads the gauge name of the portal index from the service's
// collectors; ok is false when the service exports no such gauge for it.
func (e *env) portalGauge(name string) (v float64, ok bool) {
	e.T.Helper()
	reg := prometheus.NewRegistry()
	for _, c := range e.svc.Collectors() {
		reg.MustRegister(c)
	}
	mfs, err := reg.Gather()
	if err != nil {
		e.T.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if m.GetLabel()[0].GetValue() == "search-portal" {
				return m.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}

// merging reads zhengwu_search_index_merging of the portal index.
func (e *env) merging() bool {
	e.T.Helper()
	v, ok := e.portalGauge("zhengwu_search_index_merging")
	if !ok {
		e.T.Fatal("no zhengwu_search_index_merging for search-portal")
	}
	return v == 1
}

// A catch-up of a bulk of the feed is followed by a force merge in the
// background: searches answer in full meanwhile, and the index ends as
// one segment. A small catch-up merges nothing.
func TestMergeAfterBulkCatchUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const mergeAfter = 100
	var merged, unlifted atomic.Int32
	e.deps = searchapi.Deps{Store: e.Store, DataDir: e.Dir, Projections: []source.Projection{pageProjection(nil)},
		MergeAfter: mergeAfter, Merged: func() {
			merged.Add(1)
			// The merge is bulk work: it holds the memory governor's
			// limit lifted until it has ended (other tests may hold it too).
			if memlimit.Default.Holding() < 1 {
				unlifted.Add(1)
			}
		}}
	saved := 0
	save := func(n int) {
		for range n {
			p := newPage(fmt.Sprintf("防汛工作通知第%d号", saved), "做好防汛抗旱工作")
			p.PublishedAt = t0.Add(time.Duration(saved) * time.Minute)
			e.save(id(saved), p)
			saved++
		}
	}
	// Two small catch-ups: a segment each, no merge.
	for range 2 {
		save(mergeAfter / 2)
		e.start()
		if e.merging() {
			t.Fatalf("merging after a catch-up of %d writes", mergeAfter/2)
		}
		e.svc.Close()
	}
	if n := merged.Load(); n != 0 {
		t.Fatalf("Merged called %d times after small catch-ups", n)
	}
	defer func() {
		if unlifted.Load() != 0 {
			t.Error("the merge ran without lifting the memory limit (memlimit.Bulk)")
		}
	}()
	save(mergeAfter + 20)
	e.start()
	searches := 0
	deadline := time.Now().Add(time.Minute)
	for e.merging() {
		if time.Now().After(deadline) {
			t.Fatal("still merging after a minute")
		}
		if res := e.search(q("q", "防汛"), ""); res.Total != uint64(saved) || len(res.Hits) != searchapi.DefaultSize {
			t.Fatalf("during the merge: total %d of %d, %d hits", res.Total, saved, len(res.Hits))
		}
		searches++
	}
	t.Logf("%d searches during the merge", searches)
	// Both indexes (portal, office) followed the whole feed in bulk.
	for deadline := time.Now().Add(10 * time.Second); merged.Load() < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := merged.Load(); n != 2 {
		t.Errorf("Merged called %d times, want twice (after each index's bulk merge, never after a small catch-up)", n)
	}
	if segs, err := e.svc.Index("portal").Segments(); err != nil || segs != 1 {
		t.Errorf("after the merge: %d segments (%v), want 1", segs, err)
	}
	if res := e.search(q("q", "防汛"), ""); res.Total != uint64(saved) {
		t.Errorf("after the merge: total %d, want %d", res.Total, saved)
	}
}
