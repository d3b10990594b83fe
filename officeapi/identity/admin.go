package identity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/validation"
)

// NewUser is what creating an account takes.
type NewUser struct {
	Username      string   `json:"username" validate:"required,min=2,max=64,nocontrol,excludesall=/\\ "`
	DisplayName   string   `json:"displayName" validate:"required,max=64,nocontrol"`
	Password      string   `json:"password" validate:"required,max=128"`
	DepartmentIDs []string `json:"departmentIds" validate:"max=20,dive,required,max=64"`
	PostIDs       []string `json:"postIds" validate:"max=20,dive,required,max=64"`
}

// CreateUser adds an account (system administrator). New accounts are
// unclassified (非密) and hold no grants: clearance and grants are the
// security administrator's to give.
func (s *Service) CreateUser(ctx context.Context, by Actor, in NewUser) (User, error) {
	if err := s.require(by, PermUserManage); err != nil {
		return User{}, err
	}
	if err := auth.CheckPasswordPolicy(in.Password, in.Username); err != nil {
		var pe *auth.PasswordPolicyError
		errors.As(err, &pe)
		return User{}, problem.Invalid(problem.Field("password", pe.Zh, pe.En))
	}
	if err := s.checkOrgRefs(ctx, in.DepartmentIDs, in.PostIDs); err != nil {
		return User{}, err
	}
	hash, err := HashForStore(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{ID: newID(), Username: in.Username, DisplayName: in.DisplayName, PasswordHash: hash,
		Clearance: classification.Feimi, DepartmentIDs: orEmpty(in.DepartmentIDs), PostIDs: orEmpty(in.PostIDs),
		CreatedAt: now, PasswordSetAt: now}
	// Claim the username first: its create-only put is what makes
	// usernames unique, even when two admins race.
	if _, err := store.Save(ctx, s.store, colUsernames, usernameKey(u.Username), map[string]string{"userId": u.ID}, 0); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return User{}, problem.Conflict("用户名已存在", "username already taken").With("field", "username")
		}
		return User{}, err
	}
	if _, err := store.Save(ctx, s.store, colUsers, u.ID, u, 0); err != nil {
		return User{}, err
	}
	return u, s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "user.create", Target: u.ID,
		Outcome: audit.Success, Details: map[string]any{"username": u.Username}})
}

// HashForStore hashes a password for a User record.
func HashForStore(password string) (string, error) { return auth.HashPassword(password) }

// UserChange is a partial update of an account (system administrator).
type UserChange struct {
	DisplayName   *string   `json:"displayName" validate:"omitempty,max=64,nocontrol"`
	DepartmentIDs *[]string `json:"departmentIds" validate:"omitempty,max=20,dive,required,max=64"`
	PostIDs       *[]string `json:"postIds" validate:"omitempty,max=20,dive,required,max=64"`
	Disabled      *bool     `json:"disabled"`
	// Unlock clears a lockout.
	Unlock bool `json:"unlock"`
}

// UpdateUser changes an account.
func (s *Service) UpdateUser(ctx context.Context, by Actor, id string, ch UserChange) (User, error) {
	if err := s.require(by, PermUserManage); err != nil {
		return User{}, err
	}
	var depts, posts []string
	var cutRights bool
	if ch.DepartmentIDs != nil {
		depts = *ch.DepartmentIDs
	}
	if ch.PostIDs != nil {
		posts = *ch.PostIDs
	}
	if err := s.checkOrgRefs(ctx, depts, posts); err != nil {
		return User{}, err
	}
	u, _, err := store.Update(ctx, s.store, colUsers, id, func(u *User) error {
		cutRights = false
		if ch.DisplayName != nil {
			u.DisplayName = *ch.DisplayName
		}
		if ch.DepartmentIDs != nil {
			// Leaving a department takes away what the token says about it.
			for _, d := range u.DepartmentIDs {
				cutRights = cutRights || !slices.Contains(*ch.DepartmentIDs, d)
			}
			u.DepartmentIDs = orEmpty(*ch.DepartmentIDs)
		}
		if ch.PostIDs != nil {
			u.PostIDs = orEmpty(*ch.PostIDs)
		}
		if ch.Disabled != nil {
			u.Disabled = *ch.Disabled
			cutRights = cutRights || u.Disabled
		}
		if ch.Unlock {
			u.Failures, u.LockedUntil = nil, time.Time{}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return u, problem.NotFound("用户不存在", "no such user")
	}
	if err != nil {
		return u, err
	}
	if cutRights {
		if err := s.revokeTokens(ctx, id); err != nil {
			return u, err
		}
	}
	return u, s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "user.update", Target: id, Outcome: audit.Success})
}

// SetPassword replaces a password (system administrator's reset, or the
// CLI with a nil principal).
func (s *Service) SetPassword(ctx context.Context, by Actor, id, password string) error {
	if by.Principal != nil {
		if err := s.require(by, PermUserManage); err != nil {
			return err
		}
	}
	u, err := s.User(ctx, id)
	if err != nil {
		return err
	}
	if err := auth.CheckPasswordPolicy(password, u.Username); err != nil {
		var pe *auth.PasswordPolicyError
		errors.As(err, &pe)
		return problem.Invalid(problem.Field("password", pe.Zh, pe.En))
	}
	hash, err := HashForStore(password)
	if err != nil {
		return err
	}
	if _, _, err := store.Update(ctx, s.store, colUsers, id, func(u *User) error {
		u.PasswordHash, u.PasswordSetAt, u.Failures = hash, s.now(), nil
		u.LockedUntil = time.Time{}
		return nil
	}); err != nil {
		return err
	}
	if err := s.revokeTokens(ctx, id); err != nil {
		return err
	}
	return s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "user.password.reset", Target: id, Outcome: audit.Success})
}

// SetClearance changes a user's clearance (security administrator).
func (s *Service) SetClearance(ctx context.Context, by Actor, id string, clearance classification.Level) (User, error) {
	if err := s.require(by, PermGrantManage); err != nil {
		return User{}, err
	}
	if err := validation.Classification("clearance", clearance); err != nil {
		return User{}, err
	}
	var lowered bool
	u, _, err := store.Update(ctx, s.store, colUsers, id, func(u *User) error {
		lowered = clearance.Rank() < u.Clearance.Rank()
		u.Clearance = clearance
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return u, problem.NotFound("用户不存在", "no such user")
	}
	if err != nil {
		return u, err
	}
	if lowered {
		if err := s.revokeTokens(ctx, id); err != nil {
			return u, err
		}
	}
	return u, s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "user.clearance.set", Target: id,
		Outcome: audit.Success, Details: map[string]any{"clearance": clearance}})
}

// ListUsers returns every account, sorted by display name in Chinese
// (pinyin) order.
func (s *Service) ListUsers(ctx context.Context, by Actor) ([]PublicUser, error) {
	if by.Principal == nil || !(by.Principal.Can(PermUserManage, auth.OfficeWide) || by.Principal.Can(PermGrantManage, auth.OfficeWide)) {
		return nil, problem.Forbidden()
	}
	users, err := scanAll[User](ctx, s.store, colUsers)
	if err != nil {
		return nil, err
	}
	out := make([]PublicUser, len(users))
	for i, u := range users {
		out[i] = u.Public()
	}
	c := collate.New(language.Chinese)
	sort.SliceStable(out, func(i, j int) bool { return c.CompareString(out[i].DisplayName, out[j].DisplayName) < 0 })
	return out, nil
}

// GrantRole gives a user a role (security administrator). The three
// officers' roles are office-wide, never held two by one account, and
// never granted by an account to itself.
func (s *Service) GrantRole(ctx context.Context, by Actor, userID, roleKey, departmentID string) (Grant, error) {
	if err := s.require(by, PermGrantManage); err != nil {
		return Grant{}, err
	}
	role, ok := RoleByKey(roleKey)
	if !ok {
		return Grant{}, problem.Invalid(problem.Field("role", "角色不存在", "no such role"))
	}
	if by.Principal != nil && by.Principal.UserID == userID {
		return Grant{}, problem.New(403, "self_grant", "不能给自己授权", "you may not grant roles to yourself")
	}
	if departmentID == "" {
		departmentID = auth.OfficeWide
	}
	if role.Officer && departmentID != auth.OfficeWide {
		return Grant{}, problem.Invalid(problem.Field("departmentId", "三员角色只能在全办范围授予", "officer roles are office-wide"))
	}
	if departmentID != auth.OfficeWide {
		if _, _, err := store.Load[Department](ctx, s.store, colDepartments, departmentID); errors.Is(err, store.ErrNotFound) {
			return Grant{}, problem.Invalid(problem.Field("departmentId", "处室不存在", "no such department"))
		}
	}
	if _, err := s.User(ctx, userID); err != nil {
		return Grant{}, err
	}
	g := Grant{ID: newID(), Role: roleKey, DepartmentID: departmentID, GrantedBy: by.id(), GrantedAt: s.now()}
	if err := s.updateGrants(ctx, userID, func(gs *grantSet) error {
		for _, old := range gs.Grants {
			if old.Role == g.Role && old.DepartmentID == g.DepartmentID {
				return problem.Conflict("该用户已有此授权", "the user already holds this grant")
			}
			if oldRole, _ := RoleByKey(old.Role); role.Officer && oldRole.Officer {
				return problem.New(409, "separation_of_duties",
					fmt.Sprintf("三员分立：该用户已是%s，不能再兼任%s", oldRole.Name, role.Name),
					"separation of duties: the account already holds "+old.Role)
			}
		}
		gs.Grants = append(gs.Grants, g)
		return nil
	}); err != nil {
		_ = s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "grant.create", Target: userID,
			Outcome: audit.Failure, Reason: err.Error(), Details: map[string]any{"role": roleKey, "departmentId": departmentID}})
		return Grant{}, err
	}
	return g, s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "grant.create", Target: userID,
		Outcome: audit.Success, Details: map[string]any{"role": roleKey, "departmentId": departmentID, "grantId": g.ID}})
}

// RevokeGrant removes a grant (security administrator).
func (s *Service) RevokeGrant(ctx context.Context, by Actor, userID, grantID string) error {
	if err := s.require(by, PermGrantManage); err != nil {
		return err
	}
	if err := s.updateGrants(ctx, userID, func(gs *grantSet) error {
		i := slices.IndexFunc(gs.Grants, func(g Grant) bool { return g.ID == grantID })
		if i < 0 {
			return problem.NotFound("授权不存在", "no such grant")
		}
		gs.Grants = slices.Delete(gs.Grants, i, i+1)
		return nil
	}); err != nil {
		return err
	}
	if err := s.revokeTokens(ctx, userID); err != nil {
		return err
	}
	return s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "grant.revoke", Target: userID,
		Outcome: audit.Success, Details: map[string]any{"grantId": grantID}})
}

// revokeTokens refuses the user's access tokens issued until now, after a
// change that takes rights away (disabled, password reset, a grant
// revoked, clearance lowered, a department left): the next refresh issues
// a token that says what the user may do now.
func (s *Service) revokeTokens(ctx context.Context, userID string) error {
	return s.tokens.Revocations().RevokeUser(ctx, userID)
}

// updateGrants applies change to a user's grant set with CAS (creating the
// set on first use), so two concurrent grants cannot together break the
// separation of duties.
func (s *Service) updateGrants(ctx context.Context, userID string, change func(*grantSet) error) error {
	_, err := store.UpdateAll(ctx, s.store, func(ctx context.Context, b *store.Batch) error {
		gs := grantSet{UserID: userID}
		if _, err := b.Load(ctx, colGrants, userID, &gs); err != nil {
			return err
		}
		if err := change(&gs); err != nil {
			return err
		}
		return b.Save(colGrants, userID, gs)
	})
	return err
}

// require checks an office-wide permission of the actor. A nil principal
// is the local CLI, which runs with the operator's shell access.
func (s *Service) require(by Actor, perm auth.Permission) error {
	if by.Principal == nil {
		return nil
	}
	if !by.Principal.Can(perm, auth.OfficeWide) {
		return problem.Forbidden()
	}
	return nil
}

func scanAll[T any](ctx context.Context, s store.Store, collection string) ([]T, error) {
	var out []T
	after := ""
	for {
		page, err := s.Scan(ctx, collection, after, 500)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return out, nil
		}
		for _, d := range page {
			var v T
			if err := d.Decode(&v); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		after = page[len(page)-1].ID
	}
}
