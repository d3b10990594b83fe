//go:build linux

package searchapi_test

import (
	"context"
	"testing"
	"time"

	"zhengwu/search/searchapi"
	"zhengwu/search/source"
)

// mapped reads zhengwu_search_index_mapped_bytes of the portal index.
func (e *env) mapped() float64 {
	e.T.Helper()
	v, ok := e.portalGauge("zhengwu_search_index_mapped_bytes")
	if !ok {
		e.T.Skip("no zhengwu_search_index_mapped_bytes: the kernel does not say which pages are mapped")
	}
	return v
}

// The service releases the index's mapped pages every ReleaseEvery (never
// with a negative one), and searches answer the same after a release.
func TestReleaseEvery(t *testing.T) {
	t.Parallel()
	for _, every := range []time.Duration{-1, 50 * time.Millisecond} {
		e := newEnv(t)
		for i := range 30 {
			e.save(id(i), newPage("防汛工作通知", "做好防汛抗旱工作"))
		}
		e.deps = searchapi.Deps{Store: e.Store, DataDir: e.Dir, Projections: []source.Projection{pageProjection(nil)}, ReleaseEvery: every}
		e.start()
		e.sync()
		if err := e.svc.Index("portal").Flush(context.Background()); err != nil { // a segment on disk, mapped
			t.Fatal(err)
		}
		first := e.search(q("q", "防汛"), "")
		if first.Total != 30 {
			t.Fatalf("total %d, want 30", first.Total)
		}
		if every < 0 {
			time.Sleep(200 * time.Millisecond)
			if e.mapped() == 0 {
				t.Error("no page mapped after a search, with releases off")
			}
			continue
		}
		deadline := time.Now().Add(5 * time.Second)
		for e.mapped() > 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%.0f bytes still mapped 5 s after a search, releasing every %s", e.mapped(), every)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if again := e.search(q("q", "防汛"), ""); again.Total != first.Total || len(again.ids()) != len(first.ids()) {
			t.Errorf("after a release: %d hits of %d, want %d of %d", len(again.ids()), again.Total, len(first.ids()), first.Total)
		}
	}
}
