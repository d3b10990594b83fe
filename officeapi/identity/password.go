package identity

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// passwordChangeDue says why u must change the password before anything
// else ("" when it need not): an administrator set it (first login or
// reset), or it is older than the policy allows.
func (s *Service) passwordChangeDue(u User) string {
	if u.PasswordChange != "" {
		return u.PasswordChange
	}
	if s.policy.PasswordMaxAge > 0 && !u.PasswordSetAt.IsZero() && s.now().Sub(u.PasswordSetAt) > s.policy.PasswordMaxAge {
		return PasswordExpired
	}
	return ""
}

// policyProblem turns a refused password into a 400 naming field.
func policyProblem(field string, err error) error {
	var pe *auth.PasswordPolicyError
	if errors.As(err, &pe) {
		return problem.Invalid(problem.Field(field, pe.Zh, pe.En))
	}
	return err
}

// PasswordChange is what the user sends to change their own password.
type PasswordChange struct {
	OldPassword string `json:"oldPassword" validate:"required,max=256"`
	NewPassword string `json:"newPassword" validate:"required,max=256"`
}

// ChangePassword is the signed-in user's own change, the only way an
// account changes its own password: the old password first (a wrong one
// counts towards the lockout, as a failed login does), then a new one that
// meets the policy and repeats none of the last PasswordHistory. It ends
// every other session of the user and returns a fresh, unrestricted one.
func (s *Service) ChangePassword(ctx context.Context, by Actor, in PasswordChange) (Session, error) {
	if by.Principal == nil {
		return Session{}, problem.Forbidden()
	}
	u, err := s.User(ctx, by.Principal.UserID)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if u.Disabled {
		return Session{}, problem.Unauthenticated("account disabled")
	}
	if u.LockedUntil.After(now) {
		return Session{}, lockedProblem(u.LockedUntil)
	}
	if !auth.CheckPassword(u.PasswordHash, in.OldPassword) {
		_, err := s.loginFailed(ctx, u.ID, u.Username, by.IP)
		if p := problem.As(err); p != nil && p.Code == problem.CodeInvalidCredentials {
			// Not a 401: that would tell the client its session is gone.
			return Session{}, problem.Invalid(problem.Field("oldPassword", "原密码错误", "the old password is wrong"))
		}
		return Session{}, err
	}
	if err := auth.CheckPasswordPolicy(in.NewPassword, u.Username); err != nil {
		return Session{}, policyProblem("newPassword", err)
	}
	recent := append([]string{u.PasswordHash}, u.PasswordHistory...)
	if n := s.policy.PasswordHistory; len(recent) > n {
		recent = recent[:n]
	}
	if auth.PasswordReused(in.NewPassword, recent...) {
		return Session{}, problem.Invalid(problem.Field("newPassword",
			fmt.Sprintf("新密码不能与最近 %d 次使用过的密码相同", s.policy.PasswordHistory),
			fmt.Sprintf("the new password must differ from the last %d", s.policy.PasswordHistory)))
	}
	hash, err := HashForStore(in.NewPassword)
	if err != nil {
		return Session{}, err
	}
	reason := s.passwordChangeDue(u)
	u, _, err = audit.Update(ctx, s.trail, colUsers, u.ID, func(x *User) (audit.Event, error) {
		x.PasswordHistory = s.history(x.PasswordHash, x.PasswordHistory)
		x.PasswordHash, x.PasswordSetAt, x.PasswordChange = hash, now, ""
		x.Failures, x.LockedUntil = nil, time.Time{}
		return audit.Event{Actor: x.ID, ActorIP: by.IP, Action: "user.password.change", Target: x.ID,
			Outcome: audit.Success, Details: map[string]any{"required": reason}}, nil
	})
	if err != nil {
		return Session{}, err
	}
	if err := s.revokeTokens(ctx, u.ID); err != nil {
		return Session{}, err
	}
	return s.startSession(ctx, u)
}

// history is the password history after replacing current: it first, the
// older ones after, as many as the policy keeps.
func (s *Service) history(current string, older []string) []string {
	h := append([]string{current}, older...)
	if n := s.policy.PasswordHistory - 1; len(h) > n {
		h = h[:n]
	}
	return h
}

// setPassword sets a password an administrator chose (a reset, approved
// or by the CLI): the account is unlocked, its tokens refused, and the
// user must change the password at the next login.
func (s *Service) setPassword(ctx context.Context, by Actor, u User, password string, ev audit.Event) error {
	if err := auth.CheckPasswordPolicy(password, u.Username); err != nil {
		return policyProblem("password", err)
	}
	hash, err := HashForStore(password)
	if err != nil {
		return err
	}
	ev.Actor, ev.ActorIP, ev.Action, ev.Target, ev.Outcome = by.id(), by.IP, "user.password.reset", u.ID, audit.Success
	if _, _, err := audit.Update(ctx, s.trail, colUsers, u.ID, func(x *User) (audit.Event, error) {
		x.PasswordHistory = s.history(x.PasswordHash, x.PasswordHistory)
		x.PasswordHash, x.PasswordSetAt, x.PasswordChange = hash, s.now(), PasswordReset
		x.Failures, x.LockedUntil = nil, time.Time{}
		return ev, nil
	}); err != nil {
		return err
	}
	return s.revokeTokens(ctx, u.ID)
}

// temporaryPassword makes a one-time password for an approved reset:
// four groups of four from an alphabet without look-alikes, which the
// policy accepts (three classes and a symbol).
func temporaryPassword(username string) string {
	const lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
	pick := func(set string) byte {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		return set[n.Int64()]
	}
	for {
		b := make([]byte, 0, 19)
		for i := 0; i < 16; i++ {
			if i > 0 && i%4 == 0 {
				b = append(b, '-')
			}
			b = append(b, pick([]string{lower, upper, digits}[i%3]))
		}
		if pw := string(b); auth.CheckPasswordPolicy(pw, username) == nil {
			return pw
		}
	}
}
