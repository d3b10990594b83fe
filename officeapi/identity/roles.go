// Package identity is the office's organisation and its people: the tree
// of the office, departments (处室) and posts (岗位); users and their
// clearance; grants of the built-in roles (shared/auth's registry) scoped
// to a department or office-wide; login, token refresh and logout with
// lockout; and the separation of the three officers (三员分立).
package identity

import "zhengwu/shared/auth"

// Role is a built-in role (declared in shared/auth with its permissions).
type Role = auth.Role

// The three officers.
const (
	RoleSysAdmin = auth.RoleSysAdmin
	RoleSecAdmin = auth.RoleSecAdmin
	RoleAuditor  = auth.RoleAuditor
)

// Permissions the identity capability itself checks.
var (
	PermUserManage  = auth.PermUserManage  // system administrator: users
	PermOrgManage   = auth.PermOrgManage   // system administrator: departments, posts
	PermGrantManage = auth.PermGrantManage // security administrator: grants, clearances
	PermAuditRead   = auth.PermAuditRead   // auditor
)

// Roles are the built-in roles a deployment grants.
func Roles() []Role { return auth.Roles }

// RoleByKey finds a built-in role.
func RoleByKey(key string) (Role, bool) { return auth.RoleByKey(key) }
