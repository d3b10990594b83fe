// Package infohttp is the thin HTTP layer of the department information
// platforms: it parses and validates requests, calls info.Service, and
// renders results. Routes under /api/office/v1/info, each with its
// description (Routes), so that what is mounted is what is documented;
// each handler is an openapi.Handle function.
package infohttp

import (
	"zhengwu/officeapi/info"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tag groups the routes in the office API's description.
var Tag = openapi.Tag{Name: "info", Title: "处室信息平台：信息的起草、审核、发布与门户报送"}

// Routes are the information platforms' routes under /api/office/v1.
func Routes(svc *info.Service, tokens *auth.Tokens) []openapi.Route {
	h := &handlers{svc: svc}
	signedIn := tokens.Required()
	policy := auth.RequireOfficeWide(info.PermPolicy)
	op := func(method, path, summary string, ok int, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: Tag.Name, Auth: true,
			OK: ok, Collection: info.Collection, Errors: append([]int{401}, errs...)}
	}
	// needs declares what a route needs: perm in the item's department
	// ("department") or office-wide ("office").
	needs := func(o openapi.Op, perm auth.Permission, scope string) openapi.Op {
		o.Perm, o.Scope = perm, scope
		return o
	}
	// step is a transition's operation: POST on an item, answering it.
	step := func(path, summary string, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return needs(op("POST", path, summary, 200, errs...), perm, scope)
	}
	optional := func(o openapi.Op) openapi.Op { o.BodyOptional = true; return o }
	update := needs(op("PUT", "/info/items/{id}", "修改信息（须带 version；已发布的修改后修订号加一并重新送审）", 200, 400, 403, 404, 409),
		info.PermEdit, "department")
	update.Req = updateBody{} // update decodes it itself
	deleteRule := needs(op("DELETE", "/info/rules/{id}", "删除自动发布规则（安全保密管理员 policy.manage）", 204, 403, 404), info.PermPolicy, "office")
	deleteRule.Collection = info.RulesCollection
	return []openapi.Route{
		openapi.Handle(op("GET", "/info/desktop", "信息平台桌面：本处室与全办最新信息、待审核、待批准发往门户、我的草稿", 200, 400, 503),
			h.desktop, signedIn),
		openapi.Handle(op("GET", "/info/items", "信息列表（只含本人有权阅读且密级不高于本人的），按修改时间倒序，游标分页", 200, 400, 503),
			h.list, signedIn),
		openapi.Handle(needs(op("POST", "/info/items", "起草信息（本处室 info.item.edit；密级不得高于本人；附件须为已上传的文件）", 201, 400, 403),
			info.PermEdit, "department"), h.create, signedIn),
		openapi.Handle(op("GET", "/info/items/{id}", "信息详情（无权阅读与不存在同样返回 404）", 200, 404), h.get, signedIn, validID),
		openapi.Handle(update, h.update, signedIn, validID),
		openapi.Handle(optional(step("/info/items/{id}/submit", "提交审核（草稿或被退回的信息；可带 version）",
			info.PermEdit, "department", 403, 404, 409)), h.step(svc.Submit), signedIn, validID),
		openapi.Handle(optional(step("/info/items/{id}/approve", "审核通过并发布（处室信息由本处室审核，全办与门户信息由全办审核；不得审核本人撰写或报送的；套用自动发布规则）",
			info.PermReview, "department", 403, 404, 409)), h.step(svc.Approve), signedIn, validID),
		openapi.Handle(step("/info/items/{id}/reject", "退回起草处室（须填写原因；仅限待审核）",
			info.PermReview, "department", 400, 403, 404, 409), h.withReason(svc.Reject), signedIn, validID),
		// Withdrawal: the department's editors or the item's reviewers (no
		// one permission: the item decides).
		openapi.Handle(step("/info/items/{id}/withdraw", "撤回待审核或已发布的信息（须填写原因；起草处室或审核人）",
			auth.Permission{}, "", 400, 403, 404, 409), h.withReason(svc.Withdraw), signedIn, validID),
		openapi.Handle(step("/info/items/{id}/designate", "指定门户栏目与解禁时间（仅非密、发布范围为门户、无知悉范围限制的信息）",
			info.PermEdit, "department", 400, 403, 404, 409), h.designate, signedIn, validID),
		openapi.Handle(optional(step("/info/items/{id}/portal-approve", "批准当前修订发往门户（全办 portal.item.publish；须已发布并指定栏目）",
			info.PermPublish, "office", 400, 403, 404, 409)), h.step(svc.PortalApprove), signedIn, validID),
		openapi.Handle(step("/info/items/{id}/portal-revoke", "撤销门户发布批准（须填写原因；全办 portal.item.publish）",
			info.PermPublish, "office", 400, 403, 404, 409), h.withReason(svc.PortalRevoke), signedIn, validID),
		openapi.Handle(needs(op("GET", "/info/rules", "自动发布规则（安全保密管理员 policy.manage）", 200, 403), info.PermPolicy, "office"),
			h.rules, signedIn, policy),
		openapi.Handle(needs(op("POST", "/info/rules", "新建自动发布规则：该处室该类别的信息经全办审核后自动发往门户栏目", 201, 400, 403),
			info.PermPolicy, "office"), h.addRule, signedIn, policy),
		openapi.Handle(deleteRule, h.deleteRule, signedIn),
	}
}
