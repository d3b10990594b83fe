package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Keys of the values Zhengwu keeps inside the Bleve index (Bleve's
// "internal" key space, which is committed with the documents).
var (
	checkpointKey = []byte("checkpoint")
	mappingKey    = []byte("mapping")
)

// Errors of the index. Callers compare with errors.Is.
var (
	// ErrWaitTimeout: WaitFor gave up before the index applied the sequence.
	ErrWaitTimeout = errors.New("index: not caught up")
	// ErrClosed: the index was closed.
	ErrClosed = errors.New("index: closed")
)

// Index is one on-disk Bleve index with its feed checkpoint. List, Count
// and WaitFor are safe for concurrent use; Apply calls are serialised.
type Index struct {
	name string
	m    *Mapping
	im   *mapping.IndexMappingImpl
	b    bleve.Index

	applyMu sync.Mutex // one Apply at a time, so the checkpoint only moves forward

	mu       sync.Mutex
	cp       int64
	advanced chan struct{} // closed (and replaced) whenever cp moves; wakes WaitFor
	closed   bool
}

// Open opens the index in dir, creating it if dir does not exist or is
// empty. An index that was built with a different mapping is wiped and
// created again with checkpoint 0, so that its consumer rebuilds it from
// the store: indexes are derived data, and a changed mapping needs a
// rebuild anyway. A dir that holds something other than a Bleve index is
// an error, never wiped.
func Open(dir string, m *Mapping) (*Index, error) {
	im, err := m.bleve()
	if err != nil {
		return nil, err
	}
	fp, err := fingerprint(im)
	if err != nil {
		return nil, err
	}
	b, err := openOrCreate(dir, im, fp)
	if err != nil {
		return nil, err
	}
	ix := &Index{name: filepath.Base(dir), m: m, im: im, b: b, advanced: make(chan struct{})}
	raw, err := b.GetInternal(checkpointKey)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("index %s: read checkpoint: %w", ix.name, err)
	}
	if raw != nil {
		if ix.cp, err = strconv.ParseInt(string(raw), 10, 64); err != nil {
			b.Close()
			return nil, fmt.Errorf("index %s: bad checkpoint %q: %w", ix.name, raw, err)
		}
	}
	return ix, nil
}

func openOrCreate(dir string, im *mapping.IndexMappingImpl, fp string) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		b, err := bleve.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
		stored, err := b.GetInternal(mappingKey)
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
		if string(stored) == fp {
			return b, nil
		}
		if err := b.Close(); err != nil {
			return nil, err
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove index %s built with another mapping: %w", dir, err)
		}
	} else if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) > 0 {
			return nil, fmt.Errorf("open index %s: directory is not empty and holds no Bleve index", dir)
		}
		// bleve.New insists on creating the directory itself.
		if err := os.Remove(dir); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	b, err := bleve.NewUsing(dir, im, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	// Recorded after creation: a crash before this leaves an index without
	// a fingerprint, which the next Open rebuilds.
	if err := b.SetInternal(mappingKey, []byte(fp)); err != nil {
		b.Close()
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	return b, nil
}

// Name is the index's directory name, used in errors and metrics.
func (ix *Index) Name() string { return ix.name }

// Mapping is the mapping the index was opened with.
func (ix *Index) Mapping() *Mapping { return ix.m }

// Close closes the index; waiting WaitFor calls return ErrClosed.
func (ix *Index) Close() error {
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return nil
	}
	ix.closed = true
	close(ix.advanced)
	ix.mu.Unlock()
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	return ix.b.Close()
}

// Upsert is one document to (re)index.
type Upsert struct {
	ID         string
	Collection string // the store collection it came from
	Version    int64  // the store version it was projected from
	Doc        any    // the projection: a struct or map the Mapping describes
}

// Batch is a unit of Apply: its documents, deletions and checkpoint become
// visible, and durable, together or not at all.
type Batch struct {
	Upserts []Upsert
	Deletes []string // ids; an id must not also be upserted in the same batch
	// Checkpoint is the feed sequence the batch brings the index up to.
	// 0, or a value not above the current checkpoint, leaves it unchanged
	// (reconciliation repairs documents without moving the checkpoint).
	Checkpoint int64
}

// Apply commits the batch in one Bleve batch, the checkpoint with it
// (Batch.SetInternal). Applying the same batch twice leaves the index as
// applying it once: upserts replace whole documents, deleting a missing id
// is a no-op, and the checkpoint never moves backwards.
func (ix *Index) Apply(batch Batch) error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	if ix.isClosed() {
		return ErrClosed
	}
	cp := ix.Checkpoint()
	b := ix.b.NewBatch()
	for _, u := range batch.Upserts {
		doc, err := ix.document(u)
		if err != nil {
			return err
		}
		if err := b.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("index %s: %s: %w", ix.name, u.ID, err)
		}
	}
	for _, id := range batch.Deletes {
		b.Delete(id)
	}
	advance := batch.Checkpoint > cp
	if advance {
		b.SetInternal(checkpointKey, []byte(strconv.FormatInt(batch.Checkpoint, 10)))
	}
	if b.Size() == 0 {
		return nil
	}
	// Scorch on disk (without "unsafe_batch") returns from Batch only
	// once the batch is persisted and synced: when Apply returns, the
	// documents and the checkpoint are durable, together.
	if err := ix.b.Batch(b); err != nil {
		return fmt.Errorf("index %s: apply batch: %w", ix.name, err)
	}
	if advance {
		ix.advance(batch.Checkpoint)
	}
	return nil
}

// document maps an upsert the way Batch.Index would, then adds the
// reserved fields, which come from the store rather than the projection.
func (ix *Index) document(u Upsert) (*document.Document, error) {
	if u.ID == "" {
		return nil, fmt.Errorf("index %s: upsert without id", ix.name)
	}
	doc := document.NewDocument(u.ID)
	if err := ix.im.MapDocument(doc, u.Doc); err != nil {
		return nil, fmt.Errorf("index %s: map %s: %w", ix.name, u.ID, err)
	}
	opts := bleveindex.IndexField | bleveindex.StoreField | bleveindex.DocValues
	for i, f := range doc.Fields {
		// Bleve stores a time.Time with RFC 3339 layout, which returns it
		// truncated to the second; keep the full precision.
		if dt, ok := f.(*document.DateTimeField); ok {
			t, _, err := dt.DateTime()
			if err != nil {
				return nil, fmt.Errorf("index %s: %s.%s: %w", ix.name, u.ID, f.Name(), err)
			}
			nf, err := document.NewDateTimeFieldWithIndexingOptions(f.Name(), f.ArrayPositions(), t, time.RFC3339Nano, dt.Options())
			if err != nil {
				return nil, fmt.Errorf("index %s: %s.%s: %w", ix.name, u.ID, f.Name(), err)
			}
			doc.Fields[i] = nf
		}
	}
	doc.AddField(document.NewNumericFieldWithIndexingOptions(VersionField, nil, float64(u.Version), opts))
	// A text field without an analyzer is indexed as one token: a keyword.
	doc.AddField(document.NewTextFieldCustom(CollectionField, nil, []byte(u.Collection), opts, nil))
	return doc, nil
}

// Checkpoint is the feed sequence the index has applied (0 for a new index).
func (ix *Index) Checkpoint() int64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.cp
}

func (ix *Index) advance(seq int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed || seq <= ix.cp {
		return
	}
	ix.cp = seq
	close(ix.advanced)
	ix.advanced = make(chan struct{})
}

func (ix *Index) isClosed() bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.closed
}

// WaitFor blocks until the index has applied feed sequence seq (its
// checkpoint is at least seq), for read-your-writes: a writer returns the
// sequence of its write, and a list made with it sees that write. It
// returns an error wrapping ErrWaitTimeout after timeout, ctx.Err() if ctx
// ends first, and ErrClosed if the index closes. seq <= 0 returns at once.
func (ix *Index) WaitFor(ctx context.Context, seq int64, timeout time.Duration) error {
	var timer <-chan time.Time
	for {
		ix.mu.Lock()
		cp, advanced, closed := ix.cp, ix.advanced, ix.closed
		ix.mu.Unlock()
		switch {
		case cp >= seq:
			return nil
		case closed:
			return ErrClosed
		}
		if timer == nil {
			t := time.NewTimer(timeout)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-advanced:
		case <-timer:
			return fmt.Errorf("%w: index %s has applied seq %d, waited %s for %d",
				ErrWaitTimeout, ix.name, ix.Checkpoint(), timeout, seq)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
