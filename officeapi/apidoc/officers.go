package apidoc

import (
	"zhengwu/officeapi/identity"
	oas "zhengwu/shared/openapi"
	"zhengwu/shared/validation"
)

// The routes of the officers' console: the user's own password change,
// the organisation's posts and renames, the requests that change an
// officer's account (三员账号变更, approved by a second officer), the
// password policy, and the audit trail's filters and export.

var (
	changeKinds = []string{identity.ChangePasswordReset, identity.ChangeDisable, identity.ChangeEnable, identity.ChangeUnlock,
		identity.ChangeDisplayName, identity.ChangeClearance, identity.ChangeRevokeGrant}
	changeStates = []string{identity.ChangeRequested, identity.ChangeApproved, identity.ChangeRefused,
		identity.ChangeExpired, identity.ChangeFailed}
	exampleChange = obj{"id": "5b0e6c1f3a2d4e8f9a7b6c5d4e3f2a1b", "userId": "2016e9c53de6c5dec675417851c29b23",
		"username": "auditor", "kind": "password_reset", "reason": "审计员忘记密码，本人当面申请",
		"state": "requested", "requestedBy": "7034de7d2e575518afc9fba82fe789f6", "requestedByRole": "sysadmin",
		"requestedAt": "2026-03-18T01:00:00Z", "expiresAt": "2026-03-21T01:00:00Z"}
	exampleDecision = obj{"change": func() obj {
		c := obj{}
		for k, v := range exampleChange {
			c[k] = v
		}
		c["state"], c["decidedBy"], c["decidedAt"] = "approved", "2d91894d41a162e8cafdb8ac2c3ff781", "2026-03-18T01:20:00Z"
		return c
	}(), "temporaryPassword": "aB3d-Ef4h-Jk5m-Np6q"}
	examplePolicy = obj{"minLength": 8, "maxLength": 128, "minClasses": 3, "maxAgeDays": 90, "history": 5,
		"lockoutAttempts": 5, "lockoutWindowMinutes": 15, "lockoutDurationMinutes": 15, "sessionIdleMinutes": 30,
		"sessionMaxMinutes": 720, "changeAfterReset": true, "changeAtFirstLogin": true, "refusesCommon": true}
)

func auditFilterParams() []obj {
	return []obj{
		qp("after", "从该序号之后开始（不含），默认 0；按 after 翻页（不支持 page 翻页）", obj{"type": "integer", "minimum": 0}),
		qp("actor", "操作人：用户 id、system 或 anonymous", obj{"type": "string", "maxLength": 64}),
		qp("action", "事件，如 auth.login；也可写前缀，如 auth 选中 auth.login、auth.lockout", obj{"type": "string", "maxLength": 64}),
		qp("target", "对象", obj{"type": "string", "maxLength": 256}),
		qp("outcome", "结果", obj{"type": "string", "enum": []string{"success", "failure"}}),
		qp("from", "起始时间（含），RFC 3339", obj{"type": "string", "format": "date-time"}),
		qp("to", "结束时间（不含），RFC 3339", obj{"type": "string", "format": "date-time"}),
	}
}

func officerOps() []oas.Op {
	change := pp("id", "申请 id")
	return []oas.Op{
		{Method: "POST", Path: "/auth/password", Summary: "修改本人密码：原密码与新密码（新密码须符合密码策略，且不得与最近 5 次相同）；" +
			"密码被重置、首次登录或已过期时登录所得的受限令牌只能调用本接口。成功后结束本人其他会话并返回新会话", Tag: "auth", Auth: true,
			Body: "PasswordChangeRequest", BodyExample: obj{"oldPassword": "Chongzhi-Mima-2026", "newPassword": "Ziji-Xuan-Mima-7"},
			OK: 200, OKSchema: "Session", Errors: []int{400, 401, 423}},
		{Method: "GET", Path: "/password-policy", Summary: "密码与登录策略（长度、字符类别、有效期、历史、锁定、会话时限）", Tag: "users", Auth: true,
			OK: 200, OKSchema: "PasswordPolicy", OKExample: examplePolicy, Errors: []int{401}},
		{Method: "PATCH", Path: "/org/departments/{id}", Summary: "修改处室名称或排序（系统管理员 org.manage）", Tag: "users", Auth: true,
			Params: []obj{pp("id", "处室 id")}, Body: "DepartmentChange", BodyExample: obj{"name": "政务信息处"},
			OK: 200, OKSchema: "Department", Errors: []int{400, 401, 403, 404}},
		{Method: "GET", Path: "/org/posts", Summary: "全部岗位，按处室排列", Tag: "users", Auth: true,
			OK: 200, OKSchema: "PostList", OKExample: obj{"items": []obj{examplePost}, "total": 1}, Errors: []int{401}},
		{Method: "PATCH", Path: "/org/posts/{id}", Summary: "修改岗位名称（系统管理员 org.manage）", Tag: "users", Auth: true,
			Params: []obj{pp("id", "岗位 id")}, Body: "PostChange", BodyExample: obj{"name": "信息编辑岗"},
			OK: 200, OKSchema: "Post", Errors: []int{400, 401, 403, 404}},
		{Method: "GET", Path: "/officer-changes", Summary: "三员账号变更申请，按申请时间倒序（三员）", Tag: "officers", Auth: true,
			Params: []obj{qp("state", "状态", obj{"type": "string", "enum": changeStates})},
			OK:     200, OKSchema: "OfficerChangeList", OKExample: obj{"items": []obj{exampleChange}, "total": 1}, Errors: []int{400, 401, 403}},
		{Method: "POST", Path: "/officer-changes", Summary: "申请变更另一名三员的账号（账号类由系统管理员申请，密级与撤销授权由安全保密管理员申请）；" +
			"须由另一类三员（非申请人、非账号本人）审批后生效，72 小时内未处理即过期", Tag: "officers", Auth: true,
			Body: "OfficerChangeRequest", BodyExample: obj{"userId": "2016e9c53de6c5dec675417851c29b23", "kind": "password_reset",
				"reason": "审计员忘记密码，本人当面申请"},
			OK: 201, OKSchema: "OfficerChange", OKExample: exampleChange, Errors: []int{400, 401, 403, 404, 409}},
		{Method: "POST", Path: "/officer-changes/{id}/approve", Summary: "批准并执行申请；重置密码时返回一次性临时密码（仅此一次，账号本人下次登录须修改）", Tag: "officers", Auth: true,
			Params: []obj{change}, Body: "DecisionRequest", BodyOptional: true, BodyExample: obj{"note": "已电话核实"},
			OK: 200, OKSchema: "Decision", OKExample: exampleDecision, Errors: []int{400, 401, 403, 404, 409}},
		{Method: "POST", Path: "/officer-changes/{id}/refuse", Summary: "驳回申请", Tag: "officers", Auth: true,
			Params: []obj{change}, Body: "DecisionRequest", BodyOptional: true, BodyExample: obj{"note": "未见本人申请"},
			OK: 200, OKSchema: "Decision", Errors: []int{400, 401, 403, 404, 409}},
		{Method: "GET", Path: "/audit/export", Summary: "导出审计日志为 CSV（UTF-8 带 BOM，Excel 可直接打开；至多 10 万条；导出本身记入审计日志）", Tag: "audit", Auth: true,
			Params: auditFilterParams(), OK: 200, OKSchema: "AuditCSV", OKType: "text/csv", Errors: []int{400, 401, 403}},
	}
}

func officerSchemas() obj {
	change := object(obj{
		"id": str("申请 id"), "userId": str("账号 id"), "username": str("登录名"), "kind": enum("变更类型", changeKinds),
		"displayName": str("新姓名（display_name）"), "clearance": enum("新密级（clearance）", clearances),
		"grantId": str("撤销的授权 id（revoke_grant）"), "reason": str("申请理由"), "state": enum("状态", changeStates),
		"requestedBy": str("申请人 id"), "requestedByRole": str("申请人的三员角色"), "requestedAt": dateTime("申请时间"),
		"expiresAt": dateTime("过期时间"), "decidedBy": str("审批人 id"), "decidedAt": dateTime("审批时间"),
		"note": str("审批意见，或执行失败的原因"),
	}, "id", "userId", "username", "kind", "reason", "state", "requestedBy", "requestedByRole", "requestedAt", "expiresAt")
	return obj{
		"PasswordChangeRequest": input(obj{
			"oldPassword": obj{"type": "string", "minLength": 1, "maxLength": 256, "description": "原密码"},
			"newPassword": obj{"type": "string", "minLength": 8, "maxLength": 128, "description": "新密码：8–128 位，含大写、小写、数字、符号中至少三类，不含登录名、控制字符，不是常见密码"},
		}, "oldPassword", "newPassword"),
		"PasswordPolicy": object(obj{
			"minLength": integer("最短长度"), "maxLength": integer("最长长度"), "minClasses": integer("至少包含的字符类别数"),
			"maxAgeDays": integer("有效天数（0 为不过期）"), "history": integer("不得重复的最近密码数"),
			"lockoutAttempts": integer("锁定前允许的失败次数"), "lockoutWindowMinutes": integer("失败计数窗口（分钟）"),
			"lockoutDurationMinutes": integer("锁定时长（分钟）"), "sessionIdleMinutes": integer("会话空闲超时（分钟）"),
			"sessionMaxMinutes": integer("会话最长时间（分钟）"), "changeAfterReset": boolean("重置后须修改"),
			"changeAtFirstLogin": boolean("首次登录须修改"), "refusesCommon": boolean("拒绝常见密码"),
		}, "minLength", "maxLength", "minClasses", "maxAgeDays", "history", "lockoutAttempts"),
		"DepartmentChange": input(obj{
			"name":  obj{"type": "string", "minLength": 1, "maxLength": 64, "description": "名称"},
			"order": obj{"type": "integer", "minimum": 0, "maximum": 10000, "description": "排序"},
		}),
		"PostChange":        input(obj{"name": obj{"type": "string", "minLength": 1, "maxLength": 64, "description": "岗位名称"}}, "name"),
		"PostList":          list("Post"),
		"OfficerChange":     change,
		"OfficerChangeList": list("OfficerChange"),
		"OfficerChangeRequest": input(obj{
			"userId":      obj{"type": "string", "pattern": validation.HexIDPattern, "description": "三员账号 id"},
			"kind":        enum("变更类型：重置密码、停用、启用、解除锁定、修改姓名、设定密级、撤销授权", changeKinds),
			"displayName": strMax("新姓名（display_name 时必填）", 64),
			"clearance":   enum("新密级（clearance 时必填）", clearances),
			"grantId":     obj{"type": "string", "pattern": validation.HexIDPattern, "description": "撤销的授权 id（revoke_grant 时必填）"},
			"reason":      obj{"type": "string", "minLength": 1, "maxLength": 500, "description": "申请理由"},
		}, "userId", "kind", "reason"),
		"DecisionRequest": input(obj{"note": strMax("审批意见", 500)}),
		"Decision": object(obj{
			"change":            ref("OfficerChange"),
			"temporaryPassword": str("一次性临时密码（仅批准重置密码时返回一次；请当面交给账号本人）"),
		}, "change"),
		"AuditCSV": obj{"type": "string", "description": "CSV：序号,时间,操作人,来源地址,事件,对象,结果,原因,详情,哈希（以 BOM 开头）"},
		"UserSummary": func() obj {
			u := userProps()
			u["roles"] = strList("持有的角色")
			u["officer"] = enum("所任三员角色（三员账号只能经申请变更）", []string{identity.RoleSysAdmin, identity.RoleSecAdmin, identity.RoleAuditor})
			return object(u, "id", "username", "displayName", "clearance", "departmentIds", "postIds", "disabled", "roles")
		}(),
	}
}
