package notify

import (
	"context"
	"errors"
	"time"

	"zhengwu/search/index"
	"zhengwu/shared/audit"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// LeaseName is the retention sweep's lease: one process prunes.
const LeaseName = "notify-retention"

// sweepEvery is how often the sweep runs: retention is counted in days.
const sweepEvery = time.Hour

// Prune deletes the notifications read, or deleted by their recipient,
// before now minus the retention, and returns how many. Unread ones stay:
// a notice nobody has seen is not yet done with. A Send of a pruned Key
// would store it again; the writers' Keys name a change of days ago,
// which is not retried after 90 days.
func (s *Service) Prune(ctx context.Context) (int, error) {
	before := s.notes.Now().Add(-s.retention)
	pruned := 0
	for {
		res, err := s.notes.Index().List(ctx, index.Query{Size: 500, Sort: []string{"createdAt"},
			Filters: []index.Filter{index.Term("read", "true"), index.Range("readAt", nil, before)}})
		if err != nil {
			return pruned, err
		}
		if len(res.Hits) == 0 {
			return pruned, nil
		}
		for _, h := range res.Hits {
			if _, err := s.store.Delete(ctx, Collection, h.ID, store.AnyVersion); err != nil && !errors.Is(err, store.ErrNotFound) {
				return pruned, err
			}
			pruned++
		}
		if _, err := s.trail.Record(ctx, audit.Event{Actor: "system", Action: "notify.prune", Target: Collection,
			Outcome: audit.Success, Details: map[string]any{"deleted": len(res.Hits), "readBefore": before}}); err != nil {
			return pruned, err
		}
		s.notes.Notify()
		if err := s.notes.CatchUp(ctx); err != nil { // the next page lists what is left
			return pruned, err
		}
	}
}

// Run prunes now and every hour, under the lease (one process of several
// runs it), until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	if s.leases == nil {
		return errors.New("notify: Run needs Leases")
	}
	return s.leases.Run(ctx, LeaseName, func(ctx context.Context, _ lease.Lease) error {
		tick := time.NewTicker(sweepEvery)
		defer tick.Stop()
		for {
			if n, err := s.Prune(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("notification retention sweep failed", "err", err)
			} else if n > 0 {
				s.log.Info("notification retention sweep", "deleted", n)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	})
}
