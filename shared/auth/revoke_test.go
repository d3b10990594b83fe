package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"zhengwu/shared/kek"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// fakeClock is a settable clock safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func clockedTokens(t testing.TB, ks *KeySet) (*Tokens, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Now()}
	return NewTokens(ks, clk.Now), clk
}

func mustVerify(t *testing.T, tok *Tokens, s string) {
	t.Helper()
	if _, err := tok.Verify(s); err != nil {
		t.Fatalf("token refused: %v", err)
	}
}

func mustRefuse(t *testing.T, tok *Tokens, s string) {
	t.Helper()
	if p, err := tok.Verify(s); !errors.Is(err, ErrRevoked) || !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("revoked token: %+v, %v", p, err)
	}
}

func TestRevokeSessionCachedAndUncached(t *testing.T) {
	ks, _ := NewKeySet()
	tok, _ := clockedTokens(t, ks)
	ctx := context.Background()
	cached, _, _ := tok.IssueSession(alice, "s1")
	fresh, _, _ := tok.IssueSession(alice, "s1")
	other, _, _ := tok.IssueSession(alice, "s2")
	mustVerify(t, tok, cached) // now in the verified cache
	mustVerify(t, tok, other)
	if err := tok.Revocations().RevokeSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, tok, cached) // the cached path
	mustRefuse(t, tok, fresh)  // the signature path
	mustVerify(t, tok, other)  // another session of the same user lives on
}

func TestRevokeUserRefusesEarlierTokensOnly(t *testing.T) {
	ks, _ := NewKeySet()
	tok, clk := clockedTokens(t, ks)
	ctx := context.Background()
	before, _, _ := tok.IssueSession(alice, "s1")
	noSession, _, _ := tok.Issue(alice, "jti")
	mustVerify(t, tok, before)
	clk.Advance(time.Millisecond) // both in the same second as the revocation
	if err := tok.Revocations().RevokeUser(ctx, alice.UserID); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, tok, before)
	mustRefuse(t, tok, noSession)
	after, _, _ := tok.IssueSession(alice, "s2") // a new login
	mustVerify(t, tok, after)
	bob := alice
	bob.UserID = "u2"
	bobs, _, _ := tok.IssueSession(bob, "s3")
	mustVerify(t, tok, bobs)
}

// Entries are dropped once the tokens they refuse have expired anyway.
func TestRevocationsExpire(t *testing.T) {
	ks, _ := NewKeySet()
	tok, clk := clockedTokens(t, ks)
	ctx := context.Background()
	_ = tok.Revocations().RevokeSession(ctx, "s1")
	_ = tok.Revocations().RevokeUser(ctx, "u1")
	clk.Advance(AccessTokenTTL + RevocationLeeway)
	tok.Revocations().apply()
	if s := tok.Revocations().set.Load(); len(s.sessions)+len(s.users) != 0 {
		t.Fatalf("expired entries kept: %+v", s)
	}
}

// Revocations written to the store survive a restart and reach the other
// processes that follow the feed.
func TestRevocationsAreDurableAndShared(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	ks, err := LoadKeys(ctx, st, kek.MustGenerate())
	if err != nil {
		t.Fatal(err)
	}
	a, clk := clockedTokens(t, ks)
	b := NewTokens(ks, clk.Now) // another process, already running
	for _, x := range []*Tokens{a, b} {
		if err := x.Revocations().Attach(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	s1, _, _ := a.IssueSession(alice, "s1")
	old, _, _ := a.IssueSession(alice, "s2")
	mustVerify(t, b, s1) // cached in b
	mustVerify(t, b, old)
	clk.Advance(time.Second)
	if err := a.Revocations().RevokeSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if err := a.Revocations().RevokeUser(ctx, alice.UserID); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, b, s1) // b has not read the feed yet
	if err := b.Revocations().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, b, s1)
	mustRefuse(t, b, old)
	newer, _, _ := a.IssueSession(alice, "s3")
	mustVerify(t, b, newer)

	// A restart: a new Tokens over the same store.
	c := NewTokens(ks, clk.Now)
	if err := c.Revocations().Attach(ctx, st); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, c, s1)
	mustRefuse(t, c, old)
	mustVerify(t, c, newer)

	// Run picks up a revocation on its own, and Notify wakes it at once.
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); c.Revocations().Run(runCtx, nil) }()
	defer func() { stop(); <-done }()
	if err := a.Revocations().RevokeSession(ctx, "s3"); err != nil {
		t.Fatal(err)
	}
	c.Revocations().Notify()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := c.Verify(newer); errors.Is(err, ErrRevoked) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not pick up the revocation")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Expired entries are deleted from the store by the next start.
	clk.Advance(AccessTokenTTL + RevocationLeeway)
	d := NewTokens(ks, clk.Now)
	if err := d.Revocations().Attach(ctx, st); err != nil {
		t.Fatal(err)
	}
	if docs, err := st.Scan(ctx, RevocationsCollection, "", 10); err != nil || len(docs) != 0 {
		t.Fatalf("expired revocations kept in the store: %d, %v", len(docs), err)
	}
}

// A user's stored cut-off only moves forward, whatever order two
// revocations are written in.
func TestUserCutOffKeepsTheLatest(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	ks, _ := NewKeySet()
	late, clk := clockedTokens(t, ks)
	clk.Advance(time.Minute)
	early := NewTokens(ks, func() time.Time { return clk.Now().Add(-time.Minute) })
	for _, x := range []*Tokens{late, early} {
		if err := x.Revocations().Attach(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	_ = late.Revocations().RevokeUser(ctx, "u1")
	_ = early.Revocations().RevokeUser(ctx, "u1")
	d, _, err := store.Load[revocationDoc](ctx, st, RevocationsCollection, "user:u1")
	if err != nil || !d.Before.Equal(clk.Now()) {
		t.Fatalf("cut-off %v (%v), want %v", d.Before, err, clk.Now())
	}
}

// BenchmarkVerifyRevocations is the cached path with a busy revocation
// list (sessions and users revoked in the last 15 minutes).
func BenchmarkVerifyRevocations(b *testing.B) {
	ks, _ := NewKeySet()
	tok := NewTokens(ks, nil)
	ctx := context.Background()
	for i := range 1000 {
		_ = tok.Revocations().RevokeSession(ctx, fmt.Sprint("s", i))
		_ = tok.Revocations().RevokeUser(ctx, fmt.Sprint("user", i))
	}
	s, _, _ := tok.IssueSession(alice, "live")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tok.Verify(s); err != nil {
			b.Fatal(err)
		}
	}
}
