// Package notifyhttp is the thin HTTP layer of the notification inbox:
// routes under /api/office/v1/notifications. Every route is the caller's
// own inbox; another's notification is a 404.
package notifyhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Consistency is the query of the unread count (read your own write).
type Consistency struct {
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待计数应用到该变更序号（读己之写）"`
}

// Routes are the notification routes under /api/office/v1.
func Routes(svc *notify.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	// No Collection: a notification has no department for the matrix to
	// pick one by; it names one in fx.ids (cmd/zhengwu/authz_test.go).
	op := func(method, path, summary string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "notifications", Auth: true, OK: 200,
			Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	readAll := op("POST", "/notifications/read-all", "全部标为已读（可限一类）")
	readAll.BodyOptional = true
	return []openapi.Route{
		openapi.Handle(op("GET", "/notifications", "我的消息，最新在前（可只看未读、按类别）", 503),
			func(c *fiber.Ctx, q notify.ListQuery) (notify.Page, error) {
				return svc.List(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/notifications/unread", "未读消息数（合计与分类）", 503),
			func(c *fiber.Ctx, q Consistency) (notify.Unread, error) {
				return svc.UnreadCount(c.UserContext(), auth.Caller(c), q.ConsistentWith)
			}, signedIn),
		openapi.Handle(op("GET", "/notifications/preferences", "我的提醒设置"),
			func(c *fiber.Ctx, _ struct{}) (notify.PrefsView, error) {
				return svc.Preferences(c.UserContext(), auth.Caller(c))
			}, signedIn),
		openapi.Handle(op("PUT", "/notifications/preferences", "修改提醒设置（待办公文与催办不能关闭）"),
			func(c *fiber.Ctx, in notify.PrefsInput) (notify.PrefsView, error) {
				return svc.SetPreferences(c.UserContext(), auth.Caller(c), c.IP(), in)
			}, signedIn),
		openapi.Handle(readAll,
			func(c *fiber.Ctx, q notify.KindQuery) (notify.ReadAllResult, error) {
				return svc.ReadAll(c.UserContext(), actor(c), q)
			}, signedIn),
		openapi.Handle(op("POST", "/notifications/{id}/read", "标为已读（仅本人的消息；他人的与不存在同样 404）", 404, 409),
			func(c *fiber.Ctx, _ struct{}) (notify.View, error) {
				return svc.MarkRead(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(op("DELETE", "/notifications/{id}", "删除消息（仅本人的消息）", 404, 409),
			func(c *fiber.Ctx, _ struct{}) (notify.View, error) {
				return svc.Delete(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn),
	}
}
