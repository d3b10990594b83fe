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
	DepartmentIDs []string `json:"departmentIds" validate:"max=20,dive,orgid"`
	PostIDs       []string `json:"postIds" validate:"max=20,dive,orgid"`
	// PasswordChosen says the account's owner chose the password (the
	// demo seed), so the first login need not change it; never from JSON.
	PasswordChosen bool `json:"-"`
}

// CreateUser adds an account (system administrator). New accounts are
// unclassified (非密) and hold no grants: clearance and grants are the
// security administrator's to give. The administrator chose the first
// password, so the user must change it at the first login.
func (s *Service) CreateUser(ctx context.Context, by Actor, in NewUser) (User, error) {
	if err := s.require(by, PermUserManage); err != nil {
		return User{}, err
	}
	if err := auth.CheckPasswordPolicy(in.Password, in.Username); err != nil {
		return User{}, policyProblem("password", err)
	}
	if err := s.checkOrgRefs(ctx, in.DepartmentIDs, in.PostIDs); err != nil {
		return User{}, err
	}
	hash, err := HashForStore(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{Account: Account{ID: newID(), Username: in.Username, DisplayName: in.DisplayName,
		Clearance: classification.Feimi, DepartmentIDs: orEmpty(in.DepartmentIDs), PostIDs: orEmpty(in.PostIDs)},
		PasswordHash: hash, CreatedAt: now, PasswordSetAt: now}
	if !in.PasswordChosen {
		u.PasswordChange = PasswordFirstLogin
	}
	// The username's create-only document is what makes usernames
	// unique, even when two admins race; it, the account and the audit
	// entry are one write, so no username is claimed by a missing account.
	claim, err := store.Encode(map[string]string{"userId": u.ID})
	if err != nil {
		return User{}, err
	}
	account, err := store.Encode(u)
	if err != nil {
		return User{}, err
	}
	_, err = s.trail.Commit(ctx, []store.Write{
		{Collection: colUsernames, ID: usernameKey(u.Username), Data: claim},
		{Collection: colUsers, ID: u.ID, Data: account},
	}, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "user.create", Target: u.ID,
		Outcome: audit.Success, Details: map[string]any{"username": u.Username}})
	if err != nil {
		return User{}, taken(err, "username", "用户名已存在", "username already taken")
	}
	return u, nil
}

// HashForStore hashes a password for a User record.
func HashForStore(password string) (string, error) { return auth.HashPassword(password) }

// UserChange is a partial update of an account (system administrator).
type UserChange struct {
	DisplayName   *string   `json:"displayName" validate:"omitempty,min=1,max=64,nocontrol"`
	DepartmentIDs *[]string `json:"departmentIds" validate:"omitempty,max=20,dive,orgid"`
	PostIDs       *[]string `json:"postIds" validate:"omitempty,max=20,dive,orgid"`
	Disabled      *bool     `json:"disabled"`
	// Unlock clears a lockout.
	Unlock bool `json:"unlock"`
}

// UpdateUser changes an account (system administrator). Its own account
// and the other officers' are refused: those take an OfficerChange.
func (s *Service) UpdateUser(ctx context.Context, by Actor, id string, ch UserChange) (User, error) {
	if err := s.require(by, PermUserManage); err != nil {
		return User{}, err
	}
	if err := s.guardAccount(ctx, by, id); err != nil {
		return User{}, err
	}
	return s.updateUser(ctx, by, id, ch, nil)
}

// updateUser applies ch to an account; details go to the audit entry.
func (s *Service) updateUser(ctx context.Context, by Actor, id string, ch UserChange, details map[string]any) (User, error) {
	var depts, posts []string
	if ch.DepartmentIDs != nil {
		depts = *ch.DepartmentIDs
	}
	if ch.PostIDs != nil {
		posts = *ch.PostIDs
	}
	if err := s.checkOrgRefs(ctx, depts, posts); err != nil {
		return User{}, err
	}
	if details == nil {
		details = map[string]any{}
	}
	for k, v := range changedFields(ch) {
		details[k] = v
	}
	return s.writeUser(ctx, id, func(u *User) (audit.Event, bool, error) {
		cutRights := false
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
		return audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "user.update", Target: id, Outcome: audit.Success,
			Details: details}, cutRights, nil
	})
}

// writeUser is the audited change of account id (404 when there is
// none); when change says it cut the account's rights (disabled, a
// department left, a lower clearance), the account's tokens are revoked,
// so that none outlives them.
func (s *Service) writeUser(ctx context.Context, id string, change func(u *User) (audit.Event, bool, error)) (User, error) {
	var cut bool
	u, _, err := audit.Update(ctx, s.trail, colUsers, id, func(u *User) (ev audit.Event, err error) {
		ev, cut, err = change(u)
		return ev, err
	})
	if err != nil {
		return u, missing(err, "用户不存在", "no such user")
	}
	if cut {
		if err := s.revokeTokens(ctx, id); err != nil {
			return u, err
		}
	}
	return u, nil
}

// changedFields names what a UserChange changes, for the audit trail.
func changedFields(ch UserChange) map[string]any {
	d := map[string]any{}
	if ch.DisplayName != nil {
		d["displayName"] = *ch.DisplayName
	}
	if ch.DepartmentIDs != nil {
		d["departmentIds"] = *ch.DepartmentIDs
	}
	if ch.PostIDs != nil {
		d["postIds"] = *ch.PostIDs
	}
	if ch.Disabled != nil {
		d["disabled"] = *ch.Disabled
	}
	if ch.Unlock {
		d["unlock"] = true
	}
	return d
}

// SetPassword resets a password: the system administrator's reset of an
// account that is neither its own nor another officer's, or — with a nil
// principal — the break-glass reset of the CLI (`zhengwu admin
// reset-password`, run with shell access on the server), which may reset
// any account and is audited as such. Either way the user must change the
// password at the next login.
func (s *Service) SetPassword(ctx context.Context, by Actor, id, password string) error {
	ev := audit.Event{}
	if by.Principal != nil {
		if err := s.require(by, PermUserManage); err != nil {
			return err
		}
		if err := s.guardAccount(ctx, by, id); err != nil {
			return err
		}
	} else {
		ev.Reason = "break-glass reset from the server's shell (zhengwu admin reset-password)"
		ev.Details = map[string]any{"breakGlass": true}
	}
	u, err := s.User(ctx, id)
	if err != nil {
		return err
	}
	return s.setPassword(ctx, by, u, password, ev)
}

// SetClearance changes a user's clearance (security administrator), but
// not its own nor another officer's (an OfficerChange).
func (s *Service) SetClearance(ctx context.Context, by Actor, id string, clearance classification.Level) (User, error) {
	if err := s.require(by, PermGrantManage); err != nil {
		return User{}, err
	}
	if err := validation.Classification("clearance", clearance); err != nil {
		return User{}, err
	}
	if err := s.guardAccount(ctx, by, id); err != nil {
		return User{}, err
	}
	return s.setClearance(ctx, by, id, clearance, nil)
}

func (s *Service) setClearance(ctx context.Context, by Actor, id string, clearance classification.Level, details map[string]any) (User, error) {
	if details == nil {
		details = map[string]any{}
	}
	details["clearance"] = clearance
	return s.writeUser(ctx, id, func(u *User) (audit.Event, bool, error) {
		lowered := clearance.Rank() < u.Clearance.Rank()
		u.Clearance = clearance
		return audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "user.clearance.set", Target: id,
			Outcome: audit.Success, Details: details}, lowered, nil
	})
}

// ListUsers returns every account with the roles it holds, sorted by
// display name in Chinese (pinyin) order: for the three officers (the
// auditor reads it to name the actors of the trail).
func (s *Service) ListUsers(ctx context.Context, by Actor) ([]UserSummary, error) {
	if by.Principal == nil || !isOfficer(by.Principal) {
		return nil, problem.Forbidden()
	}
	users, roles, err := s.everyone(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]UserSummary, len(users))
	for i, u := range users {
		out[i] = UserSummary{PublicUser: u.Public(), Roles: []string{}}
		for _, g := range roles[u.ID] {
			if !slices.Contains(out[i].Roles, g.Role) {
				out[i].Roles = append(out[i].Roles, g.Role)
			}
			if r, ok := RoleByKey(g.Role); ok && r.Officer {
				out[i].Officer = r.Key
			}
		}
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
	if departmentID != auth.OfficeWide && !validation.OrgID(departmentID) {
		return Grant{}, problem.Invalid(problem.Field("departmentId", "处室不存在", "no such department"))
	}
	if role.Officer && departmentID != auth.OfficeWide {
		return Grant{}, problem.Invalid(problem.Field("departmentId", "三员角色只能在全办范围授予", "officer roles are office-wide"))
	}
	if departmentID != auth.OfficeWide {
		if _, _, err := store.Load[Department](ctx, s.store, colDepartments, departmentID); errors.Is(err, store.ErrNotFound) {
			return Grant{}, problem.Invalid(problem.Field("departmentId", "处室不存在", "no such department"))
		}
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return Grant{}, err
	}
	// An officer's account holds its one officer role and nothing else,
	// and belongs to no department: it must not read a department's
	// restricted content through membership or a department role.
	if role.Officer && (len(u.DepartmentIDs) > 0 || len(u.PostIDs) > 0) {
		return Grant{}, problem.New(409, "officer_in_department",
			"三员账号不得隶属处室或担任岗位：请先将该账号移出所有处室和岗位", "an officer's account belongs to no department and holds no post")
	}
	g := Grant{ID: newID(), Role: roleKey, DepartmentID: departmentID, GrantedBy: by.id(), GrantedAt: s.now()}
	if err := s.updateGrants(ctx, userID, func(gs *grantSet) error {
		for _, old := range gs.Grants {
			oldRole, _ := RoleByKey(old.Role)
			switch {
			case old.Role == g.Role && old.DepartmentID == g.DepartmentID:
				return problem.Conflict("该用户已有此授权", "the user already holds this grant")
			case role.Officer && oldRole.Officer:
				return problem.New(409, "separation_of_duties",
					fmt.Sprintf("三员分立：该用户已是%s，不能再兼任%s", oldRole.Name, role.Name),
					"separation of duties: the account already holds "+old.Role)
			case role.Officer:
				return problem.New(409, "officer_exclusive",
					"三员账号不得持有其他角色：请先撤销该账号的其他授权", "an officer's account holds no other role")
			case oldRole.Officer && by.Principal != nil:
				return errOfficerAccount
			case oldRole.Officer:
				return problem.New(409, "officer_exclusive",
					"三员账号不得持有其他角色", "an officer's account holds no other role")
			}
		}
		gs.Grants = append(gs.Grants, g)
		return nil
	}, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "grant.create", Target: userID,
		Outcome: audit.Success, Details: map[string]any{"role": roleKey, "departmentId": departmentID, "grantId": g.ID}}); err != nil {
		_ = s.record(ctx, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "grant.create", Target: userID,
			Outcome: audit.Failure, Reason: err.Error(), Details: map[string]any{"role": roleKey, "departmentId": departmentID}})
		return Grant{}, err
	}
	return g, nil
}

// RevokeGrant removes a grant (security administrator), but not one of
// its own nor of another officer (an OfficerChange).
func (s *Service) RevokeGrant(ctx context.Context, by Actor, userID, grantID string) error {
	if err := s.require(by, PermGrantManage); err != nil {
		return err
	}
	if err := s.guardAccount(ctx, by, userID); err != nil {
		return err
	}
	return s.revokeGrant(ctx, by, userID, grantID, nil)
}

func (s *Service) revokeGrant(ctx context.Context, by Actor, userID, grantID string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["grantId"] = grantID
	if err := s.updateGrants(ctx, userID, func(gs *grantSet) error {
		i := slices.IndexFunc(gs.Grants, func(g Grant) bool { return g.ID == grantID })
		if i < 0 {
			return problem.NotFound("授权不存在", "no such grant")
		}
		gs.Grants = slices.Delete(gs.Grants, i, i+1)
		return nil
	}, audit.Event{Actor: by.id(), ActorIP: by.IP, Action: "grant.revoke", Target: userID,
		Outcome: audit.Success, Details: details}); err != nil {
		return err
	}
	return s.revokeTokens(ctx, userID)
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
// separation of duties; the change and its audit entry are one write.
func (s *Service) updateGrants(ctx context.Context, userID string, change func(*grantSet) error, ev audit.Event) error {
	_, err := audit.UpdateAll(ctx, s.trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
		gs := grantSet{UserID: userID}
		if _, err := b.Load(ctx, colGrants, userID, &gs); err != nil {
			return nil, err
		}
		if err := change(&gs); err != nil {
			return nil, err
		}
		return []audit.Event{ev}, b.Save(colGrants, userID, gs)
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
