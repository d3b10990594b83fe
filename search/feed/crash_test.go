package feed_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/testkit"
)

// crashVar, when set to a directory, turns the test binary into the crash
// test's consumer process (testkit.ChildMain): it runs a Consumer against
// the store and index in that directory until it is killed.
const crashVar = "ZHENGWU_FEED_CRASH_CONSUMER"

func TestMain(m *testing.M) { testkit.Main(m, crashVar, testkit.OnStore(runCrashConsumer)) }

// runCrashConsumer prints "start N" with the checkpoint it found, then
// "cp N" whenever the checkpoint it has applied moves, and "durable N"
// whenever the checkpoint on disk (index.Durable) moves: every printed
// durable checkpoint must survive a SIGKILL; an applied one may not (the
// index writes to disk in the background) and the feed replays it.
func runCrashConsumer(s *sqlitestore.Store, dir string) error {
	ix, err := index.Open(filepath.Join(dir, "index"), articleMapping())
	if err != nil {
		return err
	}
	start := ix.Checkpoint()
	testkit.Report("start", start)
	c := &feed.Consumer{Store: s, Index: ix, Collections: []string{articles}, Project: projectArticle,
		BatchSize: 200, Interval: 5 * time.Millisecond}
	testkit.ReportChanges("cp", start, func() (int64, bool) { return ix.Checkpoint(), true })
	testkit.ReportChanges("durable", ix.Durable(), func() (int64, bool) { return ix.Durable(), true })
	return c.Run(context.Background()) // until SIGKILL
}

// TestConsumerSurvivesSIGKILL: 8 writers create, update, unpublish and
// delete ~2,000 articles while the consumer runs in a child process that
// is killed with SIGKILL at random points and restarted. Once the writers
// stop and the consumer catches up, the index must hold exactly the final
// state of every article: 0 lost, 0 extra, every version and field equal.
func TestConsumerSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: runs for several seconds")
	}
	const (
		entities = 2000
		writers  = 8
		kills    = 8
		// Writers stop after maxOps, so that without -race (where they
		// outrun the consumer) the final catch-up stays short; the
		// remaining kills then hit the consumer while it catches up.
		maxOps = 8000
	)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	dir := t.TempDir()
	s, err := testkit.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	ctx, stopWriters := context.WithCancel(context.Background())
	var ops, conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(w+1)))
			for ctx.Err() == nil && ops.Load() < maxOps {
				if err := writeOnce(s, r, entities); errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
					conflicts.Add(1)
				} else if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				ops.Add(1)
			}
		})
	}

	// Kill the consumer at random points while the writers write.
	var lastDurable, applied int64
	for i := range kills {
		// The consumer runs long enough to apply a few batches.
		pause := time.Duration(200+rng.IntN(1800)) * time.Millisecond
		child := testkit.Crash(t, crashVar, dir, fmt.Sprintf("consumer %d", i), pause)
		start, last, durable := parseProgress(child.Stdout())
		t.Logf("consumer %d: started at seq %d, applied %d, %d on disk; killed (store at %d ops)", i, start, last, durable, ops.Load())
		if start < lastDurable {
			t.Errorf("consumer %d started at seq %d, but the previous one had %d on disk before SIGKILL", i, start, lastDurable)
		}
		lastDurable = max(lastDurable, durable)
		applied = max(applied, last)
	}
	stopWriters()
	wg.Wait()
	if applied == 0 {
		t.Fatal("the consumer processes applied nothing before being killed")
	}

	// Catch up in this process and compare with the store.
	ix := openIndex(t, filepath.Join(dir, "index"))
	if cp := ix.Checkpoint(); cp < lastDurable {
		t.Errorf("index reopened at seq %d, below the %d a consumer had on disk", cp, lastDurable)
	}
	c := &feed.Consumer{Store: s, Index: ix, Collections: []string{articles}, Project: projectArticle}
	if err := c.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	last, _ := s.LastSeq(context.Background())
	t.Logf("%d writes (%d lost a race and were refused), %d feed entries, %d consumer kills", ops.Load(), conflicts.Load(), last, kills)
	assertMirrors(t, s, ix)
	if rep, err := c.Reconcile(context.Background()); err != nil || rep.Repaired() != 0 {
		t.Errorf("reconcile after catch-up = %+v, %v; want nothing to repair", rep, err)
	}
}

// writeOnce makes one random change to one article, with compare-and-set
// on the version it read, like a real handler.
func writeOnce(s store.Store, r *rand.Rand, entities int) error {
	ctx := context.Background()
	id := fmt.Sprintf("art-%04d", r.IntN(entities))
	cur, err := s.Get(ctx, articles, id)
	if errors.Is(err, store.ErrNotFound) {
		return putArticle(s, id, 0, r)
	}
	if err != nil {
		return err
	}
	switch p := r.IntN(100); {
	case p < 15:
		_, err = s.Delete(ctx, articles, id, cur.Version)
		return err
	default:
		return putArticle(s, id, cur.Version, r)
	}
}

func putArticle(s store.Store, id string, expect int64, r *rand.Rand) error {
	a := article{
		Title:   fmt.Sprintf("%s 第%d稿", id, expect+1),
		Channel: []string{"要闻", "通知", "政策", "人事"}[r.IntN(4)],
		N:       r.IntN(1_000_000),
	}
	if r.IntN(10) == 0 {
		a.Status = "draft" // leaves the index
	}
	data, _ := json.Marshal(a)
	_, err := s.Put(context.Background(), articles, id, data, expect)
	return err
}

// parseProgress reads what a consumer reported: the checkpoint it
// started from, the last it applied and the last on disk.
func parseProgress(out string) (start, last, durable int64) {
	p := testkit.Progress(out)
	start, last, durable = p["start"], p["start"], p["start"]
	if cp, ok := p["cp"]; ok {
		last = cp
	}
	if d, ok := p["durable"]; ok {
		durable = d
	}
	return start, last, durable
}
