package identity

import (
	"context"
	"sync"
	"time"

	"zhengwu/shared/audit"
)

// ghostBook counts failed logins for usernames that do not exist, with the
// accounts' own rule, so that after LockoutAttempts failures an unknown
// username is "locked" (423) just as a real account is: otherwise the lock
// itself would tell an attacker which usernames exist. It is kept in
// memory, bounded: it only has to make the answers look alike.
type ghostBook struct {
	mu sync.Mutex
	m  map[string]*ghost
}

type ghost struct {
	failures    []time.Time
	lockedUntil time.Time
}

// ghostLimit bounds the book; when full, entries that no longer matter
// are dropped, and if none can be, the book starts afresh.
const ghostLimit = 10_000

// locked reports whether the unknown username key is "locked" at now.
func (b *ghostBook) locked(key string, now time.Time) (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if g := b.m[key]; g != nil && g.lockedUntil.After(now) {
		return g.lockedUntil, true
	}
	return time.Time{}, false
}

// fail counts a failure for key under p and reports whether it locks now.
func (b *ghostBook) fail(key string, now time.Time, p Policy) (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string]*ghost{}
	}
	g := b.m[key]
	if g == nil {
		if len(b.m) >= ghostLimit {
			b.prune(now, p)
		}
		g = &ghost{}
		b.m[key] = g
	}
	recent := g.failures[:0:0]
	for _, f := range g.failures {
		if now.Sub(f) < p.LockoutWindow {
			recent = append(recent, f)
		}
	}
	g.failures = append(recent, now)
	if len(g.failures) >= p.LockoutAttempts && !g.lockedUntil.After(now) {
		g.lockedUntil, g.failures = now.Add(p.LockoutDuration), nil
		return g.lockedUntil, true
	}
	return time.Time{}, false
}

func (b *ghostBook) prune(now time.Time, p Policy) {
	for k, g := range b.m {
		if !g.lockedUntil.After(now) && (len(g.failures) == 0 || now.Sub(g.failures[len(g.failures)-1]) >= p.LockoutWindow) {
			delete(b.m, k)
		}
	}
	if len(b.m) >= ghostLimit {
		b.m = map[string]*ghost{}
	}
}

// unknownFailed is loginFailed for a username that does not exist: the
// same audit entries (a failure, then a lockout) and the same answers.
func (s *Service) unknownFailed(ctx context.Context, username, ip string) (Session, error) {
	until, lockedNow := s.ghosts.fail(usernameKey(username), s.now(), s.policy)
	if err := s.record(ctx, audit.Event{Actor: "anonymous", ActorIP: ip, Action: "auth.login", Target: username,
		Outcome: audit.Failure, Reason: "unknown username"}); err != nil {
		return Session{}, err
	}
	if lockedNow {
		if err := s.record(ctx, audit.Event{Actor: "anonymous", ActorIP: ip, Action: "auth.lockout", Target: username,
			Outcome: audit.Success, Reason: "too many failed logins for an unknown username",
			Details: map[string]any{"lockedUntil": until.UTC().Format(time.RFC3339), "unknownUser": true}}); err != nil {
			return Session{}, err
		}
		return Session{}, lockedProblem(until)
	}
	return Session{}, errBadCredentials
}
