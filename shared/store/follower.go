package store

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"zhengwu/shared/memlimit"
	"zhengwu/shared/tracing"
)

// Defaults of a Follower's tuning fields.
const (
	DefaultFollowBatch      = 500
	DefaultFollowInterval   = 250 * time.Millisecond
	DefaultFollowMaxBackoff = 5 * time.Second
)

// BulkBacklog is how many changes a follower applies in a row (full
// batches one after another, or a catch-up to a target this far ahead)
// before it counts as bulk work and lifts the process's memory limit
// (memlimit.Bulk) until it has caught up: a new index catching up a
// store, the backlog of a bulk import written beside a running server.
// Below it the batches are the portal's ordinary traffic.
const BulkBacklog = 5_000

// Follower follows a store's change feed for an owner that keeps its own
// position in it: a search index (checkpoint inside the index), the
// gateway (checkpoint document in the store), the token revocation list
// (in memory). It is the one loop they share: read up to BatchSize changes
// after the owner's checkpoint, hand them to Apply, go on while full
// batches come, then wait for Notify or the poll interval; after an error,
// wait longer each time, up to MaxBackoff, and count it.
//
// The owner decides what a change means and when its checkpoint is
// durable: Apply advances it, with its effects or apart from them. A
// change handed over again after a crash or an error must be harmless to
// apply twice (consumers read the entity's current state by id, so it
// is).
//
// Set the fields, then call Run (or CatchUp, Step); they must not change
// afterwards. Methods are safe for concurrent use; steps never overlap.
type Follower struct {
	Store Store // required
	// Checkpoint returns the sequence the owner has consumed up to; a
	// step reads the changes after it. Called under Lock. Required.
	Checkpoint func(ctx context.Context) (int64, error)
	// Apply consumes one batch (1 to BatchSize changes, in sequence
	// order) and advances the owner's checkpoint to the last one's Seq,
	// persisting it as the owner sees fit. After an error the checkpoint
	// must not have moved past what was applied: the changes come again.
	// Called under Lock. Required.
	Apply func(ctx context.Context, changes []Change) error
	// AfterStep, if set, runs in Run after every step that did not fail,
	// outside Lock: work the owner does on the follower's rhythm, such as
	// the gateway's due embargoes. A positive wait shortens the next idle
	// wait to it (the next embargo ends sooner than the poll); an error
	// counts as a failed step.
	AfterStep func(ctx context.Context) (wait time.Duration, err error)
	// Lock, if set, is held from reading the checkpoint to the end of
	// Apply, so that the owner's other work on the same state (a
	// reconciliation, a resync) never interleaves with a step. Default:
	// the follower's own mutex.
	Lock sync.Locker

	BatchSize  int           // changes per step; default DefaultFollowBatch
	Interval   time.Duration // idle poll when not notified; default DefaultFollowInterval
	MaxBackoff time.Duration // longest wait after errors; default DefaultFollowMaxBackoff
	BulkAfter  int           // changes in a row that are bulk work; default BulkBacklog
	Logger     *slog.Logger  // default slog.Default()
	Name       string        // names the follower in log lines

	once     sync.Once
	wake     chan struct{}
	mu       sync.Mutex
	failures atomic.Int64
}

func (f *Follower) init() {
	f.once.Do(func() {
		f.wake = make(chan struct{}, 1)
		if f.BatchSize <= 0 {
			f.BatchSize = DefaultFollowBatch
		}
		if f.Interval <= 0 {
			f.Interval = DefaultFollowInterval
		}
		if f.MaxBackoff <= 0 {
			f.MaxBackoff = DefaultFollowMaxBackoff
		}
		if f.MaxBackoff < f.Interval {
			f.MaxBackoff = f.Interval
		}
		if f.Logger == nil {
			f.Logger = slog.Default()
		}
		if f.BulkAfter <= 0 {
			f.BulkAfter = BulkBacklog
		}
		if f.Lock == nil {
			f.Lock = &f.mu
		}
	})
}

// Notify wakes a waiting Run at once: an in-process writer calls it after
// a write (store.Notifying does), so that the change is applied in
// milliseconds instead of at the next poll. It never blocks.
func (f *Follower) Notify() {
	f.init()
	select {
	case f.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Failures is the number of steps that failed in Run (for metrics).
func (f *Follower) Failures() int64 { return f.failures.Load() }

// Step applies at most one batch of changes after the owner's checkpoint
// and reports how many changes it handed to Apply (0: caught up).
func (f *Follower) Step(ctx context.Context) (int, error) {
	f.init()
	f.Lock.Lock()
	defer f.Lock.Unlock()
	from, err := f.Checkpoint(ctx)
	if err != nil {
		return 0, err
	}
	began := time.Now()
	changes, err := f.Store.Feed(ctx, from, f.BatchSize)
	if err != nil || len(changes) == 0 {
		return 0, err
	}
	// A span for a step that found work only: an idle poll (four a second
	// per follower) is not worth a trace. It starts when the feed was read.
	ctx, span := tracing.Start(ctx, "feed.step", trace.WithTimestamp(began))
	defer span.End()
	if span.IsRecording() {
		span.SetAttributes(attribute.String("zhengwu.feed.follower", f.Name),
			attribute.Int("zhengwu.feed.changes", len(changes)),
			attribute.Int64("zhengwu.feed.from", from),
			attribute.Int64("zhengwu.feed.checkpoint", changes[len(changes)-1].Seq))
	}
	if err := f.Apply(ctx, changes); err != nil {
		span.SetStatus(codes.Error, "apply failed")
		return 0, err
	}
	return len(changes), nil
}

// Run follows the feed until ctx ends. It steps while full batches come,
// then waits for Notify, the poll interval or the wait AfterStep asked
// for. A failed step is logged and counted, and the next try waits
// twice as long as the last, up to MaxBackoff.
func (f *Follower) Run(ctx context.Context) {
	f.init()
	backoff := f.Interval
	var streak int     // changes of the full batches in a row so far
	var release func() // memlimit.Bulk's, while the streak is bulk work
	defer func() {
		if release != nil {
			release()
		}
	}()
	for {
		n, err := f.Step(ctx)
		if err == nil && n == f.BatchSize {
			if streak += n; streak >= f.BulkAfter && release == nil {
				release = memlimit.Bulk()
			}
		} else if streak = 0; release != nil {
			release()
			release = nil
		}
		var soon time.Duration
		if err == nil && f.AfterStep != nil {
			soon, err = f.AfterStep(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		wait := f.Interval
		switch {
		case err != nil:
			f.failures.Add(1)
			f.Logger.Error("feed follower step failed", "follower", f.Name, "err", err)
			wait, backoff = backoff, min(backoff*2, f.MaxBackoff)
		case n == f.BatchSize:
			backoff = f.Interval
			continue // more is waiting
		default:
			backoff = f.Interval
		}
		if soon > 0 && soon < wait {
			wait = soon
		}
		if !f.sleep(ctx, wait) {
			return
		}
	}
}

// sleep waits for d, a Notify or the end of ctx (false).
func (f *Follower) sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-f.wake:
	case <-timer.C:
	}
	return true
}

// CatchUp applies the feed until the owner's checkpoint reaches the
// store's LastSeq as of the call: for start-up (serve once caught up) and
// tests. It returns the first error.
func (f *Follower) CatchUp(ctx context.Context) error {
	target, err := f.Store.LastSeq(ctx)
	if err != nil {
		return err
	}
	return f.CatchUpTo(ctx, target)
}

// CatchUpTo applies the feed until the owner's checkpoint reaches target.
// On MongoDB a sequence may be allocated but not yet committed (the
// writer is between its steps): the feed then stops short of it, and
// CatchUpTo waits a poll interval rather than spin, until
// the write lands or the settle window steps over it.
func (f *Follower) CatchUpTo(ctx context.Context, target int64) error {
	f.init()
	if pos, err := f.position(ctx); err == nil && target-pos >= int64(f.BulkAfter) {
		defer memlimit.Bulk()()
	}
	for {
		pos, err := f.position(ctx)
		if err != nil {
			return err
		}
		if pos >= target {
			return nil
		}
		n, err := f.Step(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			// Not f.sleep: a Notify is Run's to take.
			timer := time.NewTimer(f.Interval)
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
			}
		}
	}
}

func (f *Follower) position(ctx context.Context) (int64, error) {
	f.Lock.Lock()
	defer f.Lock.Unlock()
	return f.Checkpoint(ctx)
}
