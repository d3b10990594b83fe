package auth_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/testkit"
)

var alice = auth.Alice

// clockedTokens are tokens on a new key set and a clock the test moves.
func clockedTokens(t *testing.T) (*auth.Tokens, *testkit.Clock) {
	t.Helper()
	ks, err := auth.NewKeySet()
	if err != nil {
		t.Fatal(err)
	}
	clk := testkit.NewClock(time.Now())
	return auth.NewTokens(ks, clk.Now), clk
}

func mustVerify(t *testing.T, tok *auth.Tokens, s string) {
	t.Helper()
	if _, err := tok.Verify(s); err != nil {
		t.Fatalf("token refused: %v", err)
	}
}

func mustRefuse(t *testing.T, tok *auth.Tokens, s string) {
	t.Helper()
	if p, err := tok.Verify(s); !errors.Is(err, auth.ErrRevoked) || !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("revoked token: %+v, %v", p, err)
	}
}

func TestRevokeSessionCachedAndUncached(t *testing.T) {
	tok, _ := clockedTokens(t)
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
	tok, clk := clockedTokens(t)
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
	tok, clk := clockedTokens(t)
	ctx := context.Background()
	_ = tok.Revocations().RevokeSession(ctx, "s1")
	_ = tok.Revocations().RevokeUser(ctx, "u1")
	clk.Advance(auth.AccessTokenTTL + auth.RevocationLeeway)
	tok.Revocations().Prune()
	if n := tok.Revocations().Entries(); n != 0 {
		t.Fatalf("%d expired entries kept", n)
	}
}

// Revocations written to the store survive a restart and reach the other
// processes that follow the feed.
func TestRevocationsAreDurableAndShared(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	a := e.Tokens
	b := e.Restart().Tokens // another process, already running
	s1, _, _ := a.IssueSession(alice, "s1")
	old, _, _ := a.IssueSession(alice, "s2")
	mustVerify(t, b, s1) // cached in b
	mustVerify(t, b, old)
	e.Clock.Advance(time.Second)
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
	c := e.Restart().Tokens
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
	testkit.Eventually(t, 5*time.Second, "refused once Run has read the revocation", func() bool {
		_, err := c.Verify(newer)
		return errors.Is(err, auth.ErrRevoked)
	})

	// Expired entries are deleted from the store by the next start.
	e.Clock.Advance(auth.AccessTokenTTL + auth.RevocationLeeway)
	e.Restart()
	if docs, err := e.Store.Scan(ctx, auth.RevocationsCollection, "", 10); err != nil || len(docs) != 0 {
		t.Fatalf("expired revocations kept in the store: %d, %v", len(docs), err)
	}
}

// A user's stored cut-off only moves forward, whatever order two
// revocations are written in.
func TestUserCutOffKeepsTheLatest(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	ks, _ := auth.NewKeySet()
	clk := testkit.NewClock(time.Now())
	late := auth.NewTokens(ks, clk.Now)
	clk.Advance(time.Minute)
	early := auth.NewTokens(ks, func() time.Time { return clk.Now().Add(-time.Minute) })
	for _, x := range []*auth.Tokens{late, early} {
		if err := x.Revocations().Attach(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	_ = late.Revocations().RevokeUser(ctx, "u1")
	_ = early.Revocations().RevokeUser(ctx, "u1")
	before, err := auth.UserCutOff(ctx, st, "u1")
	if err != nil || !before.Equal(clk.Now()) {
		t.Fatalf("cut-off %v (%v), want %v", before, err, clk.Now())
	}
}

// BenchmarkVerifyRevocations is the cached path with a busy revocation
// list (sessions and users revoked in the last 15 minutes).
func BenchmarkVerifyRevocations(b *testing.B) {
	ks, _ := auth.NewKeySet()
	tok := auth.NewTokens(ks, nil)
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
