package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"zhengwu/search/index"
	"zhengwu/shared/store"
)

// ListIndex is a capability's list index: a Bleve index on local disk that
// a Consumer keeps current from the store's change feed, so that the
// capability answers its lists, filters and counts from the index with the
// reader's rights in the query (ARCHITECTURE.md, "the query side").
//
// It owns the index and its consumer: open it when the capability is
// built, Start it with the process's background context, Close it at
// shutdown. Every capability with lists uses one instead of wiring an
// index and a consumer by hand.
type ListIndex struct {
	ix       *index.Index
	consumer *Consumer
	log      *slog.Logger

	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	started bool
}

// ListIndexConfig says what a ListIndex holds and where it lives.
type ListIndexConfig struct {
	Store store.Store
	// Dir is the index directory (created if missing; rebuilt from the
	// store when the mapping changed).
	Dir     string
	Mapping *index.Mapping
	// Collections and Project as in Consumer.
	Collections []string
	Project     func(store.Doc) (any, bool)
	BatchSize   int // default DefaultBatchSize
	Logger      *slog.Logger
}

// OpenListIndex opens the index; it is not fed until Start.
func OpenListIndex(c ListIndexConfig) (*ListIndex, error) {
	if c.Store == nil || c.Dir == "" || c.Mapping == nil || c.Project == nil || len(c.Collections) == 0 {
		return nil, errors.New("feed: a list index needs Store, Dir, Mapping, Collections and Project")
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	ix, err := index.Open(c.Dir, c.Mapping)
	if err != nil {
		return nil, fmt.Errorf("feed: open list index %s: %w", c.Dir, err)
	}
	return &ListIndex{ix: ix, log: c.Logger, consumer: &Consumer{Store: c.Store, Index: ix,
		Collections: c.Collections, Project: c.Project, BatchSize: c.BatchSize, Logger: c.Logger}}, nil
}

// Index is the index, to query.
func (l *ListIndex) Index() *index.Index { return l.ix }

// Consumer is the index's feed consumer (for reconciliation and metrics).
func (l *ListIndex) Consumer() *Consumer { return l.consumer }

// Start catches the index up with the store, so that lists are complete
// from the first request, then feeds it in the background until ctx ends
// or Close.
func (l *ListIndex) Start(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		return errors.New("feed: list index started twice")
	}
	if err := l.consumer.CatchUp(ctx); err != nil {
		return fmt.Errorf("feed: catch up %s: %w", l.ix.Name(), err)
	}
	// The catch-up's writes and merges leave the index files' pages mapped
	// that serving does not read (index.ReleaseMapped).
	if _, err := l.ix.ReleaseMapped(); err != nil {
		l.log.Warn("list index: releasing mapped pages failed", "index", l.ix.Name(), "err", err)
	}
	ctx, l.cancel = context.WithCancel(ctx)
	l.done, l.started = make(chan struct{}), true
	go func() {
		defer close(l.done)
		if err := l.consumer.Run(ctx); err != nil {
			l.log.Error("list index consumer stopped", "index", l.ix.Name(), "err", err)
		}
	}()
	return nil
}

// Notify wakes the consumer after a write in this process, so that the
// writer's next list shows it within milliseconds. It never blocks.
func (l *ListIndex) Notify() { l.consumer.Notify() }

// CatchUp applies the feed up to the store's last sequence (tests, tools).
func (l *ListIndex) CatchUp(ctx context.Context) error { return l.consumer.CatchUp(ctx) }

// ConsistentWith waits until the index has applied the feed sequence the
// client passed back (?consistentWith=, "" for none), at most timeout; a
// sequence the store never wrote is the client's error: see
// index.ConsistentWith.
func (l *ListIndex) ConsistentWith(ctx context.Context, raw string, timeout time.Duration) error {
	return index.ConsistentWith(ctx, l.ix, raw, timeout, l.consumer.Store.LastSeq)
}

// Close stops the consumer, waits for it, and closes the index.
func (l *ListIndex) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		l.cancel()
		<-l.done
		l.started = false
	}
	return l.ix.Close()
}
