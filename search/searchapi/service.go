// Package searchapi is Zhengwu's search: full-text search over the portal
// and office indexes with filters, facets, highlights and suggestions,
// access control inside every query, and the feed consumers that keep the
// indexes current. An index rebuilt by package reindex is swapped in
// while the service keeps answering. Package searchhttp serves it as the
// search API under Prefix.
package searchapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/reindex"
	"zhengwu/search/source"
	"zhengwu/shared/memlimit"
	"zhengwu/shared/store"
)

// Intervals of the background work started by Start.
const (
	DefaultReconcileEvery = 10 * time.Minute
	WatchEvery            = 2 * time.Second
	// DefaultReleaseEvery is how often the indexes' mapped pages are
	// released (Deps.ReleaseEvery).
	DefaultReleaseEvery = 30 * time.Second
)

// Deps are the service's dependencies.
type Deps struct {
	Store   store.Store
	DataDir string // indexes live in <DataDir>/index
	Logger  *slog.Logger
	Now     func() time.Time
	// Projections are what the indexes hold: every capability's search
	// projections, portal and office alike (each says its index).
	Projections []source.Projection
	// Scopes are the indexes to open (source.PortalName,
	// source.OfficeName); nil opens both. A process that serves no search
	// API but answers an office capability's query from the office index
	// (公文查询) opens that one alone, and indexes no portal items.
	Scopes []string
	// ReconcileEvery is the time between reconciliations of the indexes
	// with the store; default DefaultReconcileEvery.
	ReconcileEvery time.Duration
	// MergeAfter is how many feed sequences a catch-up must apply for the
	// index to be force-merged afterwards; default BulkCatchUp.
	MergeAfter int64
	// ReleaseEvery is how often the indexes' segment files' pages are
	// released from the process's page tables (index.ReleaseMapped):
	// between two releases it keeps mapped what searches read since, and
	// the kernel's neighbours of it (fault-around), not everything ever
	// read. Default DefaultReleaseEvery; negative: never.
	ReleaseEvery time.Duration
	// Merged, when set, is called after such a merge succeeded: the
	// process gives back the merge's garbage (serve: debug.FreeOSMemory),
	// which is the process's business, not the index's.
	Merged func()
}

// Service is the search API.
type Service struct {
	store store.Store
	data  string
	log   *slog.Logger
	now   func() time.Time
	// reconcileEvery is Deps.ReconcileEvery.
	reconcileEvery time.Duration
	mergeAfter     int64         // Deps.MergeAfter
	releaseEvery   time.Duration // Deps.ReleaseEvery
	merged         func()        // Deps.Merged

	scopes map[string]*scope

	mu      sync.Mutex // guards ctx, cancel and started
	ctx     context.Context
	cancel  context.CancelFunc
	started bool
	wg      sync.WaitGroup
}

// scope is one search index (portal, office) and the index it serves now.
type scope struct {
	name string
	src  *source.Source
	cur  atomic.Pointer[live]
	swap sync.Mutex // one swap at a time
}

// live is an open index with its feed consumer. Queries hold mu for
// reading; closing it takes mu for writing, so it waits for them.
type live struct {
	dir      string
	ix       *index.Index
	consumer *feed.Consumer

	// merging is set while a force merge after a bulk catch-up runs
	// (zhengwu_search_index_merging).
	merging atomic.Bool

	mu     sync.RWMutex
	closed bool
	stop   context.CancelFunc // ends the consumer's Run
	done   chan struct{}      // closed when Run has returned (nil: not running)
}

// New opens the portal and office indexes, or those of d.Scopes (the
// directories their pointer files name, or <data>/index/search-portal and
// search-office) with source.Mapping. Call Start to feed them.
func New(d Deps) (*Service, error) {
	if d.Store == nil {
		return nil, errors.New("searchapi: Deps.Store is required")
	}
	if d.DataDir == "" {
		return nil, errors.New("searchapi: Deps.DataDir is required")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ReconcileEvery <= 0 {
		d.ReconcileEvery = DefaultReconcileEvery
	}
	if d.MergeAfter <= 0 {
		d.MergeAfter = BulkCatchUp
	}
	if d.ReleaseEvery == 0 {
		d.ReleaseEvery = DefaultReleaseEvery
	}
	s := &Service{store: d.Store, data: d.DataDir, log: d.Logger, now: d.Now,
		reconcileEvery: d.ReconcileEvery, mergeAfter: d.MergeAfter, merged: d.Merged, releaseEvery: d.ReleaseEvery, scopes: map[string]*scope{}}
	names := d.Scopes
	if names == nil {
		names = []string{source.PortalName, source.OfficeName}
	}
	for _, name := range names {
		if name != source.PortalName && name != source.OfficeName {
			s.closeAll()
			return nil, fmt.Errorf("searchapi: unknown scope %q", name)
		}
		src, err := source.New(name, d.Logger, d.Projections...)
		if err != nil {
			s.closeAll()
			return nil, err
		}
		sc := &scope{name: src.Name(), src: src}
		dir, err := reindex.Current(d.DataDir, sc.name)
		if err != nil {
			s.closeAll()
			return nil, err
		}
		l, err := s.open(sc, dir)
		if err != nil {
			s.closeAll()
			return nil, err
		}
		sc.cur.Store(l)
		s.scopes[sc.name] = sc
		s.removeStale(sc.name, dir)
	}
	return s, nil
}

func (s *Service) open(sc *scope, dir string) (*live, error) {
	ix, err := index.Open(dir, source.Mapping())
	if err != nil {
		return nil, fmt.Errorf("searchapi: open %s index: %w", sc.name, err)
	}
	return &live{dir: dir, ix: ix, consumer: sc.src.Consumer(s.store, ix)}, nil
}

// removeStale deletes index directories of the scope left behind by a
// swap that no running server completed.
func (s *Service) removeStale(scope, dir string) {
	stale, err := reindex.Stale(s.data, scope, dir)
	if err != nil {
		s.log.Warn("search: cannot list old index directories", "scope", scope, "err", err)
	}
	for _, d := range stale {
		if err := os.RemoveAll(d); err != nil {
			s.log.Warn("search: cannot remove old index directory", "dir", d, "err", err)
		}
	}
}

// Start catches the indexes up with the store's feed, then keeps feeding
// them in the background, reconciles them every Deps.ReconcileEvery and
// watches the pointer files (every WatchEvery) for a rebuilt index to swap
// in. It returns once both indexes are caught up (or with the first
// error). Stop it with Close.
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("searchapi: started twice")
	}
	s.started = true
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.mu.Unlock()
	for _, sc := range s.scopes {
		l := sc.cur.Load()
		from := l.ix.Checkpoint()
		if err := l.consumer.CatchUp(ctx); err != nil {
			return fmt.Errorf("searchapi: catch up %s index: %w", sc.name, err)
		}
		s.run(l)
		s.mergeAfterBulk(l, from)
	}
	s.wg.Add(2)
	go s.every(WatchEvery, func(context.Context) {
		if err := s.Swap(); err != nil {
			s.log.Error("search: index swap failed", "err", err)
		}
	})
	go s.every(s.reconcileEvery, func(ctx context.Context) {
		for name := range s.scopes {
			_, err := s.Reconcile(ctx, name)
			if err != nil && ctx.Err() == nil && !errors.Is(err, index.ErrClosed) { // closed: swapped out meanwhile
				s.log.Error("search: reconciliation failed", "scope", name, "err", err)
			}
		}
	})
	if s.releaseEvery > 0 {
		s.wg.Add(1)
		go s.every(s.releaseEvery, func(context.Context) { s.ReleaseMapped() })
	}
	return nil
}

// ReleaseMapped releases every index's mapped pages (index.ReleaseMapped):
// a search after it maps again, from the page cache, what it reads
// (docs/benchmarks.md, mapslim: +0.07–0.15 ms on a query's first read of
// a page, none on the others).
// Start calls it every Deps.ReleaseEvery.
func (s *Service) ReleaseMapped() {
	for _, sc := range s.scopes {
		l := sc.cur.Load()
		if _, err := l.ix.ReleaseMapped(); err != nil && !errors.Is(err, index.ErrClosed) {
			s.log.Warn("search: releasing the index's mapped pages failed", "index", l.ix.Name(), "err", err)
		}
	}
}

// Reconcile compares the scope's live index with the store and repairs
// every difference (feed.Consumer.Reconcile). Start runs it every
// Deps.ReconcileEvery; an operator's tool or a test runs it at once.
func (s *Service) Reconcile(ctx context.Context, scope string) (feed.Report, error) {
	sc, ok := s.scopes[scope]
	if !ok {
		return feed.Report{}, fmt.Errorf("searchapi: no %q index open", scope)
	}
	return sc.cur.Load().consumer.Reconcile(ctx)
}

// BulkCatchUp is how many feed sequences a catch-up must have applied
// for the service to force-merge the index afterwards (Deps.MergeAfter's
// default): a new or rebuilt
// index that caught up with a whole store, or one that was long stopped.
// Below it the merge's cost (it rewrites the index once) outweighs what
// it saves.
const BulkCatchUp = 10_000

// mergeAfterBulk force-merges l's index in the background when its
// catch-up from checkpoint from was a bulk load (index.ForceMerge: ~4 %
// less disk and mapped memory at 100k portal items). Searches and the
// feed go on meanwhile; Close and a swap abandon the merge.
func (s *Service) mergeAfterBulk(l *live, from int64) {
	if l.ix.Checkpoint()-from < s.mergeAfter {
		return
	}
	l.merging.Store(true)
	// Bulk work: taken here, before Start returns, so that the process's
	// memory governor, started after the catch-up, finds it held.
	release := memlimit.Bulk()
	s.wg.Go(func() {
		defer l.merging.Store(false)
		defer release()
		start := time.Now()
		err := l.ix.ForceMerge(s.ctx)
		switch {
		case err == nil:
			s.log.Info("search: index merged after its catch-up", "index", l.ix.Name(), "took", time.Since(start).Round(time.Millisecond))
			if s.merged != nil {
				s.merged()
			}
		case s.ctx.Err() == nil && !errors.Is(err, index.ErrClosed):
			s.log.Warn("search: merging the index after its catch-up failed", "index", l.ix.Name(), "err", err)
		}
	})
}

// run starts the consumer of l in the background.
func (s *Service) run(l *live) {
	ctx, cancel := context.WithCancel(s.ctx)
	l.stop, l.done = cancel, make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(l.done)
		if err := l.consumer.Run(ctx); err != nil {
			s.log.Error("search: feed consumer stopped", "index", l.ix.Name(), "err", err)
		}
	}()
}

func (s *Service) every(d time.Duration, fn func(context.Context)) {
	defer s.wg.Done()
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			fn(s.ctx)
		}
	}
}

// Swap checks the pointer files and, for a scope whose pointer names
// another directory than the one served, opens the new index, catches it
// up, serves it, and then closes and deletes the old one once the queries
// running on it have finished. Start calls it every WatchEvery; call it
// to swap at once.
func (s *Service) Swap() error {
	var errs []error
	for _, sc := range s.scopes {
		errs = append(errs, s.swap(sc))
	}
	return errors.Join(errs...)
}

func (s *Service) swap(sc *scope) error {
	sc.swap.Lock()
	defer sc.swap.Unlock()
	dir, err := reindex.Current(s.data, sc.name)
	if err != nil {
		return err
	}
	old := sc.cur.Load()
	if old == nil || filepath.Clean(dir) == filepath.Clean(old.dir) {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		return fmt.Errorf("searchapi: pointer of %s names %s, which holds no index: %w", sc.name, dir, err)
	}
	l, err := s.open(sc, dir)
	if err != nil {
		return err
	}
	from := l.ix.Checkpoint()
	s.mu.Lock()
	ctx, running := s.ctx, s.started
	s.mu.Unlock()
	if running {
		if ctx.Err() != nil {
			l.ix.Close()
			return nil // closing
		}
		if err := l.consumer.CatchUp(ctx); err != nil {
			l.ix.Close()
			return fmt.Errorf("searchapi: catch up new %s index: %w", sc.name, err)
		}
	}
	sc.cur.Store(l)
	if running {
		s.run(l)
		s.mergeAfterBulk(l, from)
	}
	s.retire(old)
	if err := os.RemoveAll(old.dir); err != nil {
		s.log.Warn("search: cannot remove the old index", "dir", old.dir, "err", err)
	}
	s.log.Info("search: index swapped", "scope", sc.name, "from", old.dir, "to", dir)
	return nil
}

// retire stops l's consumer, waits for the queries on it, and closes it.
func (s *Service) retire(l *live) {
	if l.stop != nil {
		l.stop()
		<-l.done
	}
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	if err := l.ix.Close(); err != nil {
		s.log.Warn("search: close index", "dir", l.dir, "err", err)
	}
}

// acquire returns the scope's live index, held for reading until release.
func (sc *scope) acquire() (*live, error) {
	for range 100 {
		l := sc.cur.Load()
		l.mu.RLock()
		if !l.closed {
			return l, nil
		}
		l.mu.RUnlock()
		time.Sleep(time.Millisecond)
	}
	return nil, index.ErrClosed
}

func (l *live) release() { l.mu.RUnlock() }

// Close stops the consumers and background work and closes the indexes.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.closeAll()
	return nil
}

func (s *Service) closeAll() {
	for _, sc := range s.scopes {
		sc.swap.Lock()
		if l := sc.cur.Load(); l != nil {
			l.mu.Lock()
			if !l.closed {
				l.closed = true
				l.ix.Close()
			}
			l.mu.Unlock()
		}
		sc.swap.Unlock()
	}
}

// Notify wakes the consumers at once (a writer in the same process calls
// it after a write, for read-your-writes).
func (s *Service) Notify() {
	for _, sc := range s.scopes {
		sc.cur.Load().consumer.Notify()
	}
}

// Index is the index a scope serves now (for tests and read-your-writes
// waits); it may be swapped out at any time.
func (s *Service) Index(scope string) *index.Index {
	if sc, ok := s.scopes[scope]; ok {
		return sc.cur.Load().ix
	}
	return nil
}

// Collectors are the service's Prometheus collectors: the feed metrics
// (lag, checkpoint, applied, errors) of whichever index each scope serves.
func (s *Service) Collectors() []prometheus.Collector {
	return []prometheus.Collector{feedCollector{s}}
}

// feedCollector delegates to the current consumers. It describes nothing,
// so the registry treats it as unchecked: the consumers change on a swap.
type feedCollector struct{ s *Service }

func (feedCollector) Describe(chan<- *prometheus.Desc) {}

// mergingDesc says whether an index is being merged after a bulk
// catch-up (mergeAfterBulk): its disk then holds the old segments and the
// merged one until the merge ends.
var mergingDesc = prometheus.NewDesc("zhengwu_search_index_merging",
	"1 while the search index is force-merged after a bulk catch-up", []string{"index"}, nil)

// mappedDesc is what the index's files add to the process's memory: their
// pages mapped in its page tables (released every Deps.ReleaseEvery).
var mappedDesc = prometheus.NewDesc("zhengwu_search_index_mapped_bytes",
	"bytes of the search index's files mapped in the process's page tables (part of its RSS and PSS)", []string{"index"}, nil)

func (f feedCollector) Collect(ch chan<- prometheus.Metric) {
	for _, sc := range f.s.scopes {
		l := sc.cur.Load()
		l.consumer.Collect(ch)
		v := 0.0
		if l.merging.Load() {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(mergingDesc, prometheus.GaugeValue, v, l.ix.Name())
		if n, err := l.ix.MappedResident(); err == nil { // none where the kernel does not say
			ch <- prometheus.MustNewConstMetric(mappedDesc, prometheus.GaugeValue, float64(n), l.ix.Name())
		}
	}
}
