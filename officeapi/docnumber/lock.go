package docnumber

import (
	"context"
	"sync"
)

// Registrations on one sequence conflict by nature: each reads the last
// number and writes the next, and of two that read the same number one
// loses its compare-and-set and retries (store.Retry). Left to retries,
// eight clerks registering without pause measured about one registration
// in 10,000 losing MaxAttempts times in a row to fresher arrivals and
// failing with a conflict. So registrations of one process queue per
// sequence, first come first served (a channel's waiting senders are
// served in order), and only registrations from other processes still
// meet as conflicts, which human-paced numbering keeps rare.

// Lock waits until this process holds prefix's sequence for year, or ctx
// ends, and returns the function that releases it. Register takes it
// itself; a capability that registers inside its own step (Take) takes
// it around that step:
//
//	unlock, err := numbers.Lock(ctx, "皖政办", 2026)
//	if err != nil { … }
//	defer unlock()
//	audit.UpdateAll(ctx, trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) { … numbers.Take(…) … })
//
// Holding it is not needed for correctness (no gaps, no duplicates come
// from the store's compare-and-set), only for fairness under load.
func (bk *Book) Lock(ctx context.Context, prefix string, year int) (unlock func(), err error) {
	if err := ValidatePrefix("prefix", prefix); err != nil {
		return nil, err
	}
	if err := validateYear("year", year); err != nil {
		return nil, err
	}
	sem := bk.queue(SequenceName(prefix, year))
	select {
	case sem <- struct{}{}:
		return sync.OnceFunc(func() { <-sem }), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// queue is the sequence's one-slot semaphore; there is one per
// prefix-year ever registered in this process, a handful a year.
func (bk *Book) queue(name string) chan struct{} {
	bk.mu.Lock()
	defer bk.mu.Unlock()
	if bk.queues == nil {
		bk.queues = map[string]chan struct{}{}
	}
	q, ok := bk.queues[name]
	if !ok {
		q = make(chan struct{}, 1)
		bk.queues[name] = q
	}
	return q
}
