// Package feed keeps Bleve indexes up to date from the document store's
// change feed.
//
// A Consumer reads the feed from its index's checkpoint, reads each changed
// entity's current state by id, and applies the result and the new
// checkpoint in one index batch. Reading current state, not the change,
// makes a replay harmless: after a crash the consumer resumes from the last
// committed checkpoint, applies some changes a second time, and ends in the
// same state. Delivery is at-least-once; the result is exactly the store.
package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"zhengwu/search/index"
	"zhengwu/shared/store"
	"zhengwu/shared/tracing"
)

// Defaults of a Consumer's tuning fields.
const (
	// DefaultBatchSize: larger batches index faster (fewer, larger Bleve
	// segments: 100k documents indexed at about 1,610 docs/s in batches of
	// 2,000, 1,490 in batches of 1,000, in the same session), smaller ones
	// show a change sooner while catching up (a batch of 2,000 takes about
	// 1.3 s). A live step holds only what arrived since the last one.
	DefaultBatchSize = 2000
	DefaultInterval  = 250 * time.Millisecond
)

// ErrIndexAhead: the index has applied feed sequences the store has never
// written, so it was built from another database (a store restored from a
// backup, a copied index directory). Its checkpoint would make the
// consumer skip the store's next writes: delete the index directory and
// let the consumer rebuild it.
var ErrIndexAhead = errors.New("feed: index checkpoint is ahead of the store")

// Consumer projects some collections of a store into one index. Set the
// exported fields, then call Run (or CatchUp, Step, Reconcile); they must
// not change afterwards. All methods are safe for concurrent use.
type Consumer struct {
	Store store.Store
	Index *index.Index
	// Collections are the store collections this index holds.
	Collections []string
	// Qualified makes an entity's index document id "collection/id" (Key)
	// instead of its store id, for an index several collections share:
	// their ids may coincide (an archive record takes the id of the 公文
	// it archives), and with bare ids the one applied last replaced the
	// other. Readers of such an index turn hit ids back with Entity.
	Qualified bool
	// Project turns an entity's current state into the document to index,
	// or ok=false if the entity does not belong in the index (a draft in a
	// published-only index, say), in which case it is removed from it.
	Project func(store.Doc) (doc any, ok bool)

	// Mirror, when set, sees every batch just before the index applies
	// it (the feed's steps, reconciliation's repairs and orphan deletions):
	// a capability that keeps a memory view of the same documents stays
	// at or ahead of the index, so that a read waiting for the index's
	// checkpoint (consistentWith) finds its write in the view too. A
	// batch that fails to apply is retried, and mirrored again.
	Mirror func(index.Batch)

	BatchSize int           // feed entries per step; default DefaultBatchSize
	Interval  time.Duration // idle poll when not notified; default DefaultInterval
	Logger    *slog.Logger  // default slog.Default()

	once   sync.Once
	follow *store.Follower
	// mu makes "read current state, apply it" one step relative to other
	// such steps, so that Reconcile can never apply an older state over a
	// newer one that Step applied in between. The follower holds it
	// through each step.
	mu sync.Mutex

	applied  atomic.Int64
	repaired atomic.Int64
	passes   atomic.Int64 // completed Reconcile passes
	metrics  metricDescs
}

func (c *Consumer) init() {
	c.once.Do(func() {
		if c.BatchSize <= 0 {
			c.BatchSize = DefaultBatchSize
		}
		if c.Interval <= 0 {
			c.Interval = DefaultInterval
		}
		if c.Logger == nil {
			c.Logger = slog.Default()
		}
		c.metrics = newMetricDescs(c.Index.Name())
		c.follow = &store.Follower{Store: c.Store, BatchSize: c.BatchSize, Interval: c.Interval,
			Logger: c.Logger.With("index", c.Index.Name()), Name: "search index " + c.Index.Name(),
			Lock:       &c.mu,
			Checkpoint: func(context.Context) (int64, error) { return c.Index.Checkpoint(), nil },
			Apply:      c.apply}
	})
}

// Notify wakes a waiting Run at once. A writer in the same process calls
// it after a write, so that read-your-writes waits milliseconds, not a
// poll interval. It never blocks.
func (c *Consumer) Notify() {
	c.init()
	c.follow.Notify()
}

// Run applies the feed until ctx ends, then returns nil. It waits for
// Notify or the poll interval when it has caught up, and retries after
// errors (logged and counted), backing off up to a few seconds
// (store.Follower).
//
// It returns ErrIndexAhead at once if the index does not belong to this
// store's history. On shutdown, cancel ctx and wait for Run to return
// before closing the index.
func (c *Consumer) Run(ctx context.Context) error {
	c.init()
	if err := c.checkNotAhead(ctx); errors.Is(err, ErrIndexAhead) {
		return err
	}
	c.follow.Run(ctx)
	return nil
}

// CatchUp applies the feed until the index has reached the store's last
// sequence as of the call. For start-up (serve lists only once caught up)
// and tests.
func (c *Consumer) CatchUp(ctx context.Context) error {
	c.init()
	// The checkpoint is read before the store's last sequence: a running
	// consumer may apply writes made after LastSeq answered, and read the
	// other way round a live index looked ahead of its own store (the
	// soak's 'cms: scheduled changes failed' under concurrent writes).
	cp := c.Index.Checkpoint()
	target, err := c.Store.LastSeq(ctx)
	if err != nil {
		return err
	}
	if cp > target {
		return fmt.Errorf("%w: index %s at seq %d, store at %d", ErrIndexAhead, c.Index.Name(), cp, target)
	}
	return c.follow.CatchUpTo(ctx, target)
}

// Step applies at most one batch of feed entries after the index's
// checkpoint and reports how many entries it consumed (0: caught up).
func (c *Consumer) Step(ctx context.Context) (int, error) {
	c.init()
	return c.follow.Step(ctx)
}

// apply is one feed page, under c.mu: read the current state of the
// page's entities and apply it with the page's last sequence as the
// index checkpoint, in one batch.
func (c *Consumer) apply(ctx context.Context, changes []store.Change) error {
	keys := make([]key, 0, len(changes))
	seen := make(map[key]bool, len(changes))
	for _, ch := range changes {
		k := key{ch.Collection, ch.ID}
		// An entity changed several times in the batch is read once: its
		// current state covers all of those changes.
		if seen[k] || !slices.Contains(c.Collections, ch.Collection) {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
	}
	batch, err := c.current(ctx, keys)
	if err != nil {
		return err
	}
	batch.Checkpoint = changes[len(changes)-1].Seq
	if err := c.applyTraced(ctx, batch); err != nil {
		return err
	}
	c.applied.Add(int64(len(changes)))
	return nil
}

func (c *Consumer) checkNotAhead(ctx context.Context) error {
	cp := c.Index.Checkpoint() // first, as in CatchUp
	last, err := c.Store.LastSeq(ctx)
	if err != nil {
		return err // not conclusive; Run's loop retries the store
	}
	if cp > last {
		return fmt.Errorf("%w: index %s at seq %d, store at %d", ErrIndexAhead, c.Index.Name(), cp, last)
	}
	return nil
}

type key struct{ collection, id string }

// Key is the index document id of the store entity (collection, id) in a
// Qualified index.
func Key(collection, id string) string { return collection + "/" + id }

// Entity is the store entity a Qualified index's document id names
// (Key's inverse; collection names hold no "/"), ok=false for an id that
// Key did not make.
func Entity(docID string) (collection, id string, ok bool) {
	collection, id, ok = strings.Cut(docID, "/")
	return collection, id, ok && collection != "" && id != ""
}

// docID is the index document id of k.
func (c *Consumer) docID(k key) string {
	if c.Qualified {
		return Key(k.collection, k.id)
	}
	return k.id
}

// entity is the store entity of an index entry, ok=false when the entry
// cannot be one of this consumer's (a bare id in a Qualified index).
func (c *Consumer) entity(e index.Entry) (key, bool) {
	if !c.Qualified {
		return key{e.Collection, e.ID}, true
	}
	coll, id, ok := Entity(e.ID)
	return key{coll, id}, ok && coll == e.Collection
}

// Upsert is the index operation for the stored document d as this
// consumer makes it: its projection under its index document id, or
// ok=false when it does not belong in the index. A bulk rebuild
// (package reindex) makes its documents with it.
func (c *Consumer) Upsert(d store.Doc) (index.Upsert, bool) {
	projected, ok := c.Project(d)
	if !ok {
		return index.Upsert{}, false
	}
	return index.Upsert{ID: c.docID(key{d.Collection, d.ID}), Collection: d.Collection, Version: d.Version, Doc: projected}, true
}

// current reads each entity's current state and turns it into index
// operations: upsert what exists and projects, delete the rest.
func (c *Consumer) current(ctx context.Context, keys []key) (index.Batch, error) {
	var b index.Batch
	for _, k := range keys {
		doc, err := c.Store.Get(ctx, k.collection, k.id)
		if errors.Is(err, store.ErrNotFound) {
			b.Deletes = append(b.Deletes, c.docID(k))
			continue
		}
		if err != nil {
			return index.Batch{}, fmt.Errorf("feed: read %s/%s: %w", k.collection, k.id, err)
		}
		u, ok := c.Upsert(doc)
		if !ok {
			b.Deletes = append(b.Deletes, c.docID(k))
			continue
		}
		b.Upserts = append(b.Upserts, u)
	}
	return b, nil
}

// applyBatch mirrors the batch (Mirror), then applies it to the index.
func (c *Consumer) applyBatch(b index.Batch) error {
	if c.Mirror != nil {
		c.Mirror(b)
	}
	return c.Index.Apply(b)
}

// applyTraced is applyBatch as a span under the feed step's: the
// index, the upserts and deletes, and the checkpoint it moves to.
func (c *Consumer) applyTraced(ctx context.Context, b index.Batch) error {
	_, span := tracing.Start(ctx, "index.apply")
	if span.IsRecording() {
		span.SetAttributes(index.IndexKey.String(c.Index.Name()),
			attribute.Int("zhengwu.index.upserts", len(b.Upserts)), attribute.Int("zhengwu.index.deletes", len(b.Deletes)),
			attribute.Int64("zhengwu.feed.checkpoint", b.Checkpoint))
	}
	err := c.applyBatch(b)
	if err != nil {
		span.SetStatus(codes.Error, "index apply failed")
	}
	span.End()
	return err
}

// Lag is how many feed sequences the index is behind the store.
func (c *Consumer) Lag(ctx context.Context) (int64, error) {
	last, err := c.Store.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	return max(0, last-c.Index.Checkpoint()), nil
}

var _ prometheus.Collector = (*Consumer)(nil)
