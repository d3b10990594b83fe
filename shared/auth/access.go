package auth

import (
	"slices"

	"zhengwu/shared/classification"
)

// Access is who may read an object: its 密级, and its readers as tokens.
// Each kind of object has one function that computes it (info.AccessOf,
// for one), and every way to the object decides with that result: a read
// by id (Allows), a list (the list index stores Readers and filters on
// the principal's Tokens), a search (the office index stores them too) and
// a file download. None of them can then show what another hides.
type Access struct {
	Classification classification.Level
	// Readers are tokens (User, Member, Holder, Staff); a principal holding
	// any one of them may read, if its clearance covers the 密级.
	Readers []string
}

// Reader tokens.

// User is the token of one person.
func User(userID string) string { return "user:" + userID }

// Member is the token every member of a department holds.
func Member(department string) string { return "dept:" + department }

// Holder is the token of whoever holds perm in scope (a department, or
// OfficeWide for an office-wide grant; an office-wide grant does not make
// its holder a holder in each department).
func Holder(perm Permission, scope string) string { return "perm:" + perm.key + "@" + scope }

// Staff is the token every signed-in principal holds.
const Staff = "staff"

// Tokens are the reader tokens p holds: Staff, its user id, its
// departments, and each permission in each scope it holds it in.
func (p *Principal) Tokens() []string {
	if p == nil {
		return nil
	}
	n := 2 + len(p.Departments)
	for _, scopes := range p.Perms {
		n += len(scopes)
	}
	t := make([]string, 0, n)
	t = append(t, Staff, User(p.UserID))
	for _, d := range p.Departments {
		t = append(t, Member(d))
	}
	for key, scopes := range p.Perms {
		for _, s := range scopes {
			t = append(t, "perm:"+key+"@"+s)
		}
	}
	return t
}

// Allows reports whether p may read the object: a clearance that covers
// its 密级 and one of its reader tokens.
func (a Access) Allows(p *Principal) bool {
	if p == nil || !p.MayRead(a.Classification) {
		return false
	}
	for _, t := range p.Tokens() {
		if slices.Contains(a.Readers, t) {
			return true
		}
	}
	return false
}
