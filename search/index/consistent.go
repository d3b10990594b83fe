package index

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ConsistentWithParam is the query parameter by which a client asks to
// read its own write: the feed sequence a write returned.
const ConsistentWithParam = "consistentWith"

// Waiter is what ConsistentWith waits on; *Index is one.
type Waiter interface {
	// Checkpoint is the last feed sequence applied.
	Checkpoint() int64
	WaitFor(ctx context.Context, seq int64, timeout time.Duration) error
}

// LastSeq returns the highest feed sequence the store has committed:
// store.Store's LastSeq.
type LastSeq func(context.Context) (int64, error)

// ConsistentWith implements ?consistentWith=<seq> for a list handler: it
// parses raw (the parameter's value, "" when absent) and waits until w has
// applied that sequence, at most timeout.
//
// A malformed value is a *ParamError with Param "consistentWith" (answer
// 400), and so is a sequence beyond last (the store's last committed
// one): no write has returned it, so waiting would only end in a timeout.
// That check reads the store only when the index has not reached seq.
// last may be nil (no check). A timeout wraps ErrWaitTimeout: the index
// is lagging behind the store, answer 503 and let the client retry rather
// than serve a list without the client's write.
//
// On MongoDB, last (the feed's settled end) can trail a write that has
// returned while an earlier sequence is still being written, for at most
// the store's settle window; such a client gets a 400 where it would
// have waited. Pass the store's highest allocated sequence instead if
// that matters.
func ConsistentWith(ctx context.Context, w Waiter, raw string, timeout time.Duration, last LastSeq) error {
	if raw == "" {
		return nil
	}
	seq, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || seq < 0 {
		// Cloned: raw may be a Fiber-owned buffer that is reused after the
		// handler returns, and the error may outlive it in a log.
		return &ParamError{Param: ConsistentWithParam, Value: strings.Clone(raw),
			Reason: "must be a feed sequence: a non-negative integer returned by a write"}
	}
	if w.Checkpoint() >= seq {
		return nil
	}
	if last != nil {
		// An error of the store is not the client's: wait as before.
		if l, err := last(ctx); err == nil && seq > l {
			return &ParamError{Param: ConsistentWithParam, Value: strings.Clone(raw),
				Reason: fmt.Sprintf("no write has returned this sequence: the store is at %d", l)}
		}
	}
	return w.WaitFor(ctx, seq, timeout)
}
