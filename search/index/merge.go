package index

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// ForceMerge writes every applied batch to disk, merges the index's
// segments into one and returns when the
// merged segment has replaced them (or ctx ends, or the index closes: the
// merge is then abandoned and the segments stay as they were). It returns
// once the merged index is recorded on disk (Bleve deletes the replaced
// segments' files right after), with the merged file's pages released
// from the process's page tables (ReleaseMapped).
//
// A bulk load (a new index catching up with a whole store, a rebuild)
// leaves the tiers of segments that Bleve's merge policy keeps while
// writes arrive: each segment repeats the dictionaries of every field,
// and the deleted documents of updated ones wait in them for a merge.
// One segment holds the same documents in ~4 % less disk and mapped
// memory (issue 16 item 7). Searches and Apply go on meanwhile: the merge
// reads a snapshot, and Bleve introduces the merged segment less the
// documents deleted since, as its background merges do. It reads and
// writes the whole index once, so call it after a bulk load, not after
// every batch.
func (ix *Index) ForceMerge(ctx context.Context) error {
	if ix.isClosed() {
		return ErrClosed
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("index %s: force merge needs a scorch index", ix.name)
	}
	// Bleve merges only segments on disk: the last batches of a catch-up
	// may still be in memory.
	if err := ix.Flush(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // Close abandons the merge rather than waiting for it
		select {
		case <-ix.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	opts := mergeplan.SingleSegmentMergePlanOptions
	if err := sc.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("index %s: force merge: %w", ix.name, err)
	}
	if ix.isClosed() {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ix.waitPersisted(ctx, sc); err != nil {
		return err
	}
	// What touched the merged file so far is the merge's aftermath (its
	// introduction, the facet columns' build) and the searches meanwhile:
	// release it, and let searches map what they read (mapped.go). The
	// merge is done and on disk: a release that fails (the index closed
	// meanwhile) costs only memory, and the periodic release retries it.
	_, _ = ix.ReleaseMapped()
	return nil
}

// waitPersisted waits until Bleve has recorded the index's current root
// (the merged segment) on disk. Until then a reopened index would start
// from the snapshot before the merge, and the replaced segments' files
// stay: Bleve deletes them once a newer snapshot is on disk.
func (ix *Index) waitPersisted(ctx context.Context, sc *scorch.Scorch) error {
	st, ok := sc.Stats().(*scorch.Stats)
	if !ok {
		return nil
	}
	root := atomic.LoadUint64(&st.CurRootEpoch)
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for atomic.LoadUint64(&st.LastPersistedEpoch) < root {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if ix.isClosed() {
			return ErrClosed // retired by a swap: nothing will be persisted
		}
	}
	return nil
}

// Segments is the number of segments of the index as it is now (for
// tests and measurements of merging).
func (ix *Index) Segments() (int, error) {
	if ix.isClosed() {
		return 0, ErrClosed
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return 0, err
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, fmt.Errorf("index %s: segments need a scorch index", ix.name)
	}
	return len(snap.Segments()), nil
}
