// Package dutyhttp is the thin HTTP layer of duty (值班): routes under
// /api/office/v1/duty, each with its description.
package dutyhttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/duty"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Routes are the duty routes under /api/office/v1.
func Routes(svc *duty.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, collection string, errs ...int) openapi.Op {
		o := openapi.Op{Method: method, Path: path, Summary: summary, Tag: "duty", Auth: true, OK: ok,
			Perm: perm, Collection: collection, Errors: append([]int{400, 401}, errs...)}
		if perm != (auth.Permission{}) {
			o.Scope = "office"
		}
		return o
	}
	// readers of the log: duty staff and leaders.
	logOp := func(method, path, summary string, ok int, collection string, errs ...int) openapi.Op {
		o := op(method, path, summary, ok, auth.PermDutyLog, collection, errs...)
		o.OrPerm = []auth.Permission{auth.PermDutyManage, auth.PermDutyLead}
		return o
	}
	optional := func(o openapi.Op) openapi.Op { o.BodyOptional = true; return o }
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	param := func(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }
	month := func(c *fiber.Ctx) duty.MonthQuery { return duty.MonthQuery{Month: param(c, "month")} }
	summary := op("GET", "/duty/summary", "值班月报：各类事项数、重要事项、批示、未办结事项、值班人员天数（值班室、领导）", 200, auth.PermDutyManage, "", 403, 503)
	summary.OrPerm = []auth.Permission{auth.PermDutyLead}

	return []openapi.Route{
		// The roster.
		openapi.Handle(op("GET", "/duty/rosters/{month}", "某月值班表（已发布的全体可阅；草稿仅值班室）", 200, auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (duty.RosterView, error) {
				return svc.Roster(c.UserContext(), auth.Caller(c), month(c))
			}, signedIn),
		openapi.Handle(op("PUT", "/duty/rosters/{month}", "起草或修改某月值班表（值班室；同一班次不得重复安排同一人，带班领导须有领导角色，主班须为值班员；已发布的只能调班）", 200,
			auth.PermDutyManage, "", 403, 409),
			func(c *fiber.Ctx, in duty.RosterInput) (duty.RosterView, error) {
				return svc.SaveRoster(c.UserContext(), actor(c), month(c), in)
			}, signedIn),
		openapi.Handle(op("POST", "/duty/rosters/{month}/publish", "发布值班表（值班室；须排满当月每一天）", 200, auth.PermDutyManage, "", 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (duty.RosterView, error) {
				return svc.PublishRoster(c.UserContext(), actor(c), month(c))
			}, signedIn),
		openapi.Handle(op("GET", "/duty/people", "可排班人员：带班领导、值班员（主班）、本厅工作人员（副班），按姓名拼音（值班室）", 200, auth.PermDutyManage, "", 403),
			func(c *fiber.Ctx, _ struct{}) (duty.People, error) {
				return svc.People(c.UserContext(), auth.Caller(c))
			}, signedIn),
		openapi.Handle(op("GET", "/duty/mine", "本人今后的值班（本月和下月已发布的值班表）", 200, auth.Permission{}, ""),
			func(c *fiber.Ctx, _ struct{}) ([]duty.MyDuty, error) {
				return svc.Mine(c.UserContext(), auth.Caller(c))
			}, signedIn),

		// Swaps.
		openapi.Handle(op("POST", "/duty/swaps", "申请调班（本人在已发布值班表上的班次；对方须能担任该岗位且当日未值班）", 201, auth.Permission{}, "", 403),
			func(c *fiber.Ctx, in duty.SwapInput) (duty.SwapView, error) {
				return svc.RequestSwap(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("GET", "/duty/swaps", "调班申请：本人提出或被请求的，值班室可见全部；按更新时间倒序", 200, auth.Permission{}, "", 503),
			func(c *fiber.Ctx, q duty.SwapQuery) (duty.SwapPage, error) {
				return svc.Swaps(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/duty/swaps/{id}", "调班申请详情（双方与值班室；无权与不存在同样 404）", 200, auth.Permission{}, duty.SwapCollection, 404),
			func(c *fiber.Ctx, _ struct{}) (duty.SwapView, error) {
				return svc.GetSwap(c.UserContext(), auth.Caller(c), param(c, "id"))
			}, signedIn),
		openapi.Handle(op("POST", "/duty/swaps/{id}/agree", "被请求人同意调班", 200, auth.Permission{}, duty.SwapCollection, 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (duty.SwapView, error) {
				return svc.Agree(c.UserContext(), actor(c), param(c, "id"))
			}, signedIn),
		openapi.Handle(optional(op("POST", "/duty/swaps/{id}/decline", "被请求人不同意调班", 200, auth.Permission{}, duty.SwapCollection, 403, 404, 409)),
			func(c *fiber.Ctx, d duty.Decision) (duty.SwapView, error) {
				return svc.Decline(c.UserContext(), actor(c), param(c, "id"), d)
			}, signedIn),
		openapi.Handle(op("POST", "/duty/swaps/{id}/withdraw", "申请人撤回调班申请（审批前）", 200, auth.Permission{}, duty.SwapCollection, 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (duty.SwapView, error) {
				return svc.Withdraw(c.UserContext(), actor(c), param(c, "id"))
			}, signedIn),
		openapi.Handle(optional(op("POST", "/duty/swaps/{id}/approve", "批准调班，值班表随之变更（值班室；不得审批本人参与的；须对方已同意）", 200,
			auth.PermDutyManage, duty.SwapCollection, 403, 404, 409)),
			func(c *fiber.Ctx, d duty.Decision) (duty.SwapView, error) {
				return svc.Approve(c.UserContext(), actor(c), param(c, "id"), d)
			}, signedIn),
		openapi.Handle(op("POST", "/duty/swaps/{id}/refuse", "不予批准调班（值班室；须填写意见）", 200, auth.PermDutyManage, duty.SwapCollection, 403, 404, 409),
			func(c *fiber.Ctx, d duty.Decision) (duty.SwapView, error) {
				return svc.Refuse(c.UserContext(), actor(c), param(c, "id"), d)
			}, signedIn),

		// The log.
		openapi.Handle(op("POST", "/duty/logs", "填写值班记录（值班员；重要事项即报当日带班领导）", 201, auth.PermDutyLog, "", 403),
			func(c *fiber.Ctx, in duty.EntryInput) (duty.EntryView, error) {
				return svc.Record(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(logOp("GET", "/duty/logs", "值班记录（值班员、值班室、领导；按类别、状态、重要、值班日、月份筛选，q 全文检索），按来电时间倒序", 200, "", 503),
			func(c *fiber.Ctx, q duty.LogQuery) (duty.EntryPage, error) {
				return svc.Log(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(logOp("GET", "/duty/logs/{id}", "值班记录详情（含来电人电话，仅值班人员和领导可阅）", 200, duty.LogCollection, 404),
			func(c *fiber.Ctx, _ struct{}) (duty.EntryView, error) {
				return svc.GetEntry(c.UserContext(), auth.Caller(c), param(c, "id"))
			}, signedIn),
		openapi.Handle(func() openapi.Op {
			o := logOp("POST", "/duty/logs/{id}/instruction", "记录领导批示（领导本人；值班员代记须注明批示领导）", 200, duty.LogCollection, 403, 404, 409)
			o.OrPerm = []auth.Permission{auth.PermDutyLead}
			return o
		}(),
			func(c *fiber.Ctx, in duty.InstructionInput) (duty.EntryView, error) {
				return svc.Instruct(c.UserContext(), actor(c), param(c, "id"), in)
			}, signedIn),
		openapi.Handle(op("POST", "/duty/logs/{id}/acknowledge", "带班领导已阅报送的重要事项", 200, auth.PermDutyLead, duty.LogCollection, 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (duty.EntryView, error) {
				return svc.Acknowledge(c.UserContext(), actor(c), param(c, "id"))
			}, signedIn),
		openapi.Handle(op("POST", "/duty/logs/{id}/flag", "标记为重要事项并报当日带班领导（值班员）", 200, auth.PermDutyLog, duty.LogCollection, 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (duty.EntryView, error) {
				return svc.Flag(c.UserContext(), actor(c), param(c, "id"))
			}, signedIn),
		openapi.Handle(op("POST", "/duty/logs/{id}/progress", "续记处理情况，可办结（值班员）", 200, auth.PermDutyLog, duty.LogCollection, 403, 404, 409),
			func(c *fiber.Ctx, in duty.ProgressInput) (duty.EntryView, error) {
				return svc.Progress(c.UserContext(), actor(c), param(c, "id"), in)
			}, signedIn),

		// Handover.
		openapi.Handle(logOp("GET", "/duty/shifts/{date}/handover", "某值班日的交接班记录", 200, "", 404),
			func(c *fiber.Ctx, _ struct{}) (duty.HandoverView, error) {
				return svc.GetHandover(c.UserContext(), auth.Caller(c), param(c, "date"))
			}, signedIn),
		openapi.Handle(optional(op("POST", "/duty/shifts/{date}/handover", "交班：移交未办结事项（当班主班、副班或值班室主任）", 201, auth.PermDutyLog, "", 403, 409)),
			func(c *fiber.Ctx, in duty.HandoverInput) (duty.HandoverView, error) {
				return svc.HandOver(c.UserContext(), actor(c), param(c, "date"), in)
			}, signedIn),
		openapi.Handle(optional(op("POST", "/duty/shifts/{date}/handover/accept", "接班：未办结事项转入下一班（下一班主班、副班或值班室主任，不得为交班人）", 200,
			auth.PermDutyLog, "", 403, 404, 409)),
			func(c *fiber.Ctx, in duty.HandoverInput) (duty.HandoverView, error) {
				return svc.Accept(c.UserContext(), actor(c), param(c, "date"), in)
			}, signedIn),

		// The monthly summary.
		openapi.Handle(summary, func(c *fiber.Ctx, q duty.MonthQuery) (duty.Summary, error) {
			return svc.Summarise(c.UserContext(), auth.Caller(c), q)
		}, signedIn),
		summaryXLSX(svc, tokens),
	}
}
