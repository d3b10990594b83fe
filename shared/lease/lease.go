package lease

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"zhengwu/shared/store"
)

// Collection holds one document per lease name.
const Collection = "leases"

// Errors of Acquire, Renew and Release; compare with errors.Is.
var (
	// ErrHeld: another holder's lease has not expired.
	ErrHeld = errors.New("lease: held by another")
	// ErrLost: the lease expired or was taken by another since it was
	// acquired; the caller must stop acting as holder.
	ErrLost = errors.New("lease: lost")
)

// Record is the stored lease.
type Record struct {
	Name   string `json:"name"`
	Holder string `json:"holder"`
	// Token increases by one on every acquisition, by anyone: the fencing
	// token (see the package doc). Renewals keep it.
	Token      int64     `json:"token"`
	Expires    time.Time `json:"expires"`
	AcquiredAt time.Time `json:"acquiredAt"`
	// Released: the holder gave it up (Release), rather than letting it
	// run out. The next acquisition by another is a handover, not a
	// takeover from a holder that died.
	Released bool `json:"released,omitempty"`
}

// Lease is a lease as its holder last wrote it, with the stored version
// its next renewal expects.
type Lease struct {
	Record
	version int64
	// before is the record this acquisition replaced (zero after a
	// renewal): whom it took the lease from, and whether that one had
	// released it.
	before Record
}

// TookOver reports whether this acquisition took the lease from another
// holder whose lease ran out without a release: a failover.
func (l Lease) TookOver() bool {
	return l.before.Holder != "" && l.before.Holder != l.Holder && !l.before.Released
}

// Leases takes leases in a store for one holder (a process). Set the
// fields, then use it; they must not change afterwards.
type Leases struct {
	Store  store.Store // required
	Holder string      // this process's name, unique among contenders; required
	// TTL is how long an acquisition or renewal holds; default 15 s.
	TTL time.Duration
	// Margin: Run stops fn this long before the expiry when it has not
	// renewed, so that fn has ended before a contender may start; default
	// TTL/5.
	Margin time.Duration
	// Poll is how often Run tries to acquire or renew (wall time); default
	// TTL/3.
	Poll time.Duration
	// Now is the clock expiry is decided on; default time.Now.
	Now func() time.Time
	// Metrics, shared by the process's Leases, counts what Run holds and
	// takes over; nil counts nothing.
	Metrics *Metrics
	// Logger logs Run's acquisitions and losses; default slog.Default().
	Logger *slog.Logger
}

func (m *Leases) ttl() time.Duration {
	if m.TTL > 0 {
		return m.TTL
	}
	return 15 * time.Second
}

func (m *Leases) margin() time.Duration {
	if m.Margin > 0 {
		return m.Margin
	}
	return m.ttl() / 5
}

func (m *Leases) poll() time.Duration {
	if m.Poll > 0 {
		return m.Poll
	}
	return m.ttl() / 3
}

func (m *Leases) logger() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.Default()
}

func (m *Leases) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Acquire takes the lease name if it is free (never taken, released, or
// expired), with a token one above the last: ErrHeld if another holder's
// lease runs. A holder asking again for a lease it holds gets a new
// acquisition (a new token), as after a restart.
func (m *Leases) Acquire(ctx context.Context, name string) (Lease, error) {
	cur, version, err := m.read(ctx, name)
	if err != nil {
		return Lease{}, err
	}
	now := m.now()
	if version > 0 && cur.Holder != m.Holder && now.Before(cur.Expires) {
		return Lease{}, ErrHeld
	}
	next := Record{Name: name, Holder: m.Holder, Token: cur.Token + 1, Expires: now.Add(m.ttl()), AcquiredAt: now}
	l, err := m.write(ctx, next, version)
	if errors.Is(err, store.ErrConflict) {
		return Lease{}, ErrHeld // another contender wrote first
	}
	l.before = cur
	return l, err
}

// Renew extends a held lease by TTL from now, keeping its token: ErrLost
// if it has expired or anyone has written it since l.
func (m *Leases) Renew(ctx context.Context, l Lease) (Lease, error) {
	if !m.now().Before(l.Expires) {
		return Lease{}, ErrLost
	}
	next := l.Record
	next.Expires = m.now().Add(m.ttl())
	out, err := m.write(ctx, next, l.version)
	if errors.Is(err, store.ErrConflict) {
		return Lease{}, ErrLost
	}
	return out, err
}

// Release gives a held lease up at once (its expiry set to now), so that
// a contender need not wait for it to run out; the token stays, and the
// next acquisition takes the one above. Releasing a lease already lost
// does nothing.
func (m *Leases) Release(ctx context.Context, l Lease) error {
	next := l.Record
	next.Expires = m.now()
	next.Released = true
	_, err := m.write(ctx, next, l.version)
	if errors.Is(err, store.ErrConflict) {
		return nil
	}
	return err
}

// Current returns the stored lease name (a zero Record if it was never
// taken): who holds it, until when, with which token.
func (m *Leases) Current(ctx context.Context, name string) (Record, error) {
	r, _, err := m.read(ctx, name)
	return r, err
}

func (m *Leases) read(ctx context.Context, name string) (Record, int64, error) {
	r, version, err := store.Load[Record](ctx, m.Store, Collection, name)
	if errors.Is(err, store.ErrNotFound) {
		return Record{Name: name}, 0, nil
	}
	if err != nil {
		return Record{}, 0, fmt.Errorf("lease %s: %w", name, err)
	}
	return r, version, nil
}

func (m *Leases) write(ctx context.Context, r Record, expect int64) (Lease, error) {
	d, err := store.Save(ctx, m.Store, Collection, r.Name, r, expect)
	if err != nil {
		return Lease{}, err
	}
	return Lease{Record: r, version: d.Version}, nil
}
