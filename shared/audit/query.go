package audit

import (
	"context"
	"errors"
	"strings"
	"time"

	"zhengwu/shared/store"
)

// Filter selects entries for the auditor's view and export. Empty fields
// select everything.
type Filter struct {
	Actor   string // exact: a user id, "system", "anonymous"
	Action  string // exact, or a dotted prefix: "auth" selects auth.login and auth.lockout
	Target  string // exact
	Outcome string // Success or Failure
	From    time.Time
	To      time.Time // exclusive
}

// Match reports whether e passes f.
func (f Filter) Match(e Entry) bool {
	switch {
	case f.Actor != "" && e.Actor != f.Actor:
		return false
	case f.Action != "" && e.Action != f.Action && !strings.HasPrefix(e.Action, f.Action+"."):
		return false
	case f.Target != "" && e.Target != f.Target:
		return false
	case f.Outcome != "" && e.Outcome != f.Outcome:
		return false
	case !f.From.IsZero() && e.At.Before(f.From):
		return false
	case !f.To.IsZero() && !e.At.Before(f.To):
		return false
	}
	return true
}

// clockSkew is how far out of order two processes' entries may be in
// time: the time bounds of a query search this much beyond themselves.
const clockSkew = time.Minute

// Query returns up to limit entries after seq afterSeq that pass f,
// oldest first, reading at most maxScan entries. next is the sequence to
// pass as afterSeq to go on (the last entry read) while the trail may hold
// more; 0 when the query has reached its end.
//
// A From bound does not scan from the start: entries are appended in time
// order, so a binary search over the sequence (a point read per step)
// finds where From begins; a To bound ends the scan.
func (t *Trail) Query(ctx context.Context, afterSeq int64, f Filter, limit, maxScan int) (items []Entry, next int64, err error) {
	items = []Entry{}
	if !f.From.IsZero() {
		if afterSeq, err = t.seekTime(ctx, afterSeq, f.From.Add(-clockSkew)); err != nil {
			return nil, 0, err
		}
	}
	scanned := 0
	for scanned < maxScan {
		page := min(1000, maxScan-scanned)
		entries, err := t.List(ctx, afterSeq, page)
		if err != nil {
			return nil, 0, err
		}
		if len(entries) == 0 {
			return items, 0, nil
		}
		for _, e := range entries {
			scanned++
			afterSeq = e.Seq
			if !f.To.IsZero() && e.At.After(f.To.Add(clockSkew)) {
				return items, 0, nil
			}
			if f.Match(e) {
				items = append(items, e)
				if len(items) == limit {
					return items, afterSeq, nil
				}
			}
		}
		if len(entries) < page {
			return items, 0, nil
		}
	}
	return items, afterSeq, nil
}

// seekTime returns the sequence just before the first entry at or after
// at, or afterSeq when that is later.
func (t *Trail) seekTime(ctx context.Context, afterSeq int64, at time.Time) (int64, error) {
	head, err := t.head(ctx)
	if err != nil {
		return 0, err
	}
	lo, hi := afterSeq+1, head // find the first seq in [lo, hi] with At >= at
	for lo <= hi {
		mid := lo + (hi-lo)/2
		doc, err := t.store.Get(ctx, Collection, entryID(mid))
		if errors.Is(err, store.ErrNotFound) {
			// A deleted entry (Verify reports it): search on the left of it.
			hi = mid - 1
			continue
		}
		if err != nil {
			return 0, err
		}
		var e Entry
		if err := doc.Decode(&e); err != nil {
			return 0, err
		}
		if e.At.Before(at) {
			lo = mid + 1
		} else {
			hi = mid - 1
		}
	}
	return max(afterSeq, lo-1), nil
}

// head is the sequence of the last entry this process knows of.
func (t *Trail) head(ctx context.Context) (int64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.loaded {
		if err := t.loadHead(ctx); err != nil {
			return 0, err
		}
	}
	return t.headSeq, nil
}
