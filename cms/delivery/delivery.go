package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/store"
)

// Deps are what the delivery service needs.
type Deps struct {
	Store    store.Store
	Channels *channel.Tree
	// IndexDir is the directory of the items index (created if missing;
	// rebuilt from the store if its mapping changed).
	IndexDir string
	Now      func() time.Time // default time.Now
	Logger   *slog.Logger     // default slog.Default()
	// FeedBatchSize is how many feed entries the consumer applies in one
	// index batch (default feed.DefaultBatchSize); a bulk load wants more.
	FeedBatchSize int
	// ConsistentWithTimeout bounds ?consistentWith waits (default 5 s).
	ConsistentWithTimeout time.Duration
	// DetailCacheBytes bounds the memory cache of rendered items (default
	// 256 MiB, enough for 100,000 items; -1 turns it off).
	DetailCacheBytes int
}

// Service answers the portal's public reads (deliveryhttp serves them).
type Service struct {
	store    store.Store
	channels *channel.Tree
	now      func() time.Time
	log      *slog.Logger
	waitMax  time.Duration

	index    *index.Index
	consumer *feed.Consumer
	view     *listView // what lists are answered from (listview.go)

	fresh      freshness
	lists      *cache[[]byte]
	listFlight singleflight.Group
	totals     *cache[uint64]
	reverse    *cache[reverseLinks]
	details    *cache[*Answer]
	metrics    metrics
}

// New opens (or creates) the items index and builds the service. Call Run
// (or CatchUp) to bring the index up to date, and Close when done.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Channels == nil || d.IndexDir == "" {
		return nil, errors.New("delivery: Store, Channels and IndexDir are required")
	}
	s := &Service{
		store:    d.Store,
		channels: d.Channels,
		now:      d.Now,
		log:      d.Logger,
		waitMax:  d.ConsistentWithTimeout,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.waitMax <= 0 {
		s.waitMax = 5 * time.Second
	}
	ix, err := index.Open(d.IndexDir, newMapping())
	if err != nil {
		return nil, fmt.Errorf("delivery: %w", err)
	}
	s.index = ix
	s.consumer = &feed.Consumer{
		Store:       d.Store,
		Index:       ix,
		Collections: []string{item.Collection},
		Project:     s.project,
		BatchSize:   d.FeedBatchSize,
		Logger:      s.log,
		Mirror:      s.mirror,
	}
	// The lists' view starts as the index is and follows it batch by
	// batch (Mirror).
	s.view = newListView()
	if err := s.view.load(context.Background(), d.Store, s.indexDoc); err != nil {
		_ = ix.Close()
		return nil, fmt.Errorf("delivery: load the list view: %w", err)
	}
	detailBytes := d.DetailCacheBytes
	switch {
	case detailBytes == 0:
		detailBytes = 256 << 20
	case detailBytes < 0:
		detailBytes = 0
	}
	detailEntries := 0
	if detailBytes > 0 {
		detailEntries = 1 << 20
	}
	s.lists = newCache(4096, 64<<20, func(b []byte) int { return len(b) + 64 })
	s.totals = newCache(4096, 1<<20, func(uint64) int { return 8 })
	s.reverse = newCache(16384, 16<<20, func(rl reverseLinks) int {
		return 64 + 128*(len(rl.AmendedBy)+len(rl.RepealedBy)+len(rl.InterpretedBy))
	})
	s.details = newCache(detailEntries, detailBytes, func(a *Answer) int { return len(a.Body) + 256 })
	s.metrics = newMetrics()
	return s, nil
}

// mirror applies a batch of the items index to the list view. A deletion
// does not pass through project, so the caches' generation moves here
// too, after the view has the batch: a list stamped before reads the
// previous view and is never fresh again.
func (s *Service) mirror(b index.Batch) {
	if s.view.mirror(b) {
		s.fresh.gen.Add(1)
	}
}

// Run keeps the index up to date from the feed until ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.consumer.Run(ctx) }

// CatchUp applies the feed up to the store's current last sequence (for
// start-up before serving lists, and tests).
func (s *Service) CatchUp(ctx context.Context) error { return s.consumer.CatchUp(ctx) }

// Notify wakes the consumer at once; a writer in the same process calls it
// after writing portal_items.
func (s *Service) Notify() { s.consumer.Notify() }

// Reconcile compares the index with the store and repairs differences.
func (s *Service) Reconcile(ctx context.Context) (feed.Report, error) {
	return s.consumer.Reconcile(ctx)
}

// Checkpoint is the feed sequence the items index has applied.
func (s *Service) Checkpoint() int64 { return s.index.Checkpoint() }

// Index is the items index, for read-your-writes waits (WaitFor): it
// holds no item field (newMapping), only the consumer's checkpoint.
func (s *Service) Index() *index.Index { return s.index }

// Close closes the index. Stop Run first.
func (s *Service) Close() error { return s.index.Close() }

// Collectors are the service's Prometheus metrics: the feed consumer's
// (lag, checkpoint, …) and the delivery caches'.
func (s *Service) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.consumer, s.metrics.cache}
}

type metrics struct {
	cache *prometheus.CounterVec
	// The counters of each cache and result, resolved once: the hot path
	// must not look labels up.
	listHit, listMiss, detailHit, detailMiss, reverseHit, reverseMiss prometheus.Counter
}

func newMetrics() metrics {
	cv := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhengwu_portal_delivery_cache_total",
		Help: "Delivery reads answered from a memory cache (hit) or from the store and index (miss), by cache (list, detail, reverse_links).",
	}, []string{"cache", "result"})
	return metrics{cache: cv,
		listHit: cv.WithLabelValues("list", "hit"), listMiss: cv.WithLabelValues("list", "miss"),
		detailHit: cv.WithLabelValues("detail", "hit"), detailMiss: cv.WithLabelValues("detail", "miss"),
		reverseHit: cv.WithLabelValues("reverse_links", "hit"), reverseMiss: cv.WithLabelValues("reverse_links", "miss"),
	}
}
