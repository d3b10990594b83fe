// Package leavehttp is the thin HTTP layer of leave requests: routes under
// /api/office/v1/leave, each with its description.
package leavehttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/leave"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Routes are the leave routes under /api/office/v1.
func Routes(svc *leave.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "leave", Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: leave.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	step := func(path, summary string, perm auth.Permission, scope string,
		fn func(c *fiber.Ctx, id string, d leave.Decision) (leave.View, error)) openapi.Route {
		o := op("POST", path, summary, 200, perm, scope, 403, 404, 409)
		o.BodyOptional = true
		return openapi.Handle(o, func(c *fiber.Ctx, d leave.Decision) (leave.View, error) { return fn(c, c.Params("id"), d) }, signedIn)
	}
	return []openapi.Route{
		openapi.Handle(op("POST", "/leave/requests", "提交请假申请（本人所在处室；结束日期不早于开始日期，至多 180 天）", 201,
			auth.PermLeaveApply, "any", 403),
			func(c *fiber.Ctx, in leave.Input) (leave.View, error) {
				return svc.Apply(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("GET", "/leave/requests", "我的请假申请，按更新时间倒序", 200, auth.Permission{}, "", 503),
			func(c *fiber.Ctx, q leave.ListQuery) (leave.Page, error) {
				return svc.Mine(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/leave/approvals", "待我审批的请假（本人负责的处室，不含本人的；默认待审批）", 200,
			auth.PermLeaveApprove, "any", 403, 503),
			func(c *fiber.Ctx, q leave.ListQuery) (leave.Page, error) {
				return svc.Awaiting(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/leave/requests/{id}", "请假申请详情（申请人与该处室审批人；无权与不存在同样 404）", 200,
			auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (leave.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		step("/leave/requests/{id}/approve", "批准（该处室 leave.approve；不得审批本人的；仅限待审批）", auth.PermLeaveApprove, "department",
			func(c *fiber.Ctx, id string, d leave.Decision) (leave.View, error) {
				return svc.Approve(c.UserContext(), actor(c), id, d)
			}),
		step("/leave/requests/{id}/refuse", "不予批准（须填写意见）", auth.PermLeaveApprove, "department",
			func(c *fiber.Ctx, id string, d leave.Decision) (leave.View, error) {
				return svc.Refuse(c.UserContext(), actor(c), id, d)
			}),
		openapi.Handle(op("POST", "/leave/requests/{id}/withdraw", "申请人撤回待审批的申请", 200, auth.Permission{}, "", 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (leave.View, error) {
				return svc.Withdraw(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn),
	}
}
