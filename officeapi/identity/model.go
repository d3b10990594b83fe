package identity

import (
	"time"
	"zhengwu/shared/classification"
)

// Store collections owned by identity.
const (
	colDepartments = "departments"
	colPosts       = "posts"
	colUsers       = "users"
	colUsernames   = "usernames" // lower-cased username → user id, for uniqueness
	colGrants      = "grants"    // one document per user: all of their grants
	colSessions    = "sessions"  // one per login: a refresh-token family
	colRefresh     = "refresh_tokens"
	// colOfficerChanges holds the requests to change an officer's account
	// that a second officer approves (OfficerChange).
	colOfficerChanges = "officer_changes"
)

// Department is a node of the organisation tree: the office at the root,
// departments (处室) under it.
type Department struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	ParentID string `json:"parentId,omitempty"`
	Order    int    `json:"order"`
}

// Post is a position (岗位) in a department.
type Post struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	DepartmentID string `json:"departmentId"`
}

// Account is who a user is and what the account may reach: the part of a
// User that the APIs show as it is stored (PublicUser).
type Account struct {
	ID            string               `json:"id"`
	Username      string               `json:"username"`
	DisplayName   string               `json:"displayName"`
	Clearance     classification.Level `json:"clearance"`
	DepartmentIDs []string             `json:"departmentIds"`
	PostIDs       []string             `json:"postIds"`
	Disabled      bool                 `json:"disabled"`
}

// User is an account with its secrets. PasswordHash and the failure
// record never leave the service (see PublicUser).
type User struct {
	Account
	PasswordHash  string      `json:"passwordHash"`
	Failures      []time.Time `json:"failures,omitempty"`
	LockedUntil   time.Time   `json:"lockedUntil,omitzero"`
	CreatedAt     time.Time   `json:"createdAt"`
	PasswordSetAt time.Time   `json:"passwordSetAt"`
	// PasswordChange, when set, is why the user must change the password
	// before anything else: PasswordFirstLogin or PasswordReset.
	PasswordChange string `json:"passwordChange,omitempty"`
	// PasswordHistory holds the hashes of the previous passwords, newest
	// first (Policy.PasswordHistory - 1 of them), so that none is reused.
	PasswordHistory []string `json:"passwordHistory,omitempty"`
}

// Why a password must be changed (User.PasswordChange, and the token's
// restriction, auth.Principal.PasswordChange).
const (
	PasswordFirstLogin = "first_login" // an account's first password, chosen by the administrator
	PasswordReset      = "reset"       // set by an administrator (or the break-glass CLI)
	PasswordExpired    = "expired"     // older than Policy.PasswordMaxAge
)

// PublicUser is what APIs show of a user.
type PublicUser struct {
	Account
	// LockedUntil is set while failed logins keep the account locked.
	LockedUntil *time.Time `json:"lockedUntil,omitempty"`
	// PasswordChange is set while the user must change the password
	// (first_login, reset).
	PasswordChange string `json:"passwordChange,omitempty"`
}

// Public strips secrets.
func (u User) Public() PublicUser {
	p := PublicUser{Account: u.Account, PasswordChange: u.PasswordChange}
	p.DepartmentIDs, p.PostIDs = orEmpty(u.DepartmentIDs), orEmpty(u.PostIDs)
	if !u.LockedUntil.IsZero() {
		t := u.LockedUntil.UTC()
		p.LockedUntil = &t
	}
	return p
}

// UserSummary is a user as the officers' lists show it: with the roles
// held, so that officer accounts can be told apart.
type UserSummary struct {
	PublicUser
	Roles []string `json:"roles"`
	// Officer is the officer role held ("" for none): such an account is
	// changed only through an OfficerChange.
	Officer string `json:"officer,omitempty"`
}

// Grant gives a user a role in a department, or office-wide ("*").
type Grant struct {
	ID           string    `json:"id"`
	Role         string    `json:"role"`
	DepartmentID string    `json:"departmentId"`
	GrantedBy    string    `json:"grantedBy"`
	GrantedAt    time.Time `json:"grantedAt"`
}

type grantSet struct {
	UserID string  `json:"userId"`
	Grants []Grant `json:"grants"`
}

// session is one login: the family of refresh tokens it rotates through.
type session struct {
	ID        string    `json:"id"`
	UserID    string    `json:"userId"`
	CreatedAt time.Time `json:"createdAt"`
	LastUsed  time.Time `json:"lastUsed"`
	ExpiresAt time.Time `json:"expiresAt"`
	Revoked   bool      `json:"revoked"`
	Reason    string    `json:"reason,omitempty"`
}

// refreshToken is stored under the SHA-256 of the token, never the token.
type refreshToken struct {
	SessionID string    `json:"sessionId"`
	UserID    string    `json:"userId"`
	IssuedAt  time.Time `json:"issuedAt"`
	Used      bool      `json:"used"`
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
