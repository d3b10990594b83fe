// Package infohttp is the thin HTTP layer of the department information
// platforms: it parses and validates requests, calls info.Service, and
// renders results. Routes under /api/office/v1/info, each with its
// description (Routes), so that what is mounted is what is documented.
package infohttp

import (
	"github.com/gofiber/fiber/v2"

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
	op := func(method, path, summary string, ok int, resp any, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: Tag.Name, Auth: true,
			OK: ok, Resp: resp, Collection: info.Collection, Errors: append([]int{401}, errs...)}
	}
	// needs declares what a route needs: perm in the item's department
	// ("department") or office-wide ("office").
	needs := func(o openapi.Op, perm auth.Permission, scope string) openapi.Op {
		o.Perm, o.Scope = perm, scope
		return o
	}
	step := func(path, summary string, body any, fn fiber.Handler, perm auth.Permission, scope string, errs ...int) openapi.Route {
		o := needs(op("POST", path, summary, 200, info.View{}, errs...), perm, scope)
		o.Req, o.BodyOptional = body, body == (versionBody{})
		return openapi.Route{Op: o, Handlers: []fiber.Handler{signedIn, fn}}
	}
	list := op("GET", "/info/items", "信息列表（只含本人有权阅读且密级不高于本人的），按修改时间倒序，游标分页", 200, info.Page{}, 400, 503)
	list.Query = listParams{}
	create := needs(op("POST", "/info/items", "起草信息（本处室 info.item.edit；密级不得高于本人；附件须为已上传的文件）", 201, info.View{}, 400, 403),
		info.PermEdit, "department")
	create.Req = info.Input{}
	update := needs(op("PUT", "/info/items/{id}", "修改信息（须带 version；已发布的修改后修订号加一并重新送审）", 200, info.View{}, 400, 403, 404, 409),
		info.PermEdit, "department")
	update.Req = updateBody{}
	rules := needs(op("GET", "/info/rules", "自动发布规则（安全保密管理员 policy.manage）", 200, info.RuleList{}, 403), info.PermPolicy, "office")
	addRule := needs(op("POST", "/info/rules", "新建自动发布规则：该处室该类别的信息经全办审核后自动发往门户栏目", 201, info.Rule{}, 400, 403),
		info.PermPolicy, "office")
	addRule.Req = info.RuleInput{}
	deleteRule := needs(op("DELETE", "/info/rules/{id}", "删除自动发布规则（安全保密管理员 policy.manage）", 204, nil, 403, 404), info.PermPolicy, "office")
	deleteRule.Collection = info.RulesCollection
	desktop := op("GET", "/info/desktop", "信息平台桌面：本处室与全办最新信息、待审核、待批准发往门户、我的草稿", 200, info.Desktop{}, 400, 503)
	desktop.Query = consistentParam{}
	return []openapi.Route{
		{Op: desktop, Handlers: []fiber.Handler{signedIn, h.desktop}},
		{Op: list, Handlers: []fiber.Handler{signedIn, h.list}},
		{Op: create, Handlers: []fiber.Handler{signedIn, h.create}},
		{Op: op("GET", "/info/items/{id}", "信息详情（无权阅读与不存在同样返回 404）", 200, info.View{}, 404), Handlers: []fiber.Handler{signedIn, h.get}},
		{Op: update, Handlers: []fiber.Handler{signedIn, h.update}},
		step("/info/items/{id}/submit", "提交审核（草稿或被退回的信息；可带 version）", versionBody{}, h.submit,
			info.PermEdit, "department", 403, 404, 409),
		step("/info/items/{id}/approve", "审核通过并发布（处室信息由本处室审核，全办与门户信息由全办审核；不得审核本人撰写或报送的；套用自动发布规则）", versionBody{}, h.approve,
			info.PermReview, "department", 403, 404, 409),
		step("/info/items/{id}/reject", "退回起草处室（须填写原因；仅限待审核）", reasonBody{}, h.reject,
			info.PermReview, "department", 400, 403, 404, 409),
		// Withdrawal: the department's editors or the item's reviewers (no
		// one permission: the item decides).
		step("/info/items/{id}/withdraw", "撤回待审核或已发布的信息（须填写原因；起草处室或审核人）", reasonBody{}, h.withdraw,
			auth.Permission{}, "", 400, 403, 404, 409),
		step("/info/items/{id}/designate", "指定门户栏目与解禁时间（仅非密、发布范围为门户、无知悉范围限制的信息）", designateBody{}, h.designate,
			info.PermEdit, "department", 400, 403, 404, 409),
		step("/info/items/{id}/portal-approve", "批准当前修订发往门户（全办 portal.item.publish；须已发布并指定栏目）", versionBody{}, h.portalApprove,
			info.PermPublish, "office", 400, 403, 404, 409),
		step("/info/items/{id}/portal-revoke", "撤销门户发布批准（须填写原因；全办 portal.item.publish）", reasonBody{}, h.portalRevoke,
			info.PermPublish, "office", 400, 403, 404, 409),
		{Op: rules, Handlers: []fiber.Handler{signedIn, h.rules}},
		{Op: addRule, Handlers: []fiber.Handler{signedIn, h.addRule}},
		{Op: deleteRule, Handlers: []fiber.Handler{signedIn, h.deleteRule}},
	}
}
