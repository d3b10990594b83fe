// Package auth holds what every service needs to know who is calling:
// access-token issuing and verification (EdDSA JWTs with a kid), the
// Principal a verified token describes, the permission check, the Fiber
// middleware, and password hashing.
package auth

import (
	"slices"

	"zhengwu/shared/classification"
)

// OfficeWide is the scope of a grant that covers every department.
const OfficeWide = "*"

// Principal is the verified caller.
type Principal struct {
	UserID   string `json:"uid"`
	Username string `json:"username"`
	Name     string `json:"name"`
	// Clearance is the highest 密级 the user may read.
	Clearance classification.Level `json:"clearance"`
	// Departments the user belongs to (ids).
	Departments []string `json:"depts,omitempty"`
	// Perms maps a permission to the departments where it applies;
	// OfficeWide ("*") means everywhere.
	Perms map[string][]string `json:"perms,omitempty"`
	// PasswordChange, when set, restricts the token to changing the
	// password (MLPS level 3: after a reset, at the first login, and once
	// the password has expired): it says why ("reset", "first_login",
	// "expired"). Required and Optional refuse such a token everywhere
	// else with password_change_required.
	PasswordChange string `json:"pwc,omitempty"`
}

// MustChangePassword reports whether p may only change its password.
func (p *Principal) MustChangePassword() bool { return p != nil && p.PasswordChange != "" }

// Can reports whether p holds perm in the department (or office-wide when
// department is OfficeWide, which only an office-wide grant satisfies).
func (p *Principal) Can(perm Permission, department string) bool {
	if p == nil {
		return false
	}
	scopes := p.Perms[perm.key]
	return slices.Contains(scopes, OfficeWide) || (department != OfficeWide && slices.Contains(scopes, department))
}

// Scopes are the departments where p holds perm (OfficeWide among them
// for an office-wide grant); nil when it holds it nowhere.
func (p *Principal) Scopes(perm Permission) []string {
	if p == nil {
		return nil
	}
	return p.Perms[perm.key]
}

// CanAnywhere reports whether p holds perm in at least one scope.
func (p *Principal) CanAnywhere(perm Permission) bool {
	return p != nil && len(p.Perms[perm.key]) > 0
}

// MayRead reports whether p's clearance covers level (an unknown level:
// never).
func (p *Principal) MayRead(level classification.Level) bool {
	return p != nil && p.Clearance.Covers(level)
}
