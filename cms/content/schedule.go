package content

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/store"
)

// System is the audit actor of scheduled changes.
const System = "system"

// RunDue applies every scheduled publication and withdrawal that is due by
// the clock, and returns how many it applied (a publication also applies
// the file's repeals/amends links, see legal.go). It then sweeps a bounded
// batch of expired preview tokens (SweepPreviews; not counted). The lead
// calls it from a ticker; tests call it after moving their clock. Due times are found
// through the management index (brought up to date first), never by a
// scan; each change re-checks the stored document and is one
// compare-and-set, so two nodes running RunDue at once apply it once.
func (s *Service) RunDue(ctx context.Context) (int, error) {
	if err := s.consumer.CatchUp(ctx); err != nil {
		return 0, err
	}
	now := s.now().UTC()
	done := 0
	for _, field := range []string{"duePublishAt", "dueWithdrawAt"} {
		after := ""
		for {
			res, err := s.ix.List(ctx, index.Query{
				Filters: []index.Filter{index.Range(field, nil, now.Add(time.Nanosecond))},
				Sort:    []string{field}, Size: 100, After: after})
			if err != nil {
				return done, err
			}
			for _, h := range res.Hits {
				ok, err := s.applyDue(ctx, h.ID)
				if err != nil {
					s.log.Error("scheduled change failed", "document", h.ID, "err", err)
					continue
				}
				if ok {
					done++
				}
			}
			if res.Next == "" {
				break
			}
			after = res.Next
		}
	}
	// Housekeeping: expired preview tokens (bounded; not counted in done).
	if n, err := s.SweepPreviews(ctx); err != nil {
		s.log.Error("preview sweep failed", "err", err)
	} else if n > 0 {
		s.log.Debug("expired preview tokens deleted", "count", n)
	}
	return done, nil
}

// applyDue applies what is due on one document, retrying on a concurrent
// change.
func (s *Service) applyDue(ctx context.Context, id string) (bool, error) {
	applied := false
	err := store.Retry(ctx, func(ctx context.Context) error {
		r, version, err := store.Load[record](ctx, s.store, DocumentsCollection, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		ch := change{item: true, details: map[string]any{"scheduled": true}}
		switch {
		case r.PublishAt != nil && !r.PublishAt.After(now) && r.Draft != nil && r.Draft.State == EditionScheduled && r.Live != StateGone:
			ch.action = "portal.document.publish"
			ch.editions = publishDraft(&r, now, System)
			ch.propagate = true
		case r.WithdrawAt != nil && !r.WithdrawAt.After(now) && r.Live == StatePublished:
			ch.action = "portal.document.withdraw"
			ch.details["reason"] = r.WithdrawReason
			withdrawNow(&r, now, r.WithdrawReason)
		default:
			return nil
		}
		if _, err := s.commit(ctx, System, r, version, now, ch); err != nil {
			return err
		}
		applied = true
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return false, nil // still changing: the next run finds it due again
	}
	return applied, err
}

// RepairItems rewrites every portal item that differs from what its
// document says readers should see, and returns how many it rewrote. A
// workflow step writes the document and its item in one PutAll; where
// that is ordered writes (mongostore without transactions), or for items
// written before it was, a crash can leave the item behind, and this pass
// (run at start-up, or periodically) catches it up. It scans the
// documents collection, so it is for maintenance, not for request paths.
func (s *Service) RepairItems(ctx context.Context) (int, error) {
	fixed := 0
	for d, err := range store.ScanAll(ctx, s.store, DocumentsCollection, "") {
		if err != nil {
			return fixed, err
		}
		var r record
		if err := d.Decode(&r); err != nil {
			return fixed, err
		}
		want, ok := s.itemOf(r, r.Pub)
		if !ok || r.Pub == nil {
			continue
		}
		have, _, err := store.Load[item.Item](ctx, s.store, item.Collection, r.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fixed, err
		}
		if err == nil && sameItem(have, want) {
			continue
		}
		if _, err := store.Save(ctx, s.store, item.Collection, r.ID, want, store.AnyVersion); err != nil {
			return fixed, err
		}
		fixed++
	}
	return fixed, nil
}

func sameItem(a, b item.Item) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
