package apidoc

import (
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/info"
	"zhengwu/shared/classification"
	"zhengwu/shared/validation"
)

// Enumerations, from the packages that define them so that the document
// cannot drift from the code.
var (
	clearances = classification.Names(classification.UpTo(classification.DefaultCeiling))
	kinds      = []string{info.KindNotice, info.KindBriefing, info.KindUpdate, info.KindInternal}
	audiences  = []string{info.AudienceDepartment, info.AudienceOffice, info.AudiencePortal}
	states     = []string{info.StateDraft, info.StateSubmitted, info.StatePublished, info.StateRejected, info.StateWithdrawn}
)

func roleKeys() []string {
	out := make([]string, len(identity.Roles()))
	for i, r := range identity.Roles() {
		out[i] = r.Key
	}
	return out
}

func enum(desc string, values []string) obj {
	return obj{"type": "string", "enum": values, "description": desc}
}

func integer(desc string) obj { return obj{"type": "integer", "description": desc} }

func boolean(desc string) obj { return obj{"type": "boolean", "description": desc} }

func strMax(desc string, n int) obj {
	return obj{"type": "string", "maxLength": n, "description": desc}
}

func strList(desc string) obj { s := arr(obj{"type": "string"}); s["description"] = desc; return s }

// object is an object schema; required lists its required properties.
func object(props obj, required ...string) obj {
	if required == nil {
		required = []string{}
	}
	return obj{"type": "object", "required": required, "properties": props}
}

// input is a request body: the server decodes it strictly and refuses
// unknown fields, so the schema does too.
func input(props obj, required ...string) obj {
	o := object(props, required...)
	o["additionalProperties"] = false
	return o
}

// list is {items, total}.
func list(item string) obj {
	return object(obj{"items": arr(ref(item)), "total": integer("条数")}, "items", "total")
}

func userProps() obj {
	return obj{
		"id": str("用户 id"), "username": str("登录名"), "displayName": str("姓名"),
		"clearance": enum("密级", clearances), "departmentIds": strList("所属处室 id"),
		"postIds": strList("岗位 id"), "disabled": boolean("已停用"),
		"lockedUntil":    dateTime("登录失败锁定至"),
		"passwordChange": enum("须修改密码的原因：first_login 首次登录、reset 已被重置", []string{"first_login", "reset"}),
	}
}

func schemas() obj {
	user := object(userProps(), "id", "username", "displayName", "clearance", "departmentIds", "postIds", "disabled")
	department := object(obj{
		"id": str("处室 id"), "name": str("名称"), "parentId": str("上级单位 id（根节点无）"), "order": integer("排序"),
	}, "id", "name", "order")
	post := object(obj{"id": str("岗位 id"), "name": str("岗位名称"), "departmentId": str("所属处室 id")},
		"id", "name", "departmentId")
	grant := object(obj{
		"id": str("授权 id"), "role": enum("角色", roleKeys()),
		"departmentId": str("适用处室 id；* 为全办"), "grantedBy": str("授权人 id（system 为本机命令行）"),
		"grantedAt": dateTime("授权时间"),
	}, "id", "role", "departmentId", "grantedBy", "grantedAt")
	return obj{
		"Problem": object(obj{
			"type": str("问题类型 URI"), "title": str("HTTP 状态短语"), "status": integer("HTTP 状态码"),
			"detail": str("中文说明"), "code": str("稳定的错误代码：invalid、malformed_body、unauthenticated、invalid_credentials、forbidden、self_grant、not_found、conflict、invalid_state、separation_of_duties、account_locked、rate_limited、unavailable …"),
			"messageZh": str("中文说明"), "messageEn": str("English message"), "instance": str("请求路径"),
			"requestId": str("请求 id，报障时提供"),
			"errors": arr(object(obj{"field": str("出错的字段或参数"), "message": str("中文说明"), "messageEn": str("English")},
				"field", "message")),
			"lockedUntil":    dateTime("账号锁定至（423）"),
			"state":          enum("信息当前状态（invalid_state）", states),
			"classification": enum("信息的密级（不得发往门户时）", clearances),
			"field":          str("冲突的字段（409）"),
		}, "type", "title", "status", "detail", "code"),

		"Credentials": input(obj{
			"username": obj{"type": "string", "minLength": 1, "maxLength": 64, "description": "登录名"},
			"password": obj{"type": "string", "minLength": 1, "maxLength": 256, "description": "密码"},
		}, "username", "password"),
		"RefreshRequest": input(obj{
			"refreshToken": obj{"type": "string", "minLength": 1, "maxLength": 256, "description": "刷新令牌（zwr_ 开头）"},
		}, "refreshToken"),
		"Session": object(obj{
			"accessToken":            str("访问令牌（JWT，EdDSA 签名），放在 Authorization: Bearer 中"),
			"refreshToken":           str("刷新令牌：一次性，每次刷新换新；重复使用会注销整个会话"),
			"expiresIn":              integer("访问令牌有效秒数"),
			"user":                   ref("User"),
			"passwordChangeRequired": boolean("须先修改密码：此会话的令牌只能调用 POST /auth/password，其他接口返回 403 password_change_required"),
			"passwordChangeReason":   enum("须修改密码的原因", []string{"first_login", "reset", "expired"}),
		}, "accessToken", "refreshToken", "expiresIn", "user"),

		"User":       user,
		"UserList":   list("UserSummary"),
		"Department": department,
		"DepartmentList": func() obj {
			l := list("Department")
			l["description"] = "组织树：按 order、id 排序，parentId 指向上级"
			return l
		}(),
		"Post":      post,
		"Grant":     grant,
		"GrantList": list("Grant"),
		"Me": object(obj{
			"user": ref("User"), "departments": arr(ref("Department")), "posts": arr(ref("Post")),
			"roles": strList("角色"), "permissions": strList("权限（已排序）"), "grants": arr(ref("Grant")),
			"clearance": enum("密级", clearances),
		}, "user", "departments", "posts", "roles", "permissions", "grants", "clearance"),
		"Role": object(obj{
			"key": enum("角色标识", roleKeys()), "name": str("角色名称"), "permissions": strList("权限"),
			"officer": boolean("三员角色：只能全办授予，一人不得兼任两个"),
		}, "key", "name", "permissions", "officer"),
		"RoleList": object(obj{"items": arr(ref("Role"))}, "items"),

		"NewDepartment": input(obj{
			"id":       obj{"type": "string", "pattern": validation.OrgIDPattern, "description": "处室 id（小写字母、数字、- 和 _）"},
			"name":     obj{"type": "string", "minLength": 1, "maxLength": 64, "description": "名称"},
			"parentId": obj{"type": "string", "pattern": validation.OrgIDPattern, "description": "上级单位 id"},
			"order":    obj{"type": "integer", "minimum": 0, "maximum": 10000, "description": "排序"},
		}, "id", "name"),
		"NewPost": input(obj{
			"id":           obj{"type": "string", "pattern": validation.OrgIDPattern, "description": "岗位 id（小写字母、数字、- 和 _）"},
			"name":         obj{"type": "string", "minLength": 1, "maxLength": 64, "description": "岗位名称"},
			"departmentId": obj{"type": "string", "pattern": validation.OrgIDPattern, "description": "所属处室 id"},
		}, "id", "name", "departmentId"),
		"NewUser": input(obj{
			"username":      obj{"type": "string", "minLength": 2, "maxLength": 64, "pattern": `^[^/\\ ]+$`, "description": "登录名（不含 / \\ 和空格，不区分大小写唯一）"},
			"displayName":   obj{"type": "string", "minLength": 1, "maxLength": 64, "description": "姓名"},
			"password":      obj{"type": "string", "minLength": 8, "maxLength": 128, "description": "初始密码：8–128 位，含大写、小写、数字、符号中至少三类，不含登录名、控制字符，不是常见密码；用户首次登录须修改"},
			"departmentIds": obj{"type": "array", "maxItems": 20, "items": obj{"type": "string", "pattern": validation.OrgIDPattern}, "description": "所属处室 id"},
			"postIds":       obj{"type": "array", "maxItems": 20, "items": obj{"type": "string", "pattern": validation.OrgIDPattern}, "description": "岗位 id"},
		}, "username", "displayName", "password"),
		"UserChange": input(obj{
			"displayName":   obj{"type": "string", "maxLength": 64, "description": "姓名"},
			"departmentIds": obj{"type": "array", "maxItems": 20, "items": obj{"type": "string", "pattern": validation.OrgIDPattern}, "description": "所属处室 id（整体替换；三员账号不得隶属处室）"},
			"postIds":       obj{"type": "array", "maxItems": 20, "items": obj{"type": "string", "pattern": validation.OrgIDPattern}, "description": "岗位 id（整体替换）"},
			"disabled":      boolean("停用或启用"),
			"unlock":        boolean("解除登录失败锁定"),
		}),
		"PasswordReset": input(obj{
			"password": obj{"type": "string", "minLength": 8, "maxLength": 128, "description": "临时密码：符合密码策略；用户下次登录须修改"},
		}, "password"),
		"ClearanceChange": input(obj{"clearance": enum("密级", clearances)}, "clearance"),
		"GrantRequest": input(obj{
			"role":         enum("角色", roleKeys()),
			"departmentId": strMax("适用处室 id；省略或 * 为全办（三员角色只能全办）", 64),
		}, "role"),

		"AuditEntry": object(obj{
			"seq": integer("序号（从 1 连续）"), "at": dateTime("时间"),
			"actor": str("操作人 id、system，或登录失败时所用的用户名"), "actorIp": str("来源地址"),
			"action":  str("事件，如 auth.login、grant.create、info.item.approve"),
			"target":  str("对象"),
			"outcome": enum("结果", []string{"success", "failure"}), "reason": str("失败原因或依据"),
			"details":  obj{"type": "object", "description": "补充信息（不含口令等秘密）"},
			"prevHash": str("上一条的哈希"), "hash": str("本条的哈希（SHA-256，链式）"),
		}, "seq", "at", "actor", "action", "outcome", "prevHash", "hash"),
		"AuditList": object(obj{"items": arr(ref("AuditEntry")),
			"next": integer("还可能有更多时：作为 after 传入继续查询（已读到的最后序号）")}, "items"),
		"AuditReport": object(obj{
			"ok": boolean("审计链完整"), "entries": integer("已校验的条数"),
			"brokenAt": integer("第一条校验失败的序号"), "problem": str("失败原因"),
		}, "ok", "entries"),
	}
}
