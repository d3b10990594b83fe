package store

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// MaxAttempts bounds how often Retry runs a read-decide-write function.
// Under contention for one document each round lets one writer through,
// and the jittered waits spread the others apart: 64 concurrent
// registrations on one number sequence (storetest) all land well within
// it. A writer that still conflicts after this many tries is told so
// (ErrConflict) instead of spinning.
const MaxAttempts = 50

// Waits between attempts: jittered by ±50 % around an interval that starts
// at retryInitial and grows by half each time up to retryMax. Small against
// a human's patience, large against a store round trip, so that writers
// racing for one document fall out of step.
const (
	retryInitial = time.Millisecond
	retryMax     = 10 * time.Millisecond
)

// Retry runs attempt, a read-decide-write (read documents, decide, write
// them with compare-and-set), until it returns anything but ErrConflict,
// at most MaxAttempts times, waiting a short jittered backoff between
// tries. It returns attempt's last error: ErrConflict (or an error
// wrapping it) when every attempt conflicted, the context's error when ctx
// ends first. attempt must read afresh on every call, so that a retry
// decides on the state that beat it.
//
// Update, UpdateAll and NextNumber are built on it; use it directly for a
// read-decide-write that fits none of them.
func Retry(ctx context.Context, attempt func(ctx context.Context) error) error {
	_, err := backoff.Retry(ctx, func() (struct{}, error) {
		err := attempt(ctx)
		if err != nil && !errors.Is(err, ErrConflict) {
			return struct{}{}, backoff.Permanent(err)
		}
		return struct{}{}, err
	},
		backoff.WithBackOff(&backoff.ExponentialBackOff{
			InitialInterval:     retryInitial,
			RandomizationFactor: 0.5,
			Multiplier:          1.5,
			MaxInterval:         retryMax,
		}),
		backoff.WithMaxTries(MaxAttempts),
		backoff.WithMaxElapsedTime(0), // bounded by attempts, not by time
	)
	// Permanent errors come back wrapped; callers get attempt's own error.
	var permanent *backoff.PermanentError
	if errors.As(err, &permanent) {
		return permanent.Err
	}
	return err
}
