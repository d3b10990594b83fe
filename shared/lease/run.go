package lease

import (
	"context"
	"errors"
	"time"
)

// Run contends for the lease name until ctx ends, and runs fn whenever
// this process holds it, with the lease it holds (its Token for Fence).
// fn's context is cancelled when the lease is lost: a renewal is refused
// (another holder took it), or renewals keep failing until Margin before
// the expiry. fn must return when its context ends; Run then contends
// again. When fn returns by itself, Run releases the lease and returns
// fn's error; when ctx ends, it releases the lease and returns ctx.Err().
func (m *Leases) Run(ctx context.Context, name string, fn func(ctx context.Context, l Lease) error) error {
	tick := time.NewTicker(m.poll())
	defer tick.Stop()
	m.standing(name)
	for {
		l, err := m.Acquire(ctx, name)
		if err == nil {
			m.acquired(name, l)
			done, ferr := m.hold(ctx, l, tick.C, fn)
			m.left(name)
			if done {
				return ferr
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// hold runs fn under l, renewing on every tick. done reports that Run
// should return (fn returned by itself, or ctx ended) with err.
func (m *Leases) hold(ctx context.Context, l Lease, tick <-chan time.Time, fn func(context.Context, Lease) error) (done bool, err error) {
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	result := make(chan error, 1)
	go func(first Lease) { result <- fn(fctx, first) }(l) // l changes with renewals
	for {
		select {
		case err := <-result:
			// Released with a fresh context: ctx may be why fn ended.
			rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_ = m.Release(rctx, l)
			rcancel()
			if ctx.Err() != nil {
				return true, ctx.Err()
			}
			if fctx.Err() != nil { // lost: fn ended because we cancelled it
				return false, nil
			}
			return true, err
		case <-tick:
			if fctx.Err() != nil {
				continue // lost already; waiting for fn to return
			}
			next, err := m.Renew(ctx, l)
			switch {
			case err == nil:
				l = next
			case errors.Is(err, ErrLost):
				m.logger().Warn("lease lost: another holder took it; stopping", "lease", l.Name, "holder", m.Holder, "token", l.Token)
				cancel()
			case !m.now().Before(l.Expires.Add(-m.margin())):
				// Cannot renew in time: stop before a contender may start.
				m.logger().Warn("lease not renewed in time; stopping", "lease", l.Name, "holder", m.Holder, "token", l.Token, "err", err)
				cancel()
			}
		}
	}
}
