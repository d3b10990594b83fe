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
	PermSealManage   = declare("seal.manage", "管理电子印章")   // security administrator: seal keys and images
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
	// PermMailGroups keeps the office-wide mail groups (全体处长…); everyone
	// keeps their own distribution lists without it.
	PermMailGroups = declare("mail.groups", "维护全办邮件组")

	// Leader schedules (officeapi/schedule): departments submit, the
	// office (综合处) compiles and publishes, a leader of the office
	// approves, the holders of schedule.view read the published weeks.
	PermScheduleView    = declare("schedule.view", "查看领导活动安排")
	PermScheduleSubmit  = declare("schedule.leader.submit", "报送领导活动")
	PermScheduleCompile = declare("schedule.compile", "编排发布领导活动安排")
	PermScheduleApprove = declare("schedule.approve", "审定领导活动安排")

	// Leave requests (officeapi/leave): staff apply in their department,
	// its head approves.
	PermLeaveApply   = declare("leave.apply", "提交请假申请")
	PermLeaveApprove = declare("leave.approve", "审批请假")

	// The print room (officeapi/print): 印制 of outgoing documents and
	// the departments' ordinary print jobs (sent with office.read).
	PermPrintOperate = declare("print.operate", "文印室印制")
	// Meetings (officeapi/meeting): organising a meeting (booking a room,
	// inviting, notices, seating, check-in, minutes) in a department, and
	// keeping the meeting rooms (会务处, office-wide).
	PermMeetingOrganise   = declare("meeting.organise", "组织会议")
	PermMeetingRoomManage = declare("meeting.room.manage", "管理会议室")
	// Duty (officeapi/duty): 值班室 drafts and publishes the monthly
	// roster and approves swaps (duty.manage); duty staff keep the log and
	// hand over (duty.log); leaders lead a shift, read the log, give 批示
	// and acknowledge what is escalated to them (duty.lead). The log holds
	// callers' phone numbers: only these three read it.
	PermDutyManage = declare("duty.manage", "管理值班")
	PermDutyLog    = declare("duty.log", "填写值班记录")
	PermDutyLead   = declare("duty.lead", "带班和批示值班事项")
	// The archive (officeapi/archive): the archivist keeps it (撤销/废止,
	// 鉴定, fixity checks, export to the archives system); archive.read
	// reads every record of its scope, under the reader's clearance.
	PermArchiveManage = declare("archive.manage", "管理档案")
	PermArchiveRead   = declare("archive.read", "查阅档案")
	// Video on demand (officeapi/video): the information editors keep the
	// library (upload, edit, withdraw) in their department; staff watch.
	PermVideoManage = declare("video.manage", "管理视频点播")
	// The forum (officeapi/forum): the business administrator keeps the
	// boards (create, rename, moderators, 密级 ceiling) and may moderate
	// any of them; reading and posting need only office.read and the board.
	PermForumManage = declare("forum.manage", "管理论坛版块")

	// Search analytics (#15): what searchers looked for, and the synonym
	// list they are answered with; the portal's editors act on both.
	PermSearchAnalytics = declare("search.analytics", "查看搜索分析")
	PermSearchSynonyms  = declare("search.synonyms", "维护检索同义词")
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
	// RolePrintRoom is the print room's operator (文印员): claims,
	// proofreads, checks and completes print jobs (grant it office-wide).
	RolePrintRoom = "print_room"
	// RoleMeetingAdmin is 会务处's meeting administrator (会务管理员):
	// organises meetings and keeps the rooms.
	RoleMeetingAdmin = "meeting_admin"
	// RoleDutyHead is 值班室's head (值班室主任): rosters and swaps.
	RoleDutyHead = "duty_head"
	// RoleDutyOfficer is a duty officer (值班员): the log and handover.
	RoleDutyOfficer = "duty_officer"
	// RoleDutyLeader is a 带班领导 who is no 领导 of the flows (a 副秘书长
	// who leads shifts without signing documents).
	RoleDutyLeader = "duty_leader"
	// RoleScheduleClerk compiles and publishes the leaders' weekly
	// schedule (综合处/秘书处; grant it office-wide).
	RoleScheduleClerk = "schedule_clerk"
	// RoleArchivist is the archivist (档案员): keeps the archive.
	RoleArchivist = "archivist"
)

// Roles are the built-in roles.
var Roles = []Role{
	{Key: RoleSysAdmin, Name: "系统管理员", Officer: true, Perms: []Permission{PermUserManage, PermOrgManage, PermConfigManage}},
	{Key: RoleSecAdmin, Name: "安全保密管理员", Officer: true, Perms: []Permission{PermGrantManage, PermPolicyManage, PermSealManage}},
	{Key: RoleAuditor, Name: "安全审计员", Officer: true, Perms: []Permission{PermAuditRead}},
	{Key: RoleLeader, Name: "领导", Perms: []Permission{PermOfficeRead, PermDocApprove, PermScheduleView, PermScheduleSubmit, PermScheduleApprove, PermLeaveApply, PermLeaveApprove, PermMeetingOrganise, PermDutyLead}},
	// 处室负责人: approves in their own department (grant it there).
	{Key: RoleDeptHead, Name: "处室负责人", Perms: []Permission{PermOfficeRead, PermDocDraft, PermDocApprove, PermInfoReview, PermScheduleView, PermScheduleSubmit, PermLeaveApply, PermLeaveApprove, PermMeetingOrganise}},
	{Key: RoleEditor, Name: "信息编辑", Perms: []Permission{PermOfficeRead, PermInfoEdit, PermPortalEdit, PermVideoManage, PermSearchAnalytics, PermSearchSynonyms}},
	{Key: RoleReviewer, Name: "信息审核", Perms: []Permission{PermOfficeRead, PermInfoReview, PermPortalReview, PermPortalPublish}},
	{Key: RoleClerk, Name: "收发文员", Perms: []Permission{PermOfficeRead, PermDocDraft, PermDocRegister, PermDocDispatch}},
	{Key: RoleStaff, Name: "工作人员", Perms: []Permission{PermOfficeRead, PermDocDraft, PermLeaveApply}},
	{Key: RoleOfficeAdmin, Name: "业务管理员", Perms: []Permission{PermOfficeRead, PermFlowManage, PermMailGroups, PermForumManage}},
	{Key: RolePrintRoom, Name: "文印员", Perms: []Permission{PermOfficeRead, PermPrintOperate}},
	{Key: RoleMeetingAdmin, Name: "会务管理员", Perms: []Permission{PermOfficeRead, PermMeetingOrganise, PermMeetingRoomManage}},
	// Duty roles are granted office-wide: the roster and the log are the
	// whole office's, whichever 处室 the duty staff belong to.
	{Key: RoleDutyHead, Name: "值班室主任", Perms: []Permission{PermOfficeRead, PermDutyManage, PermDutyLog}},
	{Key: RoleDutyOfficer, Name: "值班员", Perms: []Permission{PermOfficeRead, PermDutyLog}},
	{Key: RoleDutyLeader, Name: "带班领导", Perms: []Permission{PermOfficeRead, PermDutyLead}},
	{Key: RoleScheduleClerk, Name: "领导活动编排", Perms: []Permission{PermOfficeRead, PermScheduleView, PermScheduleSubmit, PermScheduleCompile}},
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
