// Package desktophttp serves the personal desktop: GET /api/office/v1/desktop
// and its live events, GET /api/office/v1/desktop/events.
package desktophttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tag groups the route in the office API's description.
var Tag = openapi.Tag{Name: "desktop", Title: "个人桌面：待办、待阅与各业务面板"}

// Query is the desktop's query.
type Query struct {
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待各列表应用到该变更序号（实时事件的 id）"`
}

// Routes are the desktop's routes under /api/office/v1, with their
// description; Events are its live events'.
func Routes(s *desktop.Service, tokens *auth.Tokens) []openapi.Route {
	return []openapi.Route{
		openapi.Handle(openapi.Op{Method: "GET", Path: "/desktop", Tag: Tag.Name, Auth: true,
			Summary: "个人桌面：待办、待阅和各业务的面板（逾期和催办的在前）", OK: 200, Errors: []int{400, 401, 503}},
			func(c *fiber.Ctx, q Query) (desktop.View, error) {
				return s.DesktopAfter(c.UserContext(), auth.Caller(c), q.ConsistentWith)
			},
			tokens.Required()),
	}
}

// Events is the desktop's live event stream under /api/office/v1, with its
// description.
func Events(hub *desktop.Hub, tokens *auth.Tokens) []openapi.Route {
	return []openapi.Route{
		{Op: openapi.Op{Method: "GET", Path: "/desktop/events", Tag: Tag.Name, Auth: true,
			Summary: "个人桌面的实时事件（text/event-stream，每个标签页一个连接）：与本人有关的变更到达时发送 desktop 事件，" +
				"id 为存储变更序号，断线或服务重启后以 Last-Event-ID 续接；收到后以 ?consistentWith=<id> 重新获取桌面。" +
				"令牌过期或被吊销时连接关闭",
			Params: []openapi.Obj{{"name": "Last-Event-ID", "in": "header", "required": false,
				"description": "上次收到的事件 id（续接）", "schema": openapi.Obj{"type": "string"}}},
			OK: 200, Resp: desktop.Event{}, OKType: "text/event-stream", Errors: []int{401, 503}},
			Handlers: []fiber.Handler{tokens.Required(), events(hub, tokens)}},
	}
}
