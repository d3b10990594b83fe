package gateway

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// MountStatus serves GET /api/office/v1/gateway/status to the three
// officers (system administrator, security administrator, auditor): the
// numbers an operator watches, no item content.
func (g *Gateway) MountStatus(app *fiber.App, tokens *auth.Tokens) {
	app.Get("/api/office/v1/gateway/status", tokens.Required(), func(c *fiber.Ctx) error {
		p := auth.Caller(c)
		if !p.Can(auth.PermUserManage, auth.OfficeWide) && !p.Can(auth.PermGrantManage, auth.OfficeWide) && !p.Can(auth.PermAuditRead, auth.OfficeWide) {
			return problem.Forbidden()
		}
		st, err := g.Status(c.UserContext())
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(st)
	})
}
