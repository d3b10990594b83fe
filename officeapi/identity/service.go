package identity

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Policy is the login, session and password policy (auth.Policy, filled
// from the config table).
type Policy = auth.Policy

// DefaultPolicy is auth.DefaultPolicy, the MLPS level-3 default.
var DefaultPolicy = auth.DefaultPolicy

// Service is the identity capability.
type Service struct {
	store  store.Store
	trail  *audit.Trail
	tokens *auth.Tokens
	policy Policy
	now    func() time.Time
	// ghosts mimics lockout for usernames that do not exist (login.go).
	ghosts ghostBook
	// dir holds the accounts and grants Holders answers from (directory.go).
	dir directory
}

// New returns the identity service.
func New(s store.Store, trail *audit.Trail, tokens *auth.Tokens, policy Policy, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	if policy.PasswordHistory < 1 {
		policy.PasswordHistory = 1
	}
	return &Service{store: s, trail: trail, tokens: tokens, policy: policy, now: now}
}

// Policy is the policy in force (for the security administrator's view).
func (s *Service) Policy() Policy { return s.policy }

// Actor is who does something, and from where (for the audit trail).
type Actor struct {
	Principal *auth.Principal
	IP        string
}

func (a Actor) id() string {
	if a.Principal == nil {
		return "system"
	}
	return a.Principal.UserID
}

// newID returns a random 128-bit id in hex.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func usernameKey(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// UserByUsername finds a user by login name.
func (s *Service) UserByUsername(ctx context.Context, username string) (User, int64, error) {
	ref, _, err := store.Load[struct {
		UserID string `json:"userId"`
	}](ctx, s.store, colUsernames, usernameKey(username))
	if err != nil {
		return User{}, 0, err
	}
	return store.Load[User](ctx, s.store, colUsers, ref.UserID)
}

// User loads a user by id.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	u, _, err := store.Load[User](ctx, s.store, colUsers, id)
	return u, missing(err, "用户不存在", "no such user")
}

// missing is err with the store's ErrNotFound made the 404 that names
// what is missing (nil stays nil).
func missing(err error, zh, en string) error {
	if errors.Is(err, store.ErrNotFound) {
		return problem.NotFound(zh, en)
	}
	return err
}

// taken is err with the ErrConflict of a create-only write made the 409
// that names the field whose value is already taken (nil stays nil).
func taken(err error, field, zh, en string) error {
	if errors.Is(err, store.ErrConflict) {
		return problem.Conflict(zh, en).With("field", field)
	}
	return err
}

// Grants lists a user's grants.
func (s *Service) Grants(ctx context.Context, userID string) ([]Grant, error) {
	gs, _, err := store.Load[grantSet](ctx, s.store, colGrants, userID)
	if errors.Is(err, store.ErrNotFound) {
		return []Grant{}, nil
	}
	if gs.Grants == nil {
		gs.Grants = []Grant{}
	}
	return gs.Grants, err
}

// Principal builds what an access token says about a user: their
// departments and, per permission, the departments it applies in.
func (s *Service) Principal(ctx context.Context, u User) (auth.Principal, error) {
	grants, err := s.Grants(ctx, u.ID)
	if err != nil {
		return auth.Principal{}, err
	}
	return principalOf(u, grants), nil
}

func principalOf(u User, grants []Grant) auth.Principal {
	perms := map[string][]string{}
	for _, g := range grants {
		role, ok := RoleByKey(g.Role)
		if !ok {
			continue
		}
		for _, perm := range role.Perms {
			p := perm.Key()
			if !slices.Contains(perms[p], g.DepartmentID) {
				perms[p] = append(perms[p], g.DepartmentID)
			}
		}
	}
	return auth.Principal{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Clearance: u.Clearance,
		Departments: u.DepartmentIDs, Perms: perms}
}

func (s *Service) record(ctx context.Context, ev audit.Event) error {
	if _, err := s.trail.Record(ctx, ev); err != nil {
		return err
	}
	return nil
}
