// Package assistanthttp is the thin HTTP layer of the personal assistant:
// the calendar, to-dos and notes under /api/office/v1/assistant, and the
// contacts directory under /api/office/v1/contacts.
package assistanthttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/assistant"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Routes are the assistant's routes under /api/office/v1. Every member of
// staff (office.read) has an assistant; each document is its owner's
// alone (another's is a 404).
func Routes(svc *assistant.Service, tokens *auth.Tokens) []openapi.Route {
	staff := []fiber.Handler{tokens.Required(), auth.RequireAnywhere(auth.PermOfficeRead)}
	// The documents are their owners' alone and belong to no department:
	// no Collection (the authorisation matrix names a demo one by path).
	op := func(method, path, summary string, ok int, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "assistant", Auth: true, OK: ok,
			Perm: auth.PermOfficeRead, Scope: "any", Errors: append([]int{400, 401, 403}, errs...)}
	}
	// The directory is also the system administrator's, who keeps the
	// office phones and rooms (user.manage, without office.read).
	directory := []fiber.Handler{tokens.Required(), auth.RequireAnywhere(auth.PermOfficeRead, auth.PermUserManage)}
	dirOp := func(method, path, summary string, ok int, errs ...int) openapi.Op {
		o := op(method, path, summary, ok, errs...)
		o.OrPerm = []auth.Permission{auth.PermUserManage}
		return o
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	id := func(c *fiber.Ctx) string { return c.Params("id") }
	return []openapi.Route{
		openapi.Handle(op("GET", "/assistant/calendar", "我的日程：本人日程（重复日程展开）叠加本人会议与已发布的领导活动（有权查看者），按开始时间", 200),
			func(c *fiber.Ctx, q assistant.CalendarQuery) (assistant.Calendar, error) {
				return svc.Calendar(c.UserContext(), auth.Caller(c), q)
			}, staff...),
		openapi.Handle(op("POST", "/assistant/events", "新建日程（全天或定时；可按日、周、月重复至截止日期；可提前提醒）", 201),
			func(c *fiber.Ctx, in assistant.EventInput) (assistant.EventView, error) {
				return svc.CreateEvent(c.UserContext(), actor(c), in)
			}, staff...),
		openapi.Handle(op("GET", "/assistant/events/{id}", "日程详情（仅本人）", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (assistant.EventView, error) {
				return svc.GetEvent(c.UserContext(), auth.Caller(c), id(c))
			}, staff...),
		openapi.Handle(op("PUT", "/assistant/events/{id}", "修改日程（按读取时的版本）", 200, 404, 409),
			func(c *fiber.Ctx, in assistant.EventInput) (assistant.EventView, error) {
				return svc.UpdateEvent(c.UserContext(), actor(c), id(c), in)
			}, staff...),
		openapi.Handle(op("DELETE", "/assistant/events/{id}", "删除日程", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (assistant.EventView, error) {
				return svc.DeleteEvent(c.UserContext(), actor(c), id(c))
			}, staff...),
		openapi.Handle(op("GET", "/assistant/todos", "我的待办，按截止时间", 200, 503),
			func(c *fiber.Ctx, q assistant.TodoQuery) (assistant.TodoPage, error) {
				return svc.Todos(c.UserContext(), auth.Caller(c), q)
			}, staff...),
		openapi.Handle(op("POST", "/assistant/todos", "新建待办（手填，或由公文任务 task、邮件 mail 生成：标题与密级按本人权限读取）", 201, 404),
			func(c *fiber.Ctx, in assistant.TodoInput) (assistant.TodoView, error) {
				return svc.CreateTodo(c.UserContext(), actor(c), in)
			}, staff...),
		openapi.Handle(op("GET", "/assistant/todos/{id}", "待办详情（仅本人）", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (assistant.TodoView, error) {
				return svc.GetTodo(c.UserContext(), auth.Caller(c), id(c))
			}, staff...),
		openapi.Handle(op("PUT", "/assistant/todos/{id}", "修改待办、标记完成（按读取时的版本）", 200, 404, 409),
			func(c *fiber.Ctx, in assistant.TodoChange) (assistant.TodoView, error) {
				return svc.UpdateTodo(c.UserContext(), actor(c), id(c), in)
			}, staff...),
		openapi.Handle(op("DELETE", "/assistant/todos/{id}", "删除待办", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (assistant.TodoView, error) {
				return svc.DeleteTodo(c.UserContext(), actor(c), id(c))
			}, staff...),
		openapi.Handle(op("GET", "/assistant/notes", "我的便笺，置顶在前", 200, 503),
			func(c *fiber.Ctx, q assistant.NoteQuery) (assistant.NotePage, error) {
				return svc.Notes(c.UserContext(), auth.Caller(c), q)
			}, staff...),
		openapi.Handle(op("POST", "/assistant/notes", "新建便笺（富文本经统一净化）", 201),
			func(c *fiber.Ctx, in assistant.NoteInput) (assistant.NoteView, error) {
				return svc.SaveNote(c.UserContext(), actor(c), "", in)
			}, staff...),
		openapi.Handle(op("GET", "/assistant/notes/{id}", "便笺详情（仅本人）", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (assistant.NoteView, error) {
				return svc.GetNote(c.UserContext(), auth.Caller(c), id(c))
			}, staff...),
		openapi.Handle(op("PUT", "/assistant/notes/{id}", "修改便笺（按读取时的版本）", 200, 404, 409),
			func(c *fiber.Ctx, in assistant.NoteInput) (assistant.NoteView, error) {
				return svc.SaveNote(c.UserContext(), actor(c), id(c), in)
			}, staff...),
		openapi.Handle(op("DELETE", "/assistant/notes/{id}", "删除便笺", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (assistant.NoteView, error) {
				return svc.DeleteNote(c.UserContext(), actor(c), id(c))
			}, staff...),
		openapi.Handle(dirOp("GET", "/contacts", "通讯录：按姓名、全拼、拼音首字母、处室或电话查找；按处室顺序再按姓名拼音排列（不含三员）", 200),
			func(c *fiber.Ctx, q assistant.ContactQuery) (assistant.ContactList, error) {
				return svc.Contacts(c.UserContext(), auth.Caller(c), q)
			}, directory...),
		openapi.Handle(dirOp("GET", "/contacts/{id}", "联系人名片", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (assistant.Contact, error) {
				return svc.Contact(c.UserContext(), auth.Caller(c), id(c))
			}, directory...),
		openapi.Handle(dirOp("PUT", "/contacts/{id}/card", "修改联系方式：本人可改手机号码，办公电话和房间号由系统管理员（user.manage）维护", 200, 404, 409),
			func(c *fiber.Ctx, in assistant.CardInput) (assistant.Contact, error) {
				return svc.SaveCard(c.UserContext(), actor(c), id(c), in)
			}, directory...),
	}
}
