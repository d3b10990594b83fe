package index_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/search/index"
)

// manyArticles are n articles from number from on, updating the first
// ones when from is 0 again.
func manyArticles(from, n int) []index.Upsert {
	ups := make([]index.Upsert, n)
	for i := range ups {
		k := from + i
		ups[i] = index.Upsert{ID: fmt.Sprintf("m%05d", k), Collection: "articles", Version: 1,
			Doc: article{Title: titles[k%len(titles)] + fmt.Sprintf(" 第%d号", k), Channel: []string{"news", "notices"}[k%2],
				PublishedAt: t0.Add(time.Duration(k) * time.Minute), Views: k}}
	}
	return ups
}

// A force merge leaves one segment holding every document, while searches
// and writes go on: every search during it counts what was applied before
// it started (at least), a write during it is applied and found after it.
func TestForceMergeUnderQueriesAndWrites(t *testing.T) {
	t.Parallel()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	ctx := context.Background()
	const batches, per = 6, 100
	for b := range batches {
		if err := ix.Apply(index.Batch{Upserts: manyArticles(b*per, per), Checkpoint: int64(b + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	// Updates leave deleted documents in the old segments for a merge to drop.
	if err := ix.Apply(index.Batch{Upserts: manyArticles(0, per), Checkpoint: batches + 1}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	if before < 2 {
		t.Fatalf("%d segments before the merge: nothing to merge", before)
	}
	const loaded = batches * per

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var searches, writes atomic.Int64
	errs := make(chan error, 8)
	for range 2 { // readers
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				n, err := ix.Count(ctx)
				if err != nil {
					errs <- err
					return
				}
				res, err := ix.List(ctx, index.Query{Filters: []index.Filter{index.Term("channel", "news")}, Sort: []string{"-views"}, Size: 5})
				if err != nil {
					errs <- err
					return
				}
				if n < loaded || len(res.Hits) != 5 {
					errs <- fmt.Errorf("during the merge: %d documents, %d hits of 5", n, len(res.Hits))
					return
				}
				searches.Add(1)
			}
		})
	}
	wg.Go(func() { // a writer: new documents, one small batch at a time
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := ix.Apply(index.Batch{Upserts: manyArticles(loaded+i, 1), Checkpoint: int64(batches + 2 + i)}); err != nil {
				errs <- err
				return
			}
			writes.Add(1)
			time.Sleep(5 * time.Millisecond)
		}
	})

	start := time.Now()
	if err := ix.ForceMerge(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("merge of %d segments took %s; %d searches and %d writes meanwhile", before, took, searches.Load(), writes.Load())

	n, err := ix.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(loaded) + uint64(writes.Load()); n != want {
		t.Errorf("after the merge: %d documents, want %d", n, want)
	}
	// The writes after the merge's snapshot are new segments of their own;
	// with the writer stopped and its batches on disk, a second merge
	// leaves exactly one.
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.ForceMerge(ctx); err != nil {
		t.Fatal(err)
	}
	if after, err := ix.Segments(); err != nil || after != 1 {
		t.Errorf("segments after the merge: %d (%v), want 1", after, err)
	}
	if n2, _ := ix.Count(ctx); n2 != n {
		t.Errorf("second merge: %d documents, want %d", n2, n)
	}
}

// Close does not wait for a merge: it abandons it, and ForceMerge says so.
func TestForceMergeAfterCloseIsErrClosed(t *testing.T) {
	t.Parallel()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.ForceMerge(context.Background()); !errors.Is(err, index.ErrClosed) {
		t.Errorf("ForceMerge after Close: %v, want ErrClosed", err)
	}
}
