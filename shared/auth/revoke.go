package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"zhengwu/shared/store"
)

// Revocations is the list of access tokens refused before they expire:
// every token of a session (logout, refresh-token reuse), or every token
// of a user issued before a time (account disabled, password reset,
// rights removed). Verify consults it on every call with map lookups in
// an immutable snapshot (copy-on-write: revocations are rare, checks are
// on every request).
//
// An entry is needed only until the tokens it refuses would have expired
// anyway (AccessTokenTTL plus RevocationLeeway), then it is dropped.
//
// Without a store (Attach) the list is this process's only. Attached, each
// revocation is also written to the store collection RevocationsCollection,
// the list is loaded from it, and Run picks up the revocations other
// processes write: within PollInterval (plus, on MongoDB, the feed's settle
// window when a concurrent write leaves a gap). A revocation made in this
// process applies at once.
type Revocations struct {
	now func() time.Time
	set atomic.Pointer[revocationSet]
	mu  sync.Mutex // serialises writers of set; guards st and seq
	st  store.Store
	seq int64 // feed sequence read up to (after Attach)
	// step serialises the feed steps of Run's follower and Sync's.
	step    sync.Mutex
	running atomic.Pointer[store.Follower] // Run's, for Notify
}

// RevocationsCollection holds one document per revoked session
// ("session:<sid>") or user ("user:<uid>").
const RevocationsCollection = "auth_revocations"

// RevocationLeeway is how long beyond AccessTokenTTL an entry is kept: the
// verifier's 30 s expiry leeway plus clock skew between processes.
const RevocationLeeway = 2 * time.Minute

// PollInterval is how often Run reads the change feed when not notified.
const PollInterval = time.Second

// ErrRevoked wraps ErrInvalidToken for a token that was revoked.
var ErrRevoked = fmt.Errorf("%w: revoked", ErrInvalidToken)

type revocationSet struct {
	sessions map[string]time.Time  // session id → entry expiry
	users    map[string]userCutOff // user id → tokens issued before are revoked
}

type userCutOff struct {
	before  int64 // unix microseconds
	expires time.Time
}

type revocationDoc struct {
	Kind    string    `json:"kind"` // "session" or "user"
	Subject string    `json:"subject"`
	Before  time.Time `json:"before,omitzero"` // user: tokens issued before this are refused
	Expires time.Time `json:"expires"`
}

func newRevocations(now func() time.Time) *Revocations {
	r := &Revocations{now: now}
	r.set.Store(&revocationSet{})
	return r
}

// revoked is the per-request check; iat is the token's issue time in unix
// microseconds.
func (r *Revocations) revoked(userID, sessionID string, iat int64) bool {
	s := r.set.Load()
	if sessionID != "" && len(s.sessions) > 0 {
		if _, ok := s.sessions[sessionID]; ok {
			return true
		}
	}
	if len(s.users) > 0 {
		if u, ok := s.users[userID]; ok && iat < u.before {
			return true
		}
	}
	return false
}

// apply merges entries into the snapshot (a user's latest cut-off wins)
// and drops those that have expired.
func (r *Revocations) apply(docs ...revocationDoc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	old := r.set.Load()
	next := &revocationSet{sessions: maps.Clone(old.sessions), users: maps.Clone(old.users)}
	if next.sessions == nil {
		next.sessions = map[string]time.Time{}
	}
	if next.users == nil {
		next.users = map[string]userCutOff{}
	}
	for _, d := range docs {
		switch d.Kind {
		case "session":
			if d.Expires.After(next.sessions[d.Subject]) {
				next.sessions[d.Subject] = d.Expires
			}
		case "user":
			if b := d.Before.UnixMicro(); b > next.users[d.Subject].before {
				next.users[d.Subject] = userCutOff{before: b, expires: d.Expires}
			}
		}
	}
	maps.DeleteFunc(next.sessions, func(_ string, exp time.Time) bool { return !now.Before(exp) })
	maps.DeleteFunc(next.users, func(_ string, u userCutOff) bool { return !now.Before(u.expires) })
	r.set.Store(next)
}

// RevokeSession refuses every access token of a session (the refresh-token
// family) from now on.
func (r *Revocations) RevokeSession(ctx context.Context, sessionID string) error {
	if sessionID == "" {
		return errors.New("auth: revoke an empty session id")
	}
	now := r.now()
	return r.revoke(ctx, "session:"+sessionID, revocationDoc{Kind: "session", Subject: sessionID,
		Expires: now.Add(AccessTokenTTL + RevocationLeeway)})
}

// RevokeUser refuses every access token of a user issued before now;
// tokens issued afterwards (a new login) are accepted.
func (r *Revocations) RevokeUser(ctx context.Context, userID string) error {
	if userID == "" {
		return errors.New("auth: revoke an empty user id")
	}
	now := r.now()
	return r.revoke(ctx, "user:"+userID, revocationDoc{Kind: "user", Subject: userID, Before: now,
		Expires: now.Add(AccessTokenTTL + RevocationLeeway)})
}

// revoke applies the entry here at once, then makes it durable and
// visible to other processes. A user's document keeps the latest cut-off
// (compare-and-set), whatever order concurrent revocations land in.
func (r *Revocations) revoke(ctx context.Context, id string, d revocationDoc) error {
	r.apply(d)
	r.mu.Lock()
	st := r.st
	r.mu.Unlock()
	if st == nil {
		return nil
	}
	_, err := store.UpdateAll(ctx, st, func(ctx context.Context, b *store.Batch) error {
		var old revocationDoc
		found, err := b.Load(ctx, RevocationsCollection, id, &old)
		if err != nil {
			return err
		}
		next := d
		if found && old.Before.After(d.Before) {
			next.Before = old.Before
		}
		return b.Save(RevocationsCollection, id, next)
	})
	if err != nil {
		return fmt.Errorf("auth: revoke: %w", err)
	}
	return nil
}

// Attach makes the list durable and shared: it loads every unexpired
// revocation from s (deleting expired ones) and writes future ones there.
// Call it once, at start, before serving; then Run to follow other
// processes' revocations.
func (r *Revocations) Attach(ctx context.Context, s store.Store) error {
	seq, err := s.LastSeq(ctx)
	if err != nil {
		return fmt.Errorf("auth: load revocations: %w", err)
	}
	docs, err := r.scan(ctx, s, true)
	if err != nil {
		return fmt.Errorf("auth: load revocations: %w", err)
	}
	r.mu.Lock()
	r.st, r.seq = s, seq
	r.mu.Unlock()
	r.apply(docs...)
	return nil
}

// scan reads the collection; prune deletes the expired entries it meets
// (by version, so an entry rewritten meanwhile stays).
func (r *Revocations) scan(ctx context.Context, s store.Store, prune bool) ([]revocationDoc, error) {
	var out []revocationDoc
	now := r.now()
	for doc, err := range store.ScanAll(ctx, s, RevocationsCollection, "") {
		if err != nil {
			return nil, err
		}
		var d revocationDoc
		if err := doc.Decode(&d); err != nil {
			return nil, fmt.Errorf("decode %s/%s: %w", RevocationsCollection, doc.ID, err)
		}
		if now.Before(d.Expires) {
			out = append(out, d)
		} else if prune {
			if _, err := s.Delete(ctx, RevocationsCollection, doc.ID, doc.Version); err != nil &&
				!errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
				return nil, err
			}
		}
	}
	return out, nil
}

// Notify wakes Run at once (subscribe it to an in-process store.Notifying).
// It never blocks.
func (r *Revocations) Notify() {
	if f := r.running.Load(); f != nil {
		f.Notify()
	}
}

// follower follows st's change feed for the revocations in it, from the
// sequence Attach (and each step since) read up to.
func (r *Revocations) follower(st store.Store, log *slog.Logger) *store.Follower {
	return &store.Follower{Store: st, BatchSize: 1000, Interval: PollInterval, Logger: log,
		Name: "token revocations", Lock: &r.step,
		Checkpoint: func(context.Context) (int64, error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			return r.seq, nil
		},
		Apply: func(ctx context.Context, changes []store.Change) error { return r.applyChanges(ctx, st, changes) }}
}

// Run follows the store's change feed until ctx ends, applying the
// revocations other processes write, and every AccessTokenTTL deletes the
// expired ones from the store. It needs Attach first (without it there is
// nothing to follow: it just waits for ctx); errors are logged and
// retried with backoff (store.Follower).
func (r *Revocations) Run(ctx context.Context, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	st := r.attached()
	if st == nil {
		<-ctx.Done()
		return
	}
	f := r.follower(st, log)
	lastPrune := r.now()
	f.AfterStep = func(ctx context.Context) (time.Duration, error) {
		if r.now().Sub(lastPrune) < AccessTokenTTL {
			return 0, nil
		}
		lastPrune = r.now()
		if _, err := r.scan(ctx, st, true); err != nil && ctx.Err() == nil {
			log.Warn("pruning token revocations failed", "err", err)
		}
		r.apply() // drop expired entries from memory too
		return 0, nil
	}
	r.running.Store(f)
	defer r.running.CompareAndSwap(f, nil)
	f.Run(ctx)
}

// Sync reads the change feed up to its last sequence and applies the
// revocations found in it (for tests and callers that cannot wait for
// Run's next poll).
func (r *Revocations) Sync(ctx context.Context) error {
	st := r.attached()
	if st == nil {
		return nil
	}
	return r.follower(st, nil).CatchUp(ctx)
}

func (r *Revocations) attached() store.Store {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st
}

// applyChanges applies the revocations among a page of feed changes and
// moves the position past them.
func (r *Revocations) applyChanges(ctx context.Context, st store.Store, changes []store.Change) error {
	var docs []revocationDoc
	for _, ch := range changes {
		if ch.Collection != RevocationsCollection || ch.Deleted || !strings.Contains(ch.ID, ":") {
			continue
		}
		d, _, err := store.Load[revocationDoc](ctx, st, RevocationsCollection, ch.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue // pruned since
		}
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	if len(docs) > 0 {
		r.apply(docs...)
	}
	r.mu.Lock()
	r.seq = changes[len(changes)-1].Seq
	r.mu.Unlock()
	return nil
}
