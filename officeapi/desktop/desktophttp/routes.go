// Package desktophttp serves the personal desktop: GET /api/office/v1/desktop.
package desktophttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tag groups the route in the office API's description.
var Tag = openapi.Tag{Name: "desktop", Title: "个人桌面：待办、待阅与各业务面板"}

// Routes are the desktop's routes under /api/office/v1, with their
// description.
func Routes(s *desktop.Service, tokens *auth.Tokens) []openapi.Route {
	return []openapi.Route{openapi.Handle(openapi.Op{Method: "GET", Path: "/desktop", Tag: Tag.Name, Auth: true,
		Summary: "个人桌面：待办、待阅和各业务的面板（逾期和催办的在前）", OK: 200, Errors: []int{401}},
		func(c *fiber.Ctx, _ struct{}) (desktop.View, error) {
			return s.Desktop(c.UserContext(), auth.Caller(c))
		},
		tokens.Required())}
}
