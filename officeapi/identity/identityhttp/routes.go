package identityhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tags group identity's routes in the office API's description.
var Tags = []openapi.Tag{
	{Name: "auth", Title: "登录与会话"},
	{Name: "users", Title: "用户与组织：本人信息、角色、处室与岗位、账号、密级与授权"},
	{Name: "officers", Title: "三员账号变更：一名三员申请，另一类三员审批后生效"},
	{Name: "audit", Title: "审计：审计日志（筛选、导出）与完整性校验"},
}

// List is a whole list (no paging): the items and their count. The API
// description names it after its items (List[identity.Post] →
// IdentityPostList).
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// listOf is the List of a call's answer.
func listOf[T any](items []T, err error) (List[T], error) {
	return List[T]{Items: items, Total: len(items)}, err
}

type (
	// RoleList is the built-in roles.
	RoleList struct {
		Items []identity.Role `json:"items"`
	}
	// UserList is every account: a List named for the accounts, not for
	// their summaries (its schema is IdentityUserList).
	UserList List[identity.UserSummary]
	// AuditPage is a page of the audit trail; next is the after of the
	// page that follows (absent at the end).
	AuditPage struct {
		Items []audit.Entry `json:"items"`
		Next  int64         `json:"next,omitempty"`
	}
)

// Routes are identity's routes under /api/office/v1.
func Routes(svc *identity.Service, tokens *auth.Tokens, trail *audit.Trail) []openapi.Route {
	h := &Handlers{svc: svc, tokens: tokens, trail: trail}
	signedIn := tokens.Required()
	public := func(method, path, summary, tag string, ok int, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: tag, OK: ok, Errors: errs,
			BodyExample: examples[method+" "+path]}
	}
	op := func(method, path, summary, tag string, perm auth.Permission, ok int, errs ...int) openapi.Op {
		o := public(method, path, summary, tag, ok, append([]int{401}, errs...)...)
		o.Auth, o.Perm = true, perm
		if perm.Key() != "" {
			o.Scope = "office"
		}
		return o
	}
	optional := func(o openapi.Op) openapi.Op { o.BodyOptional = true; return o }
	none := auth.Permission{}
	audited := auth.RequireOfficeWide(identity.PermAuditRead)
	auditList := op("GET", "/audit", "审计日志，按序号升序，可按操作人、事件、对象、结果、时间筛选（安全审计员 audit.read）；按 after 翻页",
		"audit", identity.PermAuditRead, 200, 400, 403)
	auditList.Query = auditFilter{}
	auditExport := op("GET", "/audit/export", "导出审计日志为 CSV（UTF-8 带 BOM，Excel 可直接打开；至多 10 万条；导出本身记入审计日志）",
		"audit", identity.PermAuditRead, 200, 400, 403)
	auditExport.Query, auditExport.OKType = auditFilter{}, "text/csv"
	changes := op("GET", "/officer-changes", "三员账号变更申请，按申请时间倒序（三员）", "officers", none, 200, 400, 403)
	changes.Query = changeFilter{}
	return []openapi.Route{
		openapi.Handle(public("POST", "/auth/login", "登录：用户名和密码换取访问令牌与刷新令牌（默认 15 分钟内失败 5 次即锁定 15 分钟）", "auth",
			200, 400, 401, 423, 429), h.login),
		openapi.Handle(public("POST", "/auth/refresh", "刷新：用刷新令牌换新的一对令牌（旧刷新令牌作废，重复使用则注销会话）", "auth",
			200, 400, 401), h.refresh),
		openapi.Handle(public("POST", "/auth/logout", "退出：注销刷新令牌所属会话（未知令牌也返回 204）", "auth",
			204, 400), h.logout),
		// The one route a token restricted to changing the password may call.
		openapi.Handle(op("POST", "/auth/password", "修改本人密码：原密码与新密码（新密码须符合密码策略，且不得与最近 5 次相同）；返回新的会话", "auth", none,
			200, 400), h.changePassword, tokens.RequiredForPasswordChange()),

		openapi.Handle(op("GET", "/me", "本人信息：账号、处室、岗位、角色、权限、授权与密级（取当前值，非令牌中的）", "users", none,
			200), h.me, signedIn),
		openapi.Handle(op("GET", "/roles", "内置角色及其权限", "users", none, 200), h.roles, signedIn),
		openapi.Handle(op("GET", "/password-policy", "密码与登录策略（长度、字符类别、有效期、历史、锁定、会话时限）", "users", none,
			200), h.passwordPolicy, signedIn),
		openapi.Handle(op("GET", "/org/departments", "组织树：办公厅与各处室", "users", none, 200), h.departments, signedIn),
		openapi.Handle(op("POST", "/org/departments", "新建处室（系统管理员 org.manage）", "users", identity.PermOrgManage,
			201, 400, 403, 409), h.createDepartment, signedIn),
		openapi.Handle(op("PATCH", "/org/departments/{id}", "修改处室名称或排序（系统管理员 org.manage）", "users", identity.PermOrgManage,
			200, 400, 403, 404), h.updateDepartment, signedIn, departmentPath),
		openapi.Handle(op("GET", "/org/posts", "全部岗位，按处室排列", "users", none, 200), h.posts, signedIn),
		openapi.Handle(op("POST", "/org/posts", "新建岗位（系统管理员 org.manage）", "users", identity.PermOrgManage,
			201, 400, 403, 409), h.createPost, signedIn),
		openapi.Handle(op("PATCH", "/org/posts/{id}", "修改岗位名称（系统管理员 org.manage）", "users", identity.PermOrgManage,
			200, 400, 403, 404), h.updatePost, signedIn, postPath),
		openapi.Handle(op("GET", "/org/people", "通讯录：各处室在用账号的姓名、处室与岗位（选择会签人、转办对象；不含三员）", "users", none, 200),
			h.people, signedIn),
		openapi.Handle(op("GET", "/users", "全部账号及其角色，按姓名拼音排序（三员）", "users", none, 200, 403), h.listUsers, signedIn),
		openapi.Handle(op("POST", "/users", "新建账号（系统管理员；新账号为非密、无授权）", "users", identity.PermUserManage,
			201, 400, 403, 409), h.createUser, signedIn),
		openapi.Handle(op("PATCH", "/users/{id}", "修改账号：姓名、处室、岗位、停用、解除锁定（系统管理员；不能改本人与其他三员的账号，三员账号须提交变更申请）",
			"users", identity.PermUserManage, 200, 400, 403, 404), h.updateUser, signedIn, userPath),
		openapi.Handle(op("POST", "/users/{id}/password", "重置密码（系统管理员；同时解除锁定，用户下次登录须修改；不能重置本人与其他三员的密码）",
			"users", identity.PermUserManage, 204, 400, 403, 404), h.setPassword, signedIn, userPath),
		openapi.Handle(op("PUT", "/users/{id}/clearance", "设定密级（安全保密管理员；不能改本人与其他三员的密级）", "users", identity.PermGrantManage,
			200, 400, 403, 404), h.setClearance, signedIn, userPath),
		openapi.Handle(op("GET", "/users/{id}/grants", "账号的授权（本人，或全办的安全保密管理员、安全审计员）", "users", none,
			200, 403, 404), h.listGrants, signedIn, grantReaders, userPath),
		openapi.Handle(op("POST", "/users/{id}/grants", "授予角色（安全保密管理员；三员分立，不得给自己授权）", "users", identity.PermGrantManage,
			201, 400, 403, 404, 409), h.grant, signedIn, userPath),
		openapi.Handle(op("DELETE", "/users/{id}/grants/{grantId}", "撤销授权（安全保密管理员；不能撤销本人与其他三员的授权）", "users", identity.PermGrantManage,
			204, 403, 404), h.revoke, signedIn, userPath, grantPath),

		openapi.Handle(changes, h.officerChanges, signedIn),
		openapi.Handle(op("POST", "/officer-changes", "申请变更另一名三员的账号（账号类由系统管理员申请，密级与撤销授权由安全保密管理员申请）；另一类三员批准后生效",
			"officers", none, 201, 400, 403, 404, 409), h.requestOfficerChange, signedIn),
		openapi.Handle(optional(op("POST", "/officer-changes/{id}/approve", "批准并执行申请；重置密码时返回一次性临时密码（仅此一次，账号本人下次登录须修改）",
			"officers", none, 200, 400, 403, 404, 409)), h.approveOfficerChange, signedIn, requestPath),
		openapi.Handle(optional(op("POST", "/officer-changes/{id}/refuse", "驳回申请", "officers", none, 200, 400, 403, 404, 409)),
			h.refuseOfficerChange, signedIn, requestPath),

		openapi.Handle(auditList, h.auditList, signedIn, audited),
		{Op: auditExport, Handlers: []fiber.Handler{signedIn, audited, h.auditExport}},
		openapi.Handle(op("GET", "/audit/verify", "校验审计日志哈希链的完整性（安全审计员 audit.read）", "audit", identity.PermAuditRead,
			200, 403), h.auditVerify, signedIn, audited),
	}
}

// examples are request bodies for the docs page, typed so that they
// cannot drift from what the handlers decode (openapitest checks them
// against the schemas).
var examples = map[string]any{
	"POST /auth/login": credentials{Username: "editor", Password: "Xinxi-Bianji-2026"},
	"POST /users": identity.NewUser{Username: "zhaolei", DisplayName: "赵磊", Password: "Ducha-Shi-2026",
		DepartmentIDs: []string{"ducha"}, PostIDs: []string{}},
	"PUT /users/{id}/clearance": clearanceBody{Clearance: "秘密"},
	"POST /org/departments":     identity.NewDepartment{ID: "shuju", Name: "数据管理处", ParentID: "office", Order: 110},
	"POST /org/posts":           newPost{ID: "ducha-duchayuan", Name: "督查员", DepartmentID: "ducha"},
	"POST /users/{id}/grants":   grantBody{Role: "reviewer", DepartmentID: "xinxi"},
}

// PasswordPolicy is the login and password policy in force.
type PasswordPolicy struct {
	MinLength              int  `json:"minLength"`
	MaxLength              int  `json:"maxLength"`
	MinClasses             int  `json:"minClasses"`
	MaxAgeDays             int  `json:"maxAgeDays"`
	History                int  `json:"history"`
	LockoutAttempts        int  `json:"lockoutAttempts"`
	LockoutWindowMinutes   int  `json:"lockoutWindowMinutes"`
	LockoutDurationMinutes int  `json:"lockoutDurationMinutes"`
	SessionIdleMinutes     int  `json:"sessionIdleMinutes"`
	SessionMaxMinutes      int  `json:"sessionMaxMinutes"`
	ChangeAfterReset       bool `json:"changeAfterReset"`
	ChangeAtFirstLogin     bool `json:"changeAtFirstLogin"`
	RefusesCommon          bool `json:"refusesCommon"`
}

// auditFilter describes the audit trail's query parameters (auditQuery
// parses them).
type auditFilter struct {
	After   int64  `query:"after" validate:"min=0" doc:"从该序号之后开始（不含），默认 0；按 after 翻页"`
	Size    int    `query:"size" validate:"min=1,max=500" doc:"条数（1–500，默认 50）"`
	Actor   string `query:"actor" validate:"max=64" doc:"操作人（用户 id 或登录名）"`
	Action  string `query:"action" validate:"max=64" doc:"事件，精确或以点分隔的前缀（如 user.）"`
	Target  string `query:"target" validate:"max=256" doc:"对象"`
	Outcome string `query:"outcome" validate:"omitempty,oneof=success failure" doc:"结果"`
	From    string `query:"from" doc:"开始时间（RFC 3339，含）"`
	To      string `query:"to" doc:"结束时间（RFC 3339，不含）"`
}

// changeFilter describes the officer-change list's query parameter.
type changeFilter struct {
	State string `query:"state" validate:"omitempty,oneof=requested approved refused expired failed" doc:"状态"`
}
