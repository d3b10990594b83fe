package auth

import (
	"fmt"
	"slices"
	"sort"
)

// Permission is a right that a capability checks (Principal.Can). Every
// permission is declared once, in this file, with its Chinese name; a
// capability names the variable, so a misspelt permission does not
// compile, and a role that names an undeclared one fails Check at start.
//
// Permissions are held through roles (Roles, below), granted in one
// department or office-wide (OfficeWide).
type Permission struct {
	key  string
	name string
}

// Key is the permission's stable name, as tokens carry it
// ("info.item.edit").
func (p Permission) Key() string { return p.key }

// Name is the permission's Chinese name, for the officers' console.
func (p Permission) Name() string { return p.name }

// MarshalText makes a Permission its key in JSON.
func (p Permission) MarshalText() ([]byte, error) { return []byte(p.key), nil }

var declared = map[string]Permission{}

// declare adds a permission to the registry; a key declared twice is a
// programming error caught when the process starts.
func declare(key, name string) Permission {
	if _, dup := declared[key]; dup {
		panic("auth: permission " + key + " declared twice")
	}
	p := Permission{key: key, name: name}
	declared[key] = p
	return p
}

// The permissions, by capability.
var (
	// Identity and the three officers (三员).
	PermUserManage   = declare("user.manage", "管理用户账号")   // system administrator
	PermOrgManage    = declare("org.manage", "管理处室和岗位")   // system administrator
	PermConfigManage = declare("config.manage", "管理系统配置") // system administrator
	PermGrantManage  = declare("grant.manage", "授予角色和密级") // security administrator
	PermPolicyManage = declare("policy.manage", "制定安全策略") // security administrator
	PermAuditRead    = declare("audit.read", "查阅和导出审计日志") // auditor
	PermOfficeRead   = declare("office.read", "使用办公业务系统") // every member of staff

	// Department information platforms (officeapi/info).
	PermInfoEdit   = declare("info.item.edit", "撰写和报送部门信息")
	PermInfoReview = declare("info.item.review", "审核发布部门信息")

	// The portal (cms): editing, the two review steps, publication;
	// portal.item.publish also approves an office item's crossing.
	PermPortalEdit    = declare("portal.item.edit", "编辑门户信息")
	PermPortalReview  = declare("portal.item.review", "初审门户信息")
	PermPortalPublish = declare("portal.item.publish", "终审发布门户信息")

	// Official documents (公文).
	PermDocDraft    = declare("doc.draft", "起草公文")
	PermDocApprove  = declare("doc.approve", "审核签发公文")
	PermDocRegister = declare("doc.register", "公文登记编号")
	PermDocDispatch = declare("doc.dispatch", "公文核发")

	// The office's business configuration: flow definitions (流程定义)
	// and the working calendar (工作日历). A business administrator's
	// right, not one of the three officers': changing how documents flow
	// is the office's business, not system, security or audit work.
	PermFlowManage = declare("flow.manage", "维护流程定义和工作日历")

	// Leader schedules.
	PermScheduleView   = declare("schedule.view", "查看领导活动安排")
	PermScheduleSubmit = declare("schedule.leader.submit", "报送领导活动")

	// Leave requests (officeapi/leave): staff apply in their department,
	// its head approves.
	PermLeaveApply   = declare("leave.apply", "提交请假申请")
	PermLeaveApprove = declare("leave.approve", "审批请假")
	// The archive (officeapi/archive): the archivist keeps it (撤销/废止,
	// 鉴定, fixity checks, export to the archives system); archive.read
	// reads every record of its scope, under the reader's clearance.
	PermArchiveManage = declare("archive.manage", "管理档案")
	PermArchiveRead   = declare("archive.read", "查阅档案")
)

// Role is a named bundle of permissions. Roles are built in: a deployment
// grants them, it does not edit them, so that no one can assemble a role
// that breaks the separation of duties.
type Role struct {
	Key   string       `json:"key"`
	Name  string       `json:"name"`
	Perms []Permission `json:"permissions"`
	// Officer marks the three officers' roles: no account may hold two,
	// they are granted office-wide only, and no other role holds any of
	// their permissions.
	Officer bool `json:"officer"`
}

// Keys of the built-in roles.
const (
	RoleSysAdmin = "sysadmin"
	RoleSecAdmin = "secadmin"
	RoleAuditor  = "auditor"
	RoleLeader   = "leader"
	RoleDeptHead = "dept_head"
	RoleEditor   = "editor"
	RoleReviewer = "reviewer"
	RoleClerk    = "clerk"
	RoleStaff    = "staff"
	// RoleOfficeAdmin is the business administrator (业务管理员): keeps
	// the flow definitions and the working calendar.
	RoleOfficeAdmin = "office_admin"
	// RoleArchivist is the archivist (档案员): keeps the archive.
	RoleArchivist = "archivist"
)

// Roles are the built-in roles.
var Roles = []Role{
	{Key: RoleSysAdmin, Name: "系统管理员", Officer: true, Perms: []Permission{PermUserManage, PermOrgManage, PermConfigManage}},
	{Key: RoleSecAdmin, Name: "安全保密管理员", Officer: true, Perms: []Permission{PermGrantManage, PermPolicyManage}},
	{Key: RoleAuditor, Name: "安全审计员", Officer: true, Perms: []Permission{PermAuditRead}},
	{Key: RoleLeader, Name: "领导", Perms: []Permission{PermOfficeRead, PermDocApprove, PermScheduleView, PermScheduleSubmit, PermLeaveApply, PermLeaveApprove}},
	// 处室负责人: approves in their own department (grant it there).
	{Key: RoleDeptHead, Name: "处室负责人", Perms: []Permission{PermOfficeRead, PermDocDraft, PermDocApprove, PermInfoReview, PermScheduleView, PermLeaveApply, PermLeaveApprove}},
	{Key: RoleEditor, Name: "信息编辑", Perms: []Permission{PermOfficeRead, PermInfoEdit, PermPortalEdit}},
	{Key: RoleReviewer, Name: "信息审核", Perms: []Permission{PermOfficeRead, PermInfoReview, PermPortalReview, PermPortalPublish}},
	{Key: RoleClerk, Name: "收发文员", Perms: []Permission{PermOfficeRead, PermDocDraft, PermDocRegister, PermDocDispatch}},
	{Key: RoleStaff, Name: "工作人员", Perms: []Permission{PermOfficeRead, PermDocDraft, PermLeaveApply}},
	{Key: RoleOfficeAdmin, Name: "业务管理员", Perms: []Permission{PermOfficeRead, PermFlowManage}},
	{Key: RoleArchivist, Name: "档案员", Perms: []Permission{PermOfficeRead, PermArchiveRead, PermArchiveManage}},
}

// RoleByKey finds a built-in role.
func RoleByKey(key string) (Role, bool) {
	i := slices.IndexFunc(Roles, func(r Role) bool { return r.Key == key })
	if i < 0 {
		return Role{}, false
	}
	return Roles[i], true
}

// Permissions lists every declared permission, sorted by key.
func Permissions() []Permission {
	out := make([]Permission, 0, len(declared))
	for _, p := range declared {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// CheckRegistry reports a role table that breaks the rules: a role with an
// undeclared or zero permission, two roles with one key, an officer's
// permission that another role also holds (三员分立), a declared
// permission no role holds. The server runs it at start.
func CheckRegistry() error {
	keys := map[string]bool{}
	holders := map[string][]Role{}
	for _, r := range Roles {
		if keys[r.Key] {
			return fmt.Errorf("auth: role %s defined twice", r.Key)
		}
		keys[r.Key] = true
		for _, p := range r.Perms {
			if _, ok := declared[p.key]; !ok || p.key == "" {
				return fmt.Errorf("auth: role %s holds an undeclared permission %q", r.Key, p.key)
			}
			holders[p.key] = append(holders[p.key], r)
		}
	}
	for key, rs := range holders {
		for _, r := range rs {
			if r.Officer && len(rs) > 1 {
				return fmt.Errorf("auth: officer permission %s is also held by another role", key)
			}
		}
	}
	for key := range declared {
		if len(holders[key]) == 0 {
			return fmt.Errorf("auth: permission %s is held by no role", key)
		}
	}
	return nil
}
