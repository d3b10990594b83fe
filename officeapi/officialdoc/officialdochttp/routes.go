// Package officialdochttp is the thin HTTP layer of official documents
// (公文): routes under /api/office/v1, each with its description.
package officialdochttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Routes are the 公文 routes under /api/office/v1.
func Routes(svc *officialdoc.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "officialdoc", Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: officialdoc.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	submit := op("POST", "/documents/{id}/submit", "起草人提交草稿，启动发文或收文流程（发文：起草环节随即办结，转入审核）", 200,
		auth.Permission{}, "", 403, 404, 409)
	submit.BodyOptional = true
	// A task's id begins with its document's id ("<document>.t3"): the
	// matrix's document id names no task, and answers 404.
	act := op("POST", "/tasks/{id}/actions", "办理待办：同意、退回、撤回、转办、加签（办理人由流程决定；登记编号环节同时编发文字号；"+
		"收文批办环节同意时指定主办、协办处室、办理时限和传阅人员；核发环节将公文送达本系统内的主送、抄送单位）", 200,
		auth.Permission{}, "", 403, 404, 409)
	return []openapi.Route{
		openapi.Handle(op("POST", "/documents", "起草公文（本人所在处室；GB/T 9704 各要素；密级不高于本人涉密等级和本系统上限）", 201,
			auth.PermDocDraft, "any", 403),
			func(c *fiber.Ctx, in officialdoc.Input) (officialdoc.View, error) {
				return svc.Create(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("GET", "/documents", "本人可阅的公文，按更新时间倒序（按方向、状态、文种筛选）", 200, auth.Permission{}, "", 503),
			func(c *fiber.Ctx, q officialdoc.ListQuery) (officialdoc.Page, error) {
				return svc.List(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/documents/{id}", "公文详情（本处室、知悉范围内、办理过的人员，且涉密等级不低于其密级；无权与不存在同样 404）", 200,
			auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (officialdoc.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(submit, func(c *fiber.Ctx, _ struct{}) (officialdoc.View, error) {
			return svc.Submit(c.UserContext(), actor(c), c.Params("id"))
		}, signedIn),
		openapi.Handle(op("GET", "/documents/{id}/flow", "流程图：各环节状态、办理人、时间、意见、用时、超期", 200, auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (workflow.FlowGraph, error) {
				return svc.Flow(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(op("GET", "/tasks", "本人的公文待办，超期和被催办的在前", 200, auth.Permission{}, "", 503),
			func(c *fiber.Ctx, q officialdoc.TaskQuery) (officialdoc.TaskList, error) {
				return svc.Tasks(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(act, func(c *fiber.Ctx, in officialdoc.ActionInput) (officialdoc.View, error) {
			return svc.Act(c.UserContext(), actor(c), c.Params("id"), in)
		}, signedIn),
		openapi.Handle(op("PUT", "/documents/{id}", "修改公文（起草人修改草稿或退回起草的稿件；审核、签发、复核环节的办理人修改）：带读取时的版本号，正文的每次修改保留一个版本", 200,
			auth.Permission{}, "", 403, 404, 409),
			func(c *fiber.Ctx, in officialdoc.EditInput) (officialdoc.View, error) {
				return svc.Edit(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("GET", "/documents/{id}/revisions", "正文的各个版本（修改人、时间、正文），按版本顺序", 200, auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (officialdoc.RevisionList, error) {
				return svc.Revisions(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(op("GET", "/documents/{id}/revisions/diff", "比较正文的两个版本（去除标记后的文字，逐字比较）", 200, auth.Permission{}, "", 404),
			func(c *fiber.Ctx, q officialdoc.DiffQuery) (officialdoc.Diff, error) {
				return svc.Diff(c.UserContext(), auth.Caller(c), c.Params("id"), q)
			}, signedIn),
		openapi.Handle(op("POST", "/documents/{id}/urge", "催办：起草人、已办理过的人员或本处室负责人（领导）催促在办环节的办理人", 200,
			auth.Permission{}, "", 403, 404, 409),
			func(c *fiber.Ctx, in officialdoc.UrgeInput) (officialdoc.View, error) {
				return svc.Urge(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("POST", "/documents/{id}/terminate", "终止流程：起草人在签发（收文：批办）之前，或本处室负责人（领导），须说明理由", 200,
			auth.Permission{}, "", 403, 404, 409),
			func(c *fiber.Ctx, in officialdoc.TerminateInput) (officialdoc.View, error) {
				return svc.Terminate(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
	}
}
