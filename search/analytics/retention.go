package analytics

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// LeaseName is the retention sweep's lease: one process of several prunes.
const LeaseName = "search-log-retention"

// DefaultRetention is how long the log keeps a search (180 days).
const DefaultRetention = 180 * 24 * time.Hour

// sweepEvery is how often the sweep runs: retention is counted in days.
const sweepEvery = time.Hour

// Prune deletes the entries and clicks of searches made before before,
// oldest first (their ids sort by time), and returns how many.
func Prune(ctx context.Context, s store.Store, before time.Time) (int, error) {
	end := timeKey(before)
	pruned := 0
	for _, c := range []string{ClickCollection, LogCollection} {
		for {
			docs, err := s.Scan(ctx, c, "", scanPage)
			if err != nil {
				return pruned, err
			}
			n := 0
			for _, d := range docs {
				if d.ID >= end {
					break
				}
				if _, err := s.Delete(ctx, c, d.ID, store.AnyVersion); err != nil && !errors.Is(err, store.ErrNotFound) {
					return pruned, err
				}
				n++
			}
			pruned += n
			if n < len(docs) || len(docs) < scanPage {
				break
			}
		}
	}
	return pruned, nil
}

// Sweeper prunes the log every hour under a lease.
type Sweeper struct {
	Store     store.Store
	Leases    *lease.Leases
	Retention time.Duration // 0: DefaultRetention
	Now       func() time.Time
	Log       *slog.Logger
}

// Run prunes now and every hour, while this process holds the lease,
// until ctx ends.
func (w Sweeper) Run(ctx context.Context) error {
	if w.Leases == nil {
		return errors.New("analytics: the sweep needs Leases")
	}
	if w.Retention <= 0 {
		w.Retention = DefaultRetention
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	return w.Leases.Run(ctx, LeaseName, func(ctx context.Context, _ lease.Lease) error {
		tick := time.NewTicker(sweepEvery)
		defer tick.Stop()
		for {
			if n, err := Prune(ctx, w.Store, w.Now().Add(-w.Retention)); err != nil && ctx.Err() == nil {
				w.Log.Warn("search log retention sweep failed", "err", err)
			} else if n > 0 {
				w.Log.Info("search log retention sweep", "deleted", n)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	})
}
