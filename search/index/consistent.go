package index

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// ConsistentWithParam is the query parameter by which a client asks to
// read its own write: the feed sequence a write returned.
const ConsistentWithParam = "consistentWith"

// Waiter is what ConsistentWith waits on; *Index is one.
type Waiter interface {
	WaitFor(ctx context.Context, seq int64, timeout time.Duration) error
}

// ConsistentWith implements ?consistentWith=<seq> for a list handler: it
// parses raw (the parameter's value, "" when absent) and waits until w has
// applied that sequence, at most timeout. A malformed value is a
// *ParamError with Param "consistentWith" (answer 400); a timeout wraps
// ErrWaitTimeout (the index is lagging: answer 503 and let the client
// retry, rather than serve a list without the client's write).
func ConsistentWith(ctx context.Context, w Waiter, raw string, timeout time.Duration) error {
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
	return w.WaitFor(ctx, seq, timeout)
}
