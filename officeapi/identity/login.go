package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Session is what login and refresh return.
type Session struct {
	AccessToken  string     `json:"accessToken"`
	RefreshToken string     `json:"refreshToken"`
	ExpiresIn    int        `json:"expiresIn"` // seconds
	User         PublicUser `json:"user"`
	// PasswordChangeRequired: the tokens may only change the password
	// (POST /auth/password), for PasswordChangeReason (first_login,
	// reset, expired); every other route answers 403
	// password_change_required.
	PasswordChangeRequired bool   `json:"passwordChangeRequired,omitempty"`
	PasswordChangeReason   string `json:"passwordChangeReason,omitempty"`
}

var errBadCredentials = problem.New(http.StatusUnauthorized, problem.CodeInvalidCredentials,
	"用户名或密码错误", "wrong username or password")

func lockedProblem(until time.Time) *problem.Error {
	return problem.New(http.StatusLocked, problem.CodeLocked,
		"账户因多次登录失败已被锁定，请于 "+until.In(chinaTime).Format("2006-01-02 15:04")+" 后再试",
		"account locked after repeated failed logins until "+until.UTC().Format(time.RFC3339)).
		With("lockedUntil", until.UTC().Format(time.RFC3339))
}

// chinaTime is UTC+8; fixed so that messages do not depend on the host's zone data.
var chinaTime = time.FixedZone("CST", 8*3600)

// Login checks a password and starts a session. Failures are counted per
// account; LockoutAttempts of them within LockoutWindow lock the account
// for LockoutDuration. A username that does not exist answers exactly as
// an account does — the same 401, the same 423 after as many failures,
// after the same password hashing — so that the answers do not tell which
// accounts exist. Every outcome is audited, lockouts too.
//
// A user whose password was reset, is the first one, or has expired gets
// a session restricted to changing it (Session.PasswordChangeRequired).
func (s *Service) Login(ctx context.Context, username, password, ip string) (Session, error) {
	now := s.now()
	fail := func(actor, reason string, err error) (Session, error) {
		if aerr := s.record(ctx, audit.Event{Actor: actor, ActorIP: ip, Action: "auth.login", Target: username,
			Outcome: audit.Failure, Reason: reason}); aerr != nil {
			return Session{}, aerr
		}
		return Session{}, err
	}
	u, _, err := s.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		if until, locked := s.ghosts.locked(usernameKey(username), now); locked {
			return fail("anonymous", "account locked", lockedProblem(until))
		}
		auth.CheckNoUser(password)
		return s.unknownFailed(ctx, username, ip)
	}
	if err != nil {
		return Session{}, err
	}
	if u.LockedUntil.After(now) {
		return fail(u.ID, "account locked", lockedProblem(u.LockedUntil))
	}
	if !auth.CheckPassword(u.PasswordHash, password) {
		return s.loginFailed(ctx, u.ID, username, ip)
	}
	if u.Disabled {
		return fail(u.ID, "account disabled", errBadCredentials)
	}
	if len(u.Failures) > 0 || !u.LockedUntil.IsZero() {
		if _, _, err := store.Update(ctx, s.store, colUsers, u.ID, func(u *User) error {
			u.Failures, u.LockedUntil = nil, time.Time{}
			return nil
		}); err != nil {
			return Session{}, err
		}
	}
	sess, err := s.startSession(ctx, u)
	if err != nil {
		return Session{}, err
	}
	return sess, s.record(ctx, audit.Event{Actor: u.ID, ActorIP: ip, Action: "auth.login", Target: username, Outcome: audit.Success})
}

// loginFailed counts a failure (a CAS update, so concurrent guesses all
// count) and locks the account when the threshold is reached.
func (s *Service) loginFailed(ctx context.Context, userID, username, ip string) (Session, error) {
	now := s.now()
	var lockedNow bool
	u, _, err := store.Update(ctx, s.store, colUsers, userID, func(u *User) error {
		lockedNow = false
		recent := u.Failures[:0:0]
		for _, f := range u.Failures {
			if now.Sub(f) < s.policy.LockoutWindow {
				recent = append(recent, f)
			}
		}
		u.Failures = append(recent, now)
		if len(u.Failures) >= s.policy.LockoutAttempts && !u.LockedUntil.After(now) {
			u.LockedUntil, u.Failures, lockedNow = now.Add(s.policy.LockoutDuration), nil, true
		}
		return nil
	})
	if err != nil {
		return Session{}, err
	}
	if err := s.record(ctx, audit.Event{Actor: userID, ActorIP: ip, Action: "auth.login", Target: username,
		Outcome: audit.Failure, Reason: "wrong password"}); err != nil {
		return Session{}, err
	}
	if lockedNow {
		if err := s.record(ctx, audit.Event{Actor: userID, ActorIP: ip, Action: "auth.lockout", Target: username,
			Outcome: audit.Success, Reason: "too many failed logins",
			Details: map[string]any{"lockedUntil": u.LockedUntil.UTC().Format(time.RFC3339)}}); err != nil {
			return Session{}, err
		}
		return Session{}, lockedProblem(u.LockedUntil)
	}
	return Session{}, errBadCredentials
}

func (s *Service) startSession(ctx context.Context, u User) (Session, error) {
	now := s.now()
	sess := session{ID: newID(), UserID: u.ID, CreatedAt: now, LastUsed: now, ExpiresAt: now.Add(s.policy.SessionMax)}
	if _, err := store.Save(ctx, s.store, colSessions, sess.ID, sess, 0); err != nil {
		return Session{}, err
	}
	return s.issue(ctx, u, sess.ID)
}

// issue makes a new refresh token in the session and an access token.
func (s *Service) issue(ctx context.Context, u User, sessionID string) (Session, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Session{}, err
	}
	token := "zwr_" + base64.RawURLEncoding.EncodeToString(raw)
	rt := refreshToken{SessionID: sessionID, UserID: u.ID, IssuedAt: s.now()}
	if _, err := store.Save(ctx, s.store, colRefresh, tokenKey(token), rt, 0); err != nil {
		return Session{}, err
	}
	p, err := s.Principal(ctx, u)
	if err != nil {
		return Session{}, err
	}
	p.PasswordChange = s.passwordChangeDue(u)
	access, _, err := s.tokens.IssueSession(p, sessionID)
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: access, RefreshToken: token, ExpiresIn: int(auth.AccessTokenTTL.Seconds()), User: u.Public(),
		PasswordChangeRequired: p.PasswordChange != "", PasswordChangeReason: p.PasswordChange}, nil
}

func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

var errBadRefresh = problem.New(http.StatusUnauthorized, problem.CodeUnauthenticated,
	"登录已失效，请重新登录", "session expired or revoked; log in again")

// Refresh rotates a refresh token: the old one is spent, a new one and a
// fresh access token are returned. A spent token presented again means it
// was stolen (or the client is broken): the whole session is revoked.
func (s *Service) Refresh(ctx context.Context, token, ip string) (Session, error) {
	key := tokenKey(token)
	rt, version, err := store.Load[refreshToken](ctx, s.store, colRefresh, key)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, errBadRefresh
	}
	if err != nil {
		return Session{}, err
	}
	sess, _, err := store.Load[session](ctx, s.store, colSessions, rt.SessionID)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	switch {
	case sess.Revoked:
		return Session{}, errBadRefresh
	case rt.Used:
		return Session{}, s.revoke(ctx, sess.ID, rt.UserID, ip, "refresh token reused")
	case now.Sub(sess.LastUsed) > s.policy.SessionIdle:
		return Session{}, s.revoke(ctx, sess.ID, rt.UserID, ip, "idle timeout")
	case now.After(sess.ExpiresAt):
		return Session{}, s.revoke(ctx, sess.ID, rt.UserID, ip, "session expired")
	}
	rt.Used = true
	if _, err := store.Save(ctx, s.store, colRefresh, key, rt, version); errors.Is(err, store.ErrConflict) {
		// Two refreshes raced with the same token: only one may win, and
		// the race itself is the reuse signal.
		return Session{}, s.revoke(ctx, sess.ID, rt.UserID, ip, "refresh token reused")
	} else if err != nil {
		return Session{}, err
	}
	if _, _, err := store.Update(ctx, s.store, colSessions, sess.ID, func(x *session) error {
		x.LastUsed = now
		return nil
	}); err != nil {
		return Session{}, err
	}
	u, err := s.User(ctx, rt.UserID)
	if err != nil {
		return Session{}, err
	}
	if u.Disabled {
		return Session{}, s.revoke(ctx, sess.ID, u.ID, ip, "account disabled")
	}
	if sess.CreatedAt.Before(u.PasswordSetAt) {
		return Session{}, s.revoke(ctx, sess.ID, u.ID, ip, "password reset")
	}
	return s.issue(ctx, u, sess.ID)
}

// revoke ends a session — its refresh tokens and the access tokens issued
// in it — audits why, and returns the client's error.
func (s *Service) revoke(ctx context.Context, sessionID, userID, ip, reason string) error {
	if _, _, err := store.Update(ctx, s.store, colSessions, sessionID, func(x *session) error {
		x.Revoked, x.Reason = true, reason
		return nil
	}); err != nil {
		return err
	}
	if err := s.tokens.Revocations().RevokeSession(ctx, sessionID); err != nil {
		return err
	}
	if err := s.record(ctx, audit.Event{Actor: userID, ActorIP: ip, Action: "auth.session.revoke",
		Target: sessionID, Outcome: audit.Success, Reason: reason}); err != nil {
		return err
	}
	return errBadRefresh
}

// Logout revokes the session the refresh token belongs to. An unknown
// token is not an error: the client is logged out either way.
func (s *Service) Logout(ctx context.Context, token, ip string) error {
	rt, _, err := store.Load[refreshToken](ctx, s.store, colRefresh, tokenKey(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.revoke(ctx, rt.SessionID, rt.UserID, ip, "logout"); !errors.Is(err, errBadRefresh) {
		return err
	}
	return nil
}
