package apidoc

import (
	"zhengwu/officeapi/identity"
	oas "zhengwu/shared/openapi"
)

const (
	editorID   = "0c8d34c2a5bd164ffed77da3ae987faf"
	directorID = "7e762297c4bd00baa2bc92704525d9f6"
)

var (
	exampleUser = obj{"id": editorID, "username": "editor", "displayName": "李文静", "clearance": "秘密",
		"departmentIds": []string{"xinxi"}, "postIds": []string{"xinxi-bianji"}, "disabled": false}
	exampleLogin   = obj{"username": "editor", "password": "Xinxi-Bianji-2026"}
	exampleSession = obj{
		"accessToken": "eyJhbGciOiJFZERTQSIsImtpZCI6IjNmOWEyYyIsInR5cCI6IkpXVCJ9." +
			"eyJ1aWQiOiIwYzhkMzRjMmE1YmQxNjRmZmVkNzdkYTNhZTk4N2ZhZiIsInVzZXJuYW1lIjoiZWRpdG9yIiwiY2xlYXJhbmNlIjoi56eY5a+GIn0." +
			"Zk2d0sQ4v7hJk1bX9mYp3cN8rT6wE2aL5uG0iO7yH3fD1sA9qW4eR6tY8uI0oP2aS4dF6gH8jK0lZ2xC4vB6nA",
		"refreshToken": "zwr_5GW2EnzKskCwHYYWFv-HMCbGDvn3VSn5J6Z7uDWiV3s",
		"expiresIn":    900,
		"user":         exampleUser,
	}
	exampleDepartment = obj{"id": "xinxi", "name": "信息处", "parentId": "office", "order": 40}
	examplePost       = obj{"id": "xinxi-bianji", "name": "信息编辑", "departmentId": "xinxi"}
	exampleGrants     = []obj{
		{"id": "1fff89f3d7070cd236361e2da4aba22b", "role": "editor", "departmentId": "xinxi",
			"grantedBy": "system", "grantedAt": "2026-01-05T02:00:00Z"},
		{"id": "37ff4fdeb1c144d5fefab5e3d7350f0e", "role": "staff", "departmentId": "*",
			"grantedBy": "system", "grantedAt": "2026-01-05T02:00:00Z"},
	}
	exampleMe = obj{"user": exampleUser, "departments": []obj{exampleDepartment}, "posts": []obj{examplePost},
		"roles": []string{"editor", "staff"}, "permissions": []string{"info.item.edit", "office.read", "portal.item.edit"},
		"grants": exampleGrants, "clearance": "秘密"}
	exampleDepartments = obj{"items": []obj{
		{"id": "office", "name": "省政府办公厅", "order": 0},
		{"id": "mishu1", "name": "秘书一处", "parentId": "office", "order": 10},
		exampleDepartment,
	}, "total": 3}
	exampleNewUser = obj{"username": "zhaolei", "displayName": "赵磊", "password": "Ducha-Shi-2026",
		"departmentIds": []string{"ducha"}, "postIds": []string{}}
	exampleCreatedUser = obj{"id": "4c4d9e55891f93a43fc55214244e121c", "username": "zhaolei", "displayName": "赵磊",
		"clearance": "非密", "departmentIds": []string{"ducha"}, "postIds": []string{}, "disabled": false}
	exampleGrantRequest = obj{"role": "reviewer", "departmentId": "xinxi"}
	exampleGrant        = obj{"id": "9023d1620cc660fd5571a1685e3d7864", "role": "reviewer", "departmentId": "xinxi",
		"grantedBy": "a3cfb3a90ea046bf94add774d54455fe", "grantedAt": "2026-03-18T01:20:00Z"}

	exampleAudit = obj{"items": []obj{
		{"seq": 18341, "at": "2026-03-18T01:02:11Z", "actor": editorID, "actorIp": "10.12.3.41",
			"action": "auth.login", "target": "editor", "outcome": "success",
			"prevHash": "5d1f0c7a9e2b4c6d8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
			"hash":     "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"},
		{"seq": 18342, "at": "2026-03-18T01:40:27Z", "actor": directorID, "actorIp": "10.12.1.8",
			"action": "info.item.approve", "target": "info_items/8225c3ed-450e-4b79-b58f-33f7c52db62b", "outcome": "success",
			"details":  obj{"state": "published", "revision": 1},
			"prevHash": "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
			"hash":     "0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d"},
	}}
	exampleAuditReport = obj{"ok": true, "entries": 18342}

	exampleProblem = obj{"type": "https://zhengwu.gov.cn/problems/invalid", "title": "Bad Request", "status": 400,
		"detail":    "classification: 密级为“秘密”的信息不得发往门户网站，只有非密信息可以",
		"code":      "invalid",
		"messageZh": "classification: 密级为“秘密”的信息不得发往门户网站，只有非密信息可以",
		"messageEn": "classification: only unclassified (非密) items may go to the portal",
		"instance":  "/api/office/v1/info/items/f9099ec1-0b24-44dc-a8f2-0e505392347f/designate",
		"requestId": "3f2a9c1e-7b4d-4e8a-9c0f-1d2e3f4a5b6c",
		"errors": []obj{{"field": "classification", "message": "密级为“秘密”的信息不得发往门户网站，只有非密信息可以",
			"messageEn": "only unclassified (非密) items may go to the portal"}},
		"classification": "秘密"}
)

// ProblemExample is a problem document, for tests of the Problem schema.
var ProblemExample = exampleProblem

func operations() []oas.Op {
	user := pp("id", "用户 id")
	return []oas.Op{
		{Method: "POST", Path: "/auth/login", Summary: "登录：用户名和密码换取访问令牌与刷新令牌（默认 15 分钟内失败 5 次即锁定 15 分钟）", Tag: "auth",
			Body: "Credentials", BodyExample: exampleLogin, OK: 200, OKSchema: "Session", OKExample: exampleSession,
			Errors: []int{400, 401, 423, 429}},
		{Method: "POST", Path: "/auth/refresh", Summary: "刷新：用刷新令牌换新的一对令牌（旧刷新令牌作废，重复使用则注销会话）", Tag: "auth",
			Body: "RefreshRequest", BodyExample: obj{"refreshToken": "zwr_5GW2EnzKskCwHYYWFv-HMCbGDvn3VSn5J6Z7uDWiV3s"},
			OK: 200, OKSchema: "Session", Errors: []int{400, 401}},
		{Method: "POST", Path: "/auth/logout", Summary: "退出：注销刷新令牌所属会话（未知令牌也返回 204）", Tag: "auth",
			Body: "RefreshRequest", OK: 204, Errors: []int{400}},

		{Method: "GET", Path: "/me", Summary: "本人信息：账号、处室、岗位、角色、权限、授权与密级（取当前值，非令牌中的）", Tag: "users", Auth: true,
			OK: 200, OKSchema: "Me", OKExample: exampleMe, Errors: []int{401}},
		{Method: "GET", Path: "/roles", Summary: "内置角色及其权限", Tag: "users", Auth: true,
			OK: 200, OKSchema: "RoleList", OKExample: obj{"items": identity.Roles()}, Errors: []int{401}},
		{Method: "GET", Path: "/org/departments", Summary: "组织树：办公厅与各处室", Tag: "users", Auth: true,
			OK: 200, OKSchema: "DepartmentList", OKExample: exampleDepartments, Errors: []int{401}},
		{Method: "POST", Path: "/org/departments", Summary: "新建处室（系统管理员 org.manage）", Tag: "users", Auth: true,
			Body: "NewDepartment", BodyExample: obj{"id": "shuju", "name": "数据管理处", "parentId": "office", "order": 110},
			OK: 201, OKSchema: "Department", Errors: []int{400, 401, 403, 409}},
		{Method: "POST", Path: "/org/posts", Summary: "新建岗位（系统管理员 org.manage）", Tag: "users", Auth: true,
			Body: "NewPost", BodyExample: obj{"id": "ducha-duchayuan", "name": "督查员", "departmentId": "ducha"},
			OK: 201, OKSchema: "Post", Errors: []int{400, 401, 403, 409}},
		{Method: "GET", Path: "/users", Summary: "全部账号及其角色，按姓名拼音排序（三员）", Tag: "users", Auth: true,
			OK: 200, OKSchema: "UserList", Errors: []int{401, 403}},
		{Method: "POST", Path: "/users", Summary: "新建账号（系统管理员；新账号为非密、无授权）", Tag: "users", Auth: true,
			Body: "NewUser", BodyExample: exampleNewUser, OK: 201, OKSchema: "User", OKExample: exampleCreatedUser,
			Errors: []int{400, 401, 403, 409}},
		{Method: "PATCH", Path: "/users/{id}", Summary: "修改账号：姓名、处室、岗位、停用、解除锁定（系统管理员；不能改本人与其他三员的账号，三员账号须提交变更申请）", Tag: "users", Auth: true,
			Params: []obj{user}, Body: "UserChange", BodyExample: obj{"departmentIds": []string{"ducha", "zonghe"}, "unlock": true},
			OK: 200, OKSchema: "User", Errors: []int{400, 401, 403, 404}},
		{Method: "POST", Path: "/users/{id}/password", Summary: "重置密码（系统管理员；同时解除锁定，用户下次登录须修改；不能重置本人与其他三员的密码）", Tag: "users", Auth: true,
			Params: []obj{user}, Body: "PasswordReset", BodyExample: obj{"password": "Chongzhi-Mima-2026"},
			OK: 204, Errors: []int{400, 401, 403, 404}},
		{Method: "PUT", Path: "/users/{id}/clearance", Summary: "设定密级（安全保密管理员；不能改本人与其他三员的密级）", Tag: "users", Auth: true,
			Params: []obj{user}, Body: "ClearanceChange", BodyExample: obj{"clearance": "秘密"},
			OK: 200, OKSchema: "User", Errors: []int{400, 401, 403, 404}},
		{Method: "GET", Path: "/users/{id}/grants", Summary: "账号的授权（本人，或全办的安全保密管理员、安全审计员）", Tag: "users", Auth: true,
			Params: []obj{user}, OK: 200, OKSchema: "GrantList", OKExample: obj{"items": exampleGrants, "total": 2},
			Errors: []int{401, 403, 404}},
		{Method: "POST", Path: "/users/{id}/grants", Summary: "授予角色（安全保密管理员；三员分立，不得给自己授权）", Tag: "users", Auth: true,
			Params: []obj{user}, Body: "GrantRequest", BodyExample: exampleGrantRequest, OK: 201, OKSchema: "Grant", OKExample: exampleGrant,
			Errors: []int{400, 401, 403, 404, 409}},
		{Method: "DELETE", Path: "/users/{id}/grants/{grantId}", Summary: "撤销授权（安全保密管理员；不能撤销本人与其他三员的授权）", Tag: "users", Auth: true,
			Params: []obj{user, pp("grantId", "授权 id")}, OK: 204, Errors: []int{401, 403, 404}},

		{Method: "GET", Path: "/audit", Summary: "审计日志，按序号升序，可按操作人、事件、对象、结果、时间筛选（安全审计员 audit.read）；" +
			"筛选时一次至多读 2 万条，有 next 时以之为 after 继续", Tag: "audit", Auth: true,
			Params: append(auditFilterParams(),
				qp("size", "条数", obj{"type": "integer", "minimum": 1, "maximum": 500, "default": 50})),
			OK: 200, OKSchema: "AuditList", OKExample: exampleAudit, Errors: []int{400, 401, 403}},
		{Method: "GET", Path: "/audit/verify", Summary: "校验审计日志哈希链的完整性（安全审计员 audit.read）", Tag: "audit", Auth: true,
			OK: 200, OKSchema: "AuditReport", OKExample: exampleAuditReport, Errors: []int{401, 403}},
	}
}
