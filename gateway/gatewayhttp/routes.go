// Package gatewayhttp serves the data gateway's status to the three
// officers: GET /api/office/v1/gateway/status. It is mounted, and
// described, only by a process that runs the gateway.
package gatewayhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/gateway"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// Routes are the gateway's routes under /api/office/v1.
func Routes(g *gateway.Gateway, tokens *auth.Tokens) []openapi.Route {
	return []openapi.Route{{
		Op: openapi.Op{Method: "GET", Path: "/gateway/status", Tag: "gateway", Auth: true,
			Summary: "数据网关状态：检查点、积压、发往门户与拒绝的计数（三员可查）",
			OK:      200, Resp: gateway.Status{}, Errors: []int{401, 403}},
		Handlers: []fiber.Handler{tokens.Required(), func(c *fiber.Ctx) error {
			// The numbers an operator watches, no item content: any of the
			// three officers.
			p := auth.Caller(c)
			if !p.Can(auth.PermUserManage, auth.OfficeWide) && !p.Can(auth.PermGrantManage, auth.OfficeWide) &&
				!p.Can(auth.PermAuditRead, auth.OfficeWide) {
				return problem.Forbidden()
			}
			st, err := g.Status(c.UserContext())
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderCacheControl, "no-store")
			return c.JSON(st)
		}},
	}}
}
