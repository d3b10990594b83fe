// Package auth holds what every service needs to know who is calling:
// access-token issuing and verification (EdDSA JWTs with a kid), the
// Principal a verified token describes, the permission check, the Fiber
// middleware, and password hashing.
package auth

import "slices"

// Clearance levels (密级), ordered: a reader may read a classification at
// or below their clearance.
const (
	Unclassified = "非密"
	Secret       = "秘密"
	Confidential = "机密"
)

// ClearanceRank orders clearances; unknown values rank as -1 (nothing).
func ClearanceRank(level string) int {
	switch level {
	case Unclassified:
		return 0
	case Secret:
		return 1
	case Confidential:
		return 2
	}
	return -1
}

// ValidClearance reports whether level is one this deployment holds.
func ValidClearance(level string) bool { return ClearanceRank(level) >= 0 }

// OfficeWide is the scope of a grant that covers every department.
const OfficeWide = "*"

// Principal is the verified caller.
type Principal struct {
	UserID    string `json:"uid"`
	Username  string `json:"username"`
	Name      string `json:"name"`
	Clearance string `json:"clearance"`
	// Departments the user belongs to (ids).
	Departments []string `json:"depts,omitempty"`
	// Perms maps a permission to the departments where it applies;
	// OfficeWide ("*") means everywhere.
	Perms map[string][]string `json:"perms,omitempty"`
}

// Can reports whether p holds perm in the department (or office-wide when
// department is OfficeWide, which only an office-wide grant satisfies).
func (p *Principal) Can(perm, department string) bool {
	if p == nil {
		return false
	}
	scopes := p.Perms[perm]
	return slices.Contains(scopes, OfficeWide) || (department != OfficeWide && slices.Contains(scopes, department))
}

// CanAnywhere reports whether p holds perm in at least one scope.
func (p *Principal) CanAnywhere(perm string) bool {
	return p != nil && len(p.Perms[perm]) > 0
}

// MayRead reports whether p's clearance covers a classification.
func (p *Principal) MayRead(classification string) bool {
	return p != nil && ClearanceRank(classification) >= 0 &&
		ClearanceRank(p.Clearance) >= ClearanceRank(classification)
}
