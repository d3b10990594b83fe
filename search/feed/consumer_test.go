package feed_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

func TestConsumerProjectsCurrentState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newFeed(t)
	c.BatchSize = 3 // several steps

	for i, id := range []string{"a", "b", "c", "d", "e"} {
		put(t, s, articles, id, article{Title: "标题" + id, Channel: "news", N: i})
	}
	put(t, s, "users", "u1", article{Title: "not an article"})
	put(t, s, articles, "draft", article{Title: "draft", Status: "draft"})
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	assertMirrors(t, s, c.Index)

	// Updates, deletes, a publish and an unpublish.
	put(t, s, articles, "a", article{Title: "标题a 修订", Channel: "policy", N: 10})
	put(t, s, articles, "a", article{Title: "标题a 再修订", Channel: "policy", N: 11})
	if _, err := s.Delete(ctx, articles, "b", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	put(t, s, articles, "draft", article{Title: "published now"})
	put(t, s, articles, "c", article{Title: "back to draft", Status: "draft"})
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	assertMirrors(t, s, c.Index)
	last, _ := s.LastSeq(ctx)
	if cp := c.Index.Checkpoint(); cp != last {
		t.Errorf("checkpoint = %d, store last seq = %d", cp, last)
	}
	if n, _ := c.Index.Count(ctx, index.Term("channel", "policy")); n != 1 {
		t.Errorf("policy count = %d, want 1", n)
	}
	// Caught up: a step consumes nothing.
	if n, err := c.Step(ctx); n != 0 || err != nil {
		t.Errorf("step when caught up = %d, %v", n, err)
	}
}

// replayingStore delivers every feed page again from a few entries back,
// as a consumer restarting from an older checkpoint would see it.
type replayingStore struct {
	store.Store
	back int64
}

func (r replayingStore) Feed(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	return r.Store.Feed(ctx, max(0, after-r.back), limit)
}

func TestConsumerIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	c := newConsumer(t, replayingStore{Store: s, back: 4})
	c.BatchSize = 5
	for i := range 30 {
		id := string(rune('a' + i%7))
		if i%5 == 4 {
			_, _ = s.Delete(ctx, articles, id, store.AnyVersion)
			continue
		}
		put(t, s, articles, id, article{Title: id, N: i})
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	assertMirrors(t, s, c.Index)
}

func TestRunWakesOnNotify(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	s, c := newFeed(t)
	c.Interval = time.Hour // only Notify can wake it in time
	done := make(chan error)
	go func() { done <- c.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	for i := range 5 {
		d := put(t, s, articles, "a", article{Title: "x", N: i})
		c.Notify()
		start := time.Now()
		if err := index.ConsistentWith(ctx, c.Index, itoa(d.Seq), 5*time.Second, c.Store.LastSeq); err != nil {
			t.Fatalf("consistentWith=%d: %v", d.Seq, err)
		}
		res, err := c.Index.List(ctx, index.Query{Fields: []string{"n"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].Fields["n"] != float64(i) {
			t.Fatalf("after consistentWith the list shows %+v, want n=%d", res.Hits, i)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("read-your-writes took %s", d)
		}
	}
}

func TestRunPollsWithoutNotify(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, c := newFeed(t)
	c.Interval = 10 * time.Millisecond
	go func() { _ = c.Run(ctx) }()
	// A write from another process: nobody calls Notify.
	d := put(t, s, articles, "a", article{Title: "x"})
	if err := c.Index.WaitFor(ctx, d.Seq, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete(ctx, articles, "a", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	seq, _ := s.LastSeq(ctx)
	if err := c.Index.WaitFor(ctx, seq, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Index.Count(ctx); n != 0 {
		t.Errorf("deleted article still indexed (count %d)", n)
	}
}

// failingStore fails its first reads, to see Run retry.
type failingStore struct {
	store.Store
	fails *int
}

func (f failingStore) Feed(ctx context.Context, after int64, limit int) ([]store.Change, error) {
	if *f.fails > 0 {
		*f.fails--
		return nil, errors.New("database is locked")
	}
	return f.Store.Feed(ctx, after, limit)
}

func TestRunRetriesAfterErrors(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := storetest.NewSQLite(t)
	fails := 2
	c := newConsumer(t, failingStore{Store: s, fails: &fails})
	c.Interval = 5 * time.Millisecond
	d := put(t, s, articles, "a", article{Title: "x"})
	done := make(chan struct{})
	go func() { _ = c.Run(ctx); close(done) }()
	if err := c.Index.WaitFor(ctx, d.Seq, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	if got := metricValue(t, c, "zhengwu_search_feed_errors_total"); got != 2 {
		t.Errorf("errors_total = %v, want 2", got)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newFeed(t)
	c.BatchSize = 2
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		put(t, s, articles, id, article{Title: id})
	}
	if _, err := c.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if lag := metricValue(t, c, "zhengwu_search_feed_lag"); lag != 3 {
		t.Errorf("lag = %v, want 3", lag)
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{
		"zhengwu_search_feed_lag":           0,
		"zhengwu_search_feed_checkpoint":    5,
		"zhengwu_search_feed_applied_total": 5,
	} {
		if got := metricValue(t, c, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	// Consumers of two indexes register side by side.
	reg := prometheus.NewPedanticRegistry()
	other := &feed.Consumer{Store: s, Index: openIndex(t, filepath.Join(t.TempDir(), "pages")),
		Collections: []string{"pages"}, Project: projectArticle}
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(other); err != nil {
		t.Errorf("second consumer: %v", err)
	}
}

// metricValue registers c in a fresh registry and reads one of its metrics.
func metricValue(t testing.TB, c *feed.Consumer, name string) float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		m := f.GetMetric()[0]
		if got := m.GetLabel()[0]; got.GetName() != "index" || got.GetValue() != c.Index.Name() {
			t.Errorf("%s label = %v", name, got)
		}
		return value(m)
	}
	t.Fatalf("metric %s not exported", name)
	return 0
}

func value(m *dto.Metric) float64 {
	if m.Gauge != nil {
		return m.Gauge.GetValue()
	}
	return m.Counter.GetValue()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestIndexAheadOfStoreIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newConsumer(t, storetest.NewSQLite(t)) // an empty store
	if err := c.Index.Apply(index.Batch{Checkpoint: 50}); err != nil {
		t.Fatal(err)
	}
	if err := c.CatchUp(ctx); !errors.Is(err, feed.ErrIndexAhead) {
		t.Errorf("catch-up: err = %v, want ErrIndexAhead", err)
	}
	if err := c.Run(ctx); !errors.Is(err, feed.ErrIndexAhead) {
		t.Errorf("run: err = %v, want ErrIndexAhead", err)
	}
}
