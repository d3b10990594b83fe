// Package leavehttp is the thin HTTP layer of leave requests: routes under
// /api/office/v1/leave, each with its description.
package leavehttp

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/leave"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// Routes are the leave routes under /api/office/v1.
func Routes(svc *leave.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	route := func(o openapi.Op, h fiber.Handler) openapi.Route {
		o.Tag, o.Auth, o.Errors = "leave", true, append([]int{400, 401}, o.Errors...)
		return openapi.Route{Op: o, Handlers: []fiber.Handler{signedIn, h}}
	}
	list := func(fn func(context.Context, *auth.Principal, leave.ListQuery) (leave.Page, error)) fiber.Handler {
		return func(c *fiber.Ctx) error {
			var q listParams
			if err := httpx.Query(c, &q); err != nil {
				return err
			}
			page, err := fn(c.UserContext(), auth.Caller(c), leave.ListQuery{State: q.State, Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith})
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderCacheControl, "no-store")
			return c.JSON(page)
		}
	}
	step := func(path, summary string, body any, perm auth.Permission, scope string,
		fn func(context.Context, leave.Actor, string, leave.Decision) (leave.View, error)) openapi.Route {
		o := openapi.Op{Method: "POST", Path: path, Summary: summary, Req: body, BodyOptional: true,
			OK: 200, Resp: leave.View{}, Perm: perm, Scope: scope, Errors: []int{403, 404, 409}}
		return route(o, func(c *fiber.Ctx) error {
			var d leave.Decision
			if body != nil && httpx.HasBody(c) {
				if err := httpx.Bind(c, &d); err != nil {
					return err
				}
			}
			id := c.Params("id")
			if len(id) > 64 {
				return problem.NotFound("请假申请不存在", "no such leave request")
			}
			v, err := fn(c.UserContext(), leave.Actor{P: auth.Caller(c), IP: c.IP()}, id, d)
			if err != nil {
				return err
			}
			return c.JSON(v)
		})
	}
	return []openapi.Route{
		route(openapi.Op{Method: "POST", Path: "/leave/requests", Summary: "提交请假申请（本人所在处室；结束日期不早于开始日期，至多 180 天）",
			Req: leave.Input{}, OK: 201, Resp: leave.View{}, Perm: auth.PermLeaveApply, Scope: "any", Errors: []int{403}},
			func(c *fiber.Ctx) error {
				var in leave.Input
				if err := httpx.Bind(c, &in); err != nil {
					return err
				}
				v, err := svc.Apply(c.UserContext(), leave.Actor{P: auth.Caller(c), IP: c.IP()}, in)
				if err != nil {
					return err
				}
				return c.Status(fiber.StatusCreated).JSON(v)
			}),
		route(openapi.Op{Method: "GET", Path: "/leave/requests", Summary: "我的请假申请，按更新时间倒序", Query: listParams{},
			OK: 200, Resp: leave.Page{}, Errors: []int{503}},
			list(svc.Mine)),
		route(openapi.Op{Method: "GET", Path: "/leave/approvals", Summary: "待我审批的请假（本人负责的处室，不含本人的；默认待审批）",
			Query: listParams{}, OK: 200, Resp: leave.Page{}, Perm: auth.PermLeaveApprove, Scope: "any", Errors: []int{403, 503}},
			list(svc.Awaiting)),
		route(openapi.Op{Method: "GET", Path: "/leave/requests/{id}", Summary: "请假申请详情（申请人与该处室审批人；无权与不存在同样 404）",
			OK: 200, Resp: leave.View{}, Errors: []int{404}},
			func(c *fiber.Ctx) error {
				v, err := svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
				if err != nil {
					return err
				}
				c.Set(fiber.HeaderCacheControl, "no-store")
				return c.JSON(v)
			}),
		step("/leave/requests/{id}/approve", "批准（该处室 leave.approve；不得审批本人的；仅限待审批）", leave.Decision{},
			auth.PermLeaveApprove, "department", svc.Approve),
		step("/leave/requests/{id}/refuse", "不予批准（须填写意见）", leave.Decision{}, auth.PermLeaveApprove, "department", svc.Refuse),
		step("/leave/requests/{id}/withdraw", "申请人撤回待审批的申请", nil, auth.Permission{}, "",
			func(ctx context.Context, a leave.Actor, id string, _ leave.Decision) (leave.View, error) {
				return svc.Withdraw(ctx, a, id)
			}),
	}
}

// listParams are a list's query parameters.
type listParams struct {
	State          string `query:"state" validate:"omitempty,oneof=pending approved refused withdrawn" doc:"状态"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}
