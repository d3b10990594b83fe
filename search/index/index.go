package index

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime"
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

	facets  facetColumns
	stop    chan struct{}  // closed by Close: stops warmFacets
	workers sync.WaitGroup // warmFacets

	// unpersisted holds a token for each applied batch that Bleve has not
	// yet written to disk: Apply blocks when it is full, so a fast feed
	// cannot pile up unpersisted segments in memory (see Apply).
	unpersisted chan struct{}

	mu       sync.Mutex
	cp       int64
	durable  int64         // the checkpoint of the newest batch on disk
	advanced chan struct{} // closed (and replaced) whenever cp moves; wakes WaitFor
	closed   bool
}

// Scorch runtime options of every index. unsafe_batch makes a Bleve batch
// return once it is searchable instead of once it is on disk, so that
// building the next segment overlaps writing the last one: indexing runs
// markedly faster (docs/search-api.md has the figures). It is safe here
// because the index is derived data whose checkpoint travels inside the
// batch: after a crash the index reopens at its newest snapshot on disk,
// documents and checkpoint together, and the feed replays the rest.
// A new map each time: Bleve writes the index's path into it.
func scorchConfig() map[string]any { return map[string]any{"unsafe_batch": true} }

const (
	// maxUnpersisted is how many Bleve batches may wait for the disk.
	maxUnpersisted = 8
	// maxParts is the most Bleve segments one Apply builds at once.
	maxParts = 4
	// flushTimeout bounds how long Close waits for the disk.
	flushTimeout = time.Minute
)

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
	fp, err := fingerprint(im, m.revision)
	if err != nil {
		return nil, err
	}
	b, err := openOrCreate(dir, im, fp)
	if err != nil {
		return nil, err
	}
	ix := &Index{name: filepath.Base(dir), m: m, im: im, b: b, advanced: make(chan struct{}),
		unpersisted: make(chan struct{}, maxUnpersisted)}
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
	ix.durable = ix.cp
	ix.stop = make(chan struct{})
	ix.workers.Go(func() { ix.warmFacets(ix.stop) })
	return ix, nil
}

func openOrCreate(dir string, im *mapping.IndexMappingImpl, fp string) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		b, err := bleve.OpenUsing(dir, scorchConfig())
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
	b, err := bleve.NewUsing(dir, im, scorch.Name, scorch.Name, scorchConfig())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	// Recorded after creation, and on disk before anything else is
	// indexed: a crash before this leaves an index without a fingerprint,
	// which the next Open rebuilds.
	fpBatch := b.NewBatch()
	fpBatch.SetInternal(mappingKey, []byte(fp))
	persisted := make(chan error, 1)
	fpBatch.SetPersistedCallback(func(err error) { persisted <- err })
	err = b.Batch(fpBatch)
	if err == nil {
		err = <-persisted
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	return b, nil
}

// Name is the index's directory name, used in errors and metrics.
func (ix *Index) Name() string { return ix.name }

// Mapping is the mapping the index was opened with.
func (ix *Index) Mapping() *Mapping { return ix.m }

// Close waits until every applied batch is on disk, then closes the
// index; waiting WaitFor calls return ErrClosed. An error means the newest
// batches may not be on disk: the index reopens at an older checkpoint and
// its consumer replays the feed from there.
func (ix *Index) Close() error {
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return nil
	}
	ix.closed = true
	close(ix.advanced)
	ix.mu.Unlock()
	close(ix.stop)
	ix.workers.Wait()
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	flushErr := ix.flush(ctx)
	return errors.Join(flushErr, ix.b.Close())
}

// Durable is the checkpoint of the newest applied batch that is on disk:
// what Open would return after a crash now. It trails Checkpoint by at
// most a few batches.
func (ix *Index) Durable() int64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.durable
}

// Flush waits until every applied batch is on disk (Durable equals
// Checkpoint): for a rebuild before it goes live, and for benchmarks.
func (ix *Index) Flush(ctx context.Context) error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	return ix.flush(ctx)
}

// flush waits until every applied batch is on disk: the persister has
// called back for each (it returns every token it was given).
func (ix *Index) flush(ctx context.Context) error {
	for range maxUnpersisted {
		select {
		case ix.unpersisted <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("index %s: batches not on disk: %w", ix.name, ctx.Err())
		}
	}
	for range maxUnpersisted {
		<-ix.unpersisted
	}
	return nil
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

// Apply commits the batch: once it returns, its documents, deletions and
// checkpoint are searchable, and they reach the disk a moment later
// (Durable), the checkpoint never before the documents it covers.
// Applying the same batch twice leaves the index as applying it once:
// upserts replace whole documents, deleting a missing id is a no-op, and
// the checkpoint never moves backwards.
//
// A large batch is built as several Bleve segments at once, split by id,
// because Bleve builds one segment on one core; its checkpoint follows in
// a Bleve batch of its own once they are in. While Apply runs, a reader
// may see some of its parts before others.
func (ix *Index) Apply(batch Batch) error {
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	if ix.isClosed() {
		return ErrClosed
	}
	parts, err := ix.split(batch)
	if err != nil {
		return err
	}
	advance := batch.Checkpoint > ix.Checkpoint()
	var cpBatch *bleve.Batch
	switch {
	case !advance:
	case len(parts) == 1:
		cpBatch = parts[0]
	default:
		cpBatch = ix.b.NewBatch()
	}
	if advance {
		cpBatch.SetInternal(checkpointKey, []byte(strconv.FormatInt(batch.Checkpoint, 10)))
	}
	if len(parts) > 1 {
		errs := make([]error, len(parts))
		var wg sync.WaitGroup
		for i, p := range parts {
			wg.Go(func() { errs[i] = ix.commit(p, 0) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	if cpBatch != nil {
		if err := ix.commit(cpBatch, batch.Checkpoint); err != nil {
			return err
		}
	} else if len(parts) == 1 {
		if err := ix.commit(parts[0], 0); err != nil {
			return err
		}
	}
	if advance {
		ix.advance(batch.Checkpoint)
	}
	return nil
}

// minPartDocs is the fewest upserts worth a Bleve segment of their own.
const minPartDocs = 128

// split maps the batch's documents into Bleve batches: one, or for a large
// batch one per core (at most maxParts), an id always in the same one.
func (ix *Index) split(batch Batch) ([]*bleve.Batch, error) {
	n := min(runtime.GOMAXPROCS(0), maxParts, len(batch.Upserts)/minPartDocs)
	n = max(n, 1)
	parts := make([]*bleve.Batch, n)
	for i := range parts {
		parts[i] = ix.b.NewBatch()
	}
	part := func(id string) *bleve.Batch {
		if n == 1 {
			return parts[0]
		}
		h := fnv.New32a()
		h.Write([]byte(id))
		return parts[h.Sum32()%uint32(n)]
	}
	for _, u := range batch.Upserts {
		doc, err := ix.document(u)
		if err != nil {
			return nil, err
		}
		if err := part(u.ID).IndexAdvanced(doc); err != nil {
			return nil, fmt.Errorf("index %s: %s: %w", ix.name, u.ID, err)
		}
	}
	for _, id := range batch.Deletes {
		part(id).Delete(id)
	}
	return parts, nil
}

// commit hands one Bleve batch to Bleve. With unsafe_batch (scorchConfig)
// Batch returns once the batch is searchable; Bleve writes it to disk in
// the background and then calls back, which returns the batch's token
// and, for a batch carrying checkpoint cp (> 0), moves Durable. Bleve
// keeps retrying a failed write and calls back only once it succeeds.
func (ix *Index) commit(b *bleve.Batch, cp int64) error {
	if b.Size() == 0 {
		return nil
	}
	ix.unpersisted <- struct{}{}
	var release sync.Once
	b.SetPersistedCallback(func(err error) {
		if err != nil {
			return
		}
		if cp > 0 {
			ix.mu.Lock()
			ix.durable = max(ix.durable, cp)
			ix.mu.Unlock()
		}
		release.Do(func() { <-ix.unpersisted })
	})
	if err := ix.b.Batch(b); err != nil {
		// Bleve may never call back for a batch it refused: give the
		// token back now (once, should it call back after all), or a few
		// failed batches would stop every later commit.
		release.Do(func() { <-ix.unpersisted })
		return fmt.Errorf("index %s: apply batch: %w", ix.name, err)
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
	doc.AddField(document.NewTextFieldCustom(KeyField, nil, []byte(u.ID), bleveindex.IndexField|bleveindex.DocValues, nil))
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
