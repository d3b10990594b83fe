// Package identity is the office's organisation and its people: the tree
// of the office, departments (处室) and posts (岗位); users and their
// clearance; roles, permissions and grants scoped to a department or
// office-wide; login, token refresh and logout with lockout; and the
// separation of the three officers (三员分立).
package identity

import "slices"

// Role is a named bundle of permissions.
type Role struct {
	Key   string   `json:"key"`
	Name  string   `json:"name"`
	Perms []string `json:"permissions"`
	// Officer marks the three officers' roles: no account may hold two,
	// and they are granted office-wide only.
	Officer bool `json:"officer"`
}

// The three officers.
const (
	RoleSysAdmin = "sysadmin"
	RoleSecAdmin = "secadmin"
	RoleAuditor  = "auditor"
)

// Permissions the identity capability itself checks.
const (
	PermUserManage  = "user.manage"  // system administrator: users
	PermOrgManage   = "org.manage"   // system administrator: departments, posts
	PermGrantManage = "grant.manage" // security administrator: grants, clearances
	PermAuditRead   = "audit.read"   // auditor
)

// Roles are built in: a deployment grants them, it does not edit them, so
// that no one can assemble a role that breaks the separation of duties.
var Roles = []Role{
	{Key: RoleSysAdmin, Name: "系统管理员", Perms: []string{PermUserManage, PermOrgManage, "config.manage"}, Officer: true},
	{Key: RoleSecAdmin, Name: "安全保密管理员", Perms: []string{PermGrantManage, "policy.manage"}, Officer: true},
	{Key: RoleAuditor, Name: "安全审计员", Perms: []string{PermAuditRead}, Officer: true},
	{Key: "leader", Name: "领导", Perms: []string{"office.read", "doc.approve", "schedule.view", "schedule.leader.submit"}},
	{Key: "editor", Name: "信息编辑", Perms: []string{"office.read", "info.item.edit", "portal.item.edit"}},
	{Key: "reviewer", Name: "信息审核", Perms: []string{"office.read", "info.item.review", "portal.item.review", "portal.item.publish"}},
	{Key: "clerk", Name: "收发文员", Perms: []string{"office.read", "doc.register", "doc.dispatch"}},
	{Key: "staff", Name: "工作人员", Perms: []string{"office.read"}},
}

// RoleByKey finds a built-in role.
func RoleByKey(key string) (Role, bool) {
	i := slices.IndexFunc(Roles, func(r Role) bool { return r.Key == key })
	if i < 0 {
		return Role{}, false
	}
	return Roles[i], true
}
