package apidoc

import (
	"zhengwu/officeapi/identity"
	oas "zhengwu/shared/openapi"
)

const (
	editorID   = "0c8d34c2a5bd164ffed77da3ae987faf"
	directorID = "7e762297c4bd00baa2bc92704525d9f6"
	itemID     = "8225c3ed-450e-4b79-b58f-33f7c52db62b"
	mediaID    = "dbf99a999b4d59ac4c5b0dfc0e2ce946cded705ce95ea57b8824c2efd8de3b39"
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
			"action": "info.item.approve", "target": "info_items/" + itemID, "outcome": "success",
			"details":  obj{"state": "published", "revision": 1},
			"prevHash": "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
			"hash":     "0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d"},
	}}
	exampleAuditReport = obj{"ok": true, "entries": 18342}

	exampleAttachment = obj{"mediaId": mediaID, "name": "2026年政务信息工作要点.pdf", "size": 482113, "type": "application/pdf"}
	exampleInfoInput  = obj{"department": "xinxi", "kind": "update",
		"title":          "省政府办公厅召开2026年全省政务信息工作会议",
		"summary":        "会议总结2025年政务信息工作，部署2026年重点任务。",
		"body":           "<p>3月16日，省政府办公厅召开2026年全省政务信息工作会议。会议总结了2025年工作，对今年重点任务作出部署……</p>",
		"classification": "非密", "principals": []string{}, "audience": "portal",
		"attachments": []obj{exampleAttachment}}
	exampleInfoUpdate = func() obj {
		u := obj{"version": 4}
		for k, v := range exampleInfoInput {
			u[k] = v
		}
		u["summary"] = "会议总结2025年政务信息工作，部署2026年五项重点任务。"
		return u
	}()
	exampleInfoItem = obj{
		"id": itemID, "department": "xinxi", "kind": "update",
		"title":          "省政府办公厅召开2026年全省政务信息工作会议",
		"summary":        "会议总结2025年政务信息工作，部署2026年重点任务。",
		"body":           "<p>3月16日，省政府办公厅召开2026年全省政务信息工作会议。会议总结了2025年工作，对今年重点任务作出部署……</p>",
		"classification": "非密", "principals": []string{}, "audience": "portal", "state": "published", "revision": 1,
		"portal": obj{"designated": true, "channel": "news", "approved": true, "approvedBy": directorID,
			"approvedAt": "2026-03-18T01:45:10Z", "approvedRevision": 1},
		"attachments": []obj{exampleAttachment}, "author": editorID,
		"createdAt": "2026-03-17T08:30:00Z", "updatedAt": "2026-03-18T01:45:10Z", "publishedAt": "2026-03-18T01:40:27Z",
		"version": 5, "seq": 18344,
	}
	exampleSummary = obj{"id": itemID, "department": "xinxi", "kind": "update",
		"title": "省政府办公厅召开2026年全省政务信息工作会议", "summary": "会议总结2025年政务信息工作，部署2026年重点任务。",
		"classification": "非密", "audience": "portal", "state": "published", "revision": 1, "author": editorID,
		"designated": true, "approved": true, "channel": "news",
		"createdAt": "2026-03-17T08:30:00Z", "updatedAt": "2026-03-18T01:45:10Z", "publishedAt": "2026-03-18T01:40:27Z"}
	exampleSummary2 = obj{"id": "f9099ec1-0b24-44dc-a8f2-0e505392347f", "department": "xinxi", "kind": "briefing",
		"title": "政务信息简报（2026年第11期）", "summary": "各地一季度重点项目开工情况汇总。",
		"classification": "秘密", "audience": "office", "state": "published", "revision": 2, "author": editorID,
		"designated": false, "approved": false,
		"createdAt": "2026-03-12T07:10:00Z", "updatedAt": "2026-03-13T02:05:00Z", "publishedAt": "2026-03-13T02:05:00Z"}
	exampleInfoList = obj{"items": []obj{exampleSummary, exampleSummary2}, "total": 37,
		"next": "WyIyMDI2LTAzLTEzVDAyOjA1OjAwWiIsImY5MDk5ZWMxIl0"}
	exampleDesktop = obj{"departments": []string{"xinxi"}, "department": []obj{exampleSummary, exampleSummary2},
		"office": []obj{exampleSummary}, "awaitingReview": []obj{}, "awaitingPortal": []obj{},
		"drafts": []obj{{"id": "a3cfb3a9-0ea0-46bf-94ad-d774d54455fe", "department": "xinxi", "kind": "notice",
			"title": "关于报送2026年一季度政务信息的通知", "summary": "", "classification": "非密", "audience": "office",
			"state": "draft", "revision": 1, "author": editorID, "designated": false, "approved": false,
			"createdAt": "2026-03-18T02:00:00Z", "updatedAt": "2026-03-18T02:00:00Z"}},
		"pendingTotal": 1}
	exampleReason    = obj{"version": 3, "reason": "数据口径与省统计局发布的不一致，请核实后重报"}
	exampleDesignate = obj{"version": 3, "channel": "news", "embargoUntil": "2026-03-18T00:00:00Z"}
	exampleRuleInput = obj{"department": "xinxi", "kind": "update", "channel": "news"}
	exampleRule      = obj{"id": "f9099ec1-0b24-44dc-a8f2-0e505392347f", "department": "xinxi", "kind": "update",
		"channel": "news", "createdBy": "a3cfb3a90ea046bf94add774d54455fe", "createdAt": "2026-02-01T03:00:00Z"}

	exampleGatewayStatus = obj{"checkpoint": 18342, "lastSeq": 18350, "lag": 3, "crossed": 126, "refused": 9,
		"withdrawn": 4, "ignored": 2210, "due": 1, "updatedAt": "2026-03-18T01:45:12Z"}

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

func infoListParams() []obj {
	return []obj{
		qp("scope", "范围：department 本处室信息平台（未指定 department 时为本人所属处室），office 全办信息平台（已发布的全办与门户信息）；省略为本人可见的全部",
			obj{"type": "string", "enum": []string{"department", "office"}}),
		qp("department", "处室 id", obj{"type": "string", "maxLength": 64}),
		qp("kind", "类别", enum("类别", kinds)),
		qp("state", "流程状态", enum("状态", states)),
		qp("q", "标题、摘要、正文关键词（至多 100 字）", obj{"type": "string", "maxLength": 100}),
		qp("size", "每页条数", obj{"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
		qp("cursor", "游标（上一页的 next）", obj{"type": "string"}),
		consistentWith(),
	}
}

func consistentWith() obj {
	return qp("consistentWith", "写操作返回的 seq：等待列表索引应用到它（至多 2 秒，否则 503）", obj{"type": "integer", "minimum": 0})
}

func operations() []oas.Op {
	user := pp("id", "用户 id")
	item := pp("id", "信息 id")
	itemErr := []int{400, 401, 403, 404, 409}
	step := func(path, summary string) oas.Op {
		return oas.Op{Method: "POST", Path: path, Summary: summary, Tag: "info", Auth: true, Params: []obj{item},
			Body: "StepRequest", BodyOptional: true, BodyExample: obj{"version": 3}, OK: 200, OKSchema: "InfoItem", Errors: itemErr}
	}
	withReason := func(path, summary string) oas.Op {
		return oas.Op{Method: "POST", Path: path, Summary: summary, Tag: "info", Auth: true, Params: []obj{item},
			Body: "ReasonRequest", BodyExample: exampleReason, OK: 200, OKSchema: "InfoItem", Errors: itemErr}
	}
	reject := withReason("/info/items/{id}/reject", "退回起草处室（须填写原因；仅限待审核）")
	withdraw := withReason("/info/items/{id}/withdraw", "撤回待审核或已发布的信息（须填写原因；起草处室或审核人）")
	withdraw.BodyExample = obj{"reason": "会议时间调整，待重新发布"}
	portalRevoke := withReason("/info/items/{id}/portal-revoke", "撤销门户发布批准（须填写原因；全办 portal.item.publish）")
	portalRevoke.BodyExample = obj{"reason": "涉及未公开数据，暂缓公开"}
	submit := step("/info/items/{id}/submit", "提交审核（草稿或被退回的信息；可带 version）")
	submit.BodyExample = obj{}
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

		{Method: "GET", Path: "/info/desktop", Summary: "个人桌面：本处室与全办最新信息、待审核、待批准发往门户、我的草稿", Tag: "info", Auth: true,
			Params: []obj{consistentWith()}, OK: 200, OKSchema: "Desktop", OKExample: exampleDesktop, Errors: []int{400, 401, 503}},
		{Method: "GET", Path: "/info/items", Summary: "信息列表（只含本人有权阅读且密级不高于本人的），按修改时间倒序，游标分页", Tag: "info", Auth: true,
			Params: infoListParams(), OK: 200, OKSchema: "InfoList", OKExample: exampleInfoList, Errors: []int{400, 401, 503}},
		{Method: "POST", Path: "/info/items", Summary: "起草信息（本处室 info.item.edit；密级不得高于本人）", Tag: "info", Auth: true,
			Body: "InfoInput", BodyExample: exampleInfoInput, OK: 201, OKSchema: "InfoItem", Errors: []int{400, 401, 403}},
		{Method: "GET", Path: "/info/items/{id}", Summary: "信息详情（无权阅读与不存在同样返回 404）", Tag: "info", Auth: true,
			Params: []obj{item}, OK: 200, OKSchema: "InfoItem", OKExample: exampleInfoItem, Errors: []int{401, 404}},
		{Method: "PUT", Path: "/info/items/{id}", Summary: "修改信息（须带 version；已发布的修改后修订号加一并重新送审）", Tag: "info", Auth: true,
			Params: []obj{item}, Body: "InfoUpdate", BodyExample: exampleInfoUpdate, OK: 200, OKSchema: "InfoItem", Errors: itemErr},
		submit,
		step("/info/items/{id}/approve", "审核通过并发布（处室信息由本处室审核，全办与门户信息由全办审核；套用自动发布规则）"),
		reject,
		withdraw,
		{Method: "POST", Path: "/info/items/{id}/designate", Summary: "指定门户栏目与解禁时间（仅非密、发布范围为门户、无知悉范围限制的信息）", Tag: "info", Auth: true,
			Params: []obj{item}, Body: "DesignateRequest", BodyExample: exampleDesignate, OK: 200, OKSchema: "InfoItem", Errors: itemErr},
		step("/info/items/{id}/portal-approve", "批准当前修订发往门户（全办 portal.item.publish；须已发布并指定栏目）"),
		portalRevoke,
		{Method: "GET", Path: "/info/rules", Summary: "自动发布规则（安全保密管理员 policy.manage）", Tag: "info", Auth: true,
			OK: 200, OKSchema: "RuleList", OKExample: obj{"items": []obj{exampleRule}, "total": 1}, Errors: []int{401, 403}},
		{Method: "POST", Path: "/info/rules", Summary: "新建自动发布规则：该处室该类别的信息经全办审核后自动发往门户栏目", Tag: "info", Auth: true,
			Body: "RuleInput", BodyExample: exampleRuleInput, OK: 201, OKSchema: "Rule", OKExample: exampleRule, Errors: []int{400, 401, 403}},
		{Method: "DELETE", Path: "/info/rules/{id}", Summary: "删除自动发布规则（安全保密管理员 policy.manage）", Tag: "info", Auth: true,
			Params: []obj{pp("id", "规则 id")}, OK: 204, Errors: []int{401, 403, 404}},

		{Method: "GET", Path: "/gateway/status", Summary: "数据网关状态：检查点、积压、发往门户与拒绝的计数（三员可查）", Tag: "gateway", Auth: true,
			OK: 200, OKSchema: "GatewayStatus", OKExample: exampleGatewayStatus, Errors: []int{401, 403}},
	}
}
