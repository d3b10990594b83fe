// Package flowadminhttp is the thin HTTP layer of the business
// configuration: the flow definitions (/flows) and the working calendar
// (/calendar) under /api/office/v1.
package flowadminhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/flowadmin"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Routes are the flow definitions' and the calendar's routes.
func Routes(flows *flowadmin.Flows, cal *flowadmin.Calendar, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "flows", Auth: true, OK: ok,
			Perm: perm, Scope: scope, Errors: append([]int{400, 401, 403}, errs...)}
	}
	manage := func(method, path, summary string, ok int, errs ...int) openapi.Op {
		return op(method, path, summary, ok, auth.PermFlowManage, "office", errs...)
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	return []openapi.Route{
		openapi.Handle(manage("GET", "/flows", "流程定义列表：每个流程的各版本与启用版本（flow.manage）", 200),
			func(c *fiber.Ctx, _ struct{}) (flowadmin.FlowList, error) {
				return flows.List(c.UserContext(), auth.Caller(c))
			}, signedIn),
		openapi.Handle(manage("GET", "/flows/{key}", "一个流程的各版本与启用版本", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (flowadmin.Flow, error) {
				return flows.Get(c.UserContext(), auth.Caller(c), c.Params("key"))
			}, signedIn),
		openapi.Handle(manage("GET", "/flows/{key}/versions/{version}", "流程定义的一个版本（节点与连线）", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (workflow.Definition, error) {
				return flows.Version(c.UserContext(), auth.Caller(c), c.Params("key"), c.Params("version"))
			}, signedIn),
		openapi.Handle(manage("POST", "/flows/{key}/check", "校验流程定义（不保存）：错误逐项指明节点或连线", 200),
			func(c *fiber.Ctx, in workflow.Definition) (flowadmin.Checked, error) {
				return flows.Check(c.UserContext(), auth.Caller(c), c.Params("key"), in)
			}, signedIn),
		openapi.Handle(manage("POST", "/flows/{key}/versions", "保存为新版本（经引擎校验；不改变启用版本，运行中的流程仍按其原版本）", 201, 409),
			func(c *fiber.Ctx, in workflow.Definition) (workflow.Definition, error) {
				return flows.Save(c.UserContext(), actor(c), c.Params("key"), in)
			}, signedIn),
		openapi.Handle(manage("POST", "/flows/{key}/activate", "启用一个版本：此后发起的流程按该版本运行", 200, 409),
			func(c *fiber.Ctx, in flowadmin.Activation) (flowadmin.Flow, error) {
				return flows.Activate(c.UserContext(), actor(c), c.Params("key"), in)
			}, signedIn),
		openapi.Handle(op("GET", "/calendar/{year}", "一年的工作日历：放假时段与调休上班日，数据来自国务院办公厅通知或经修改", 200,
			auth.PermOfficeRead, "any", 404),
			func(c *fiber.Ctx, _ struct{}) (flowadmin.CalendarYear, error) {
				return cal.Year(c.UserContext(), auth.Caller(c), c.Params("year"))
			}, signedIn),
		openapi.Handle(manage("PUT", "/calendar/{year}", "修改一年的工作日历（整年替换；校验后即时生效）", 200, 404, 409),
			func(c *fiber.Ctx, in flowadmin.YearEdit) (flowadmin.CalendarYear, error) {
				return cal.PutYear(c.UserContext(), actor(c), c.Params("year"), in)
			}, signedIn),
	}
}
