// Package schedulehttp is the thin HTTP layer of the leaders' schedule:
// routes under /api/office/v1/schedule, each with its description.
package schedulehttp

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/schedule"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// Routes are the schedule's routes under /api/office/v1.
func Routes(svc *schedule.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "schedule", Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: schedule.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	or := func(o openapi.Op, perms ...auth.Permission) openapi.Op { o.OrPerm = perms; return o }
	optional := func(o openapi.Op) openapi.Op { o.BodyOptional = true; return o }
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	office, approve := auth.PermScheduleCompile, auth.PermScheduleApprove
	readers := []auth.Permission{office, approve}
	week := func(path, summary string, perm auth.Permission, fn func(c *fiber.Ctx, a records.Actor, w string) (schedule.WeekView, error)) openapi.Route {
		return openapi.Handle(op("POST", path, summary, 200, perm, "office", 403, 409),
			func(c *fiber.Ctx, _ struct{}) (schedule.WeekView, error) { return fn(c, actor(c), c.Params("week")) }, signedIn)
	}
	return append([]openapi.Route{
		openapi.Handle(or(op("GET", "/schedule/leaders", "领导名单（按职务排序；领导活动的查看、报送与编排者可读）", 200,
			auth.PermScheduleView, "any", 403), auth.PermScheduleSubmit, office, approve),
			func(c *fiber.Ctx, _ struct{}) (schedule.Leaders, error) {
				return svc.Leaders(c.UserContext(), auth.Caller(c))
			}, signedIn),
		openapi.Handle(op("PUT", "/schedule/leaders", "维护领导名单（整表替换，顺序即排序；综合处 schedule.compile；version 为读取时的版本）", 200,
			office, "office", 403, 409),
			func(c *fiber.Ctx, in schedule.LeadersInput) (schedule.Leaders, error) {
				return svc.SetLeaders(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(or(op("POST", "/schedule/entries", "报送领导活动（本处室 schedule.leader.submit；综合处可代任一单位登记）；"+
			"截止时间为上周四 17:00，逾期报送标记为逾期；已发布的周只由综合处增补（记入变更）", 201, auth.PermScheduleSubmit, "any", 403, 409), office),
			func(c *fiber.Ctx, in schedule.Input) (schedule.View, error) {
				return svc.Submit(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(or(op("GET", "/schedule/entries", "报送的领导活动：本人及本处室报送的（综合处与审定领导：全部），按更新时间倒序", 200,
			auth.PermScheduleSubmit, "any", 403, 503), readers...),
			func(c *fiber.Ctx, q schedule.ListQuery) (schedule.Page, error) {
				return svc.List(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/schedule/entries/{id}", "领导活动详情（报送人、本处室报送人、综合处与审定领导；其他人与不存在同样 404）", 200,
			auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (schedule.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(or(op("PUT", "/schedule/entries/{id}", "修改领导活动：报送人在编排前；综合处在发布前后均可（发布后记入变更记录并重新通知）", 200,
			auth.PermScheduleSubmit, "department", 403, 404, 409), office),
			func(c *fiber.Ctx, in schedule.Input) (schedule.View, error) {
				return svc.Update(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(op("POST", "/schedule/entries/{id}/withdraw", "报送人撤回尚未编排的活动", 200, auth.Permission{}, "", 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (schedule.View, error) {
				return svc.Withdraw(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(optional(op("POST", "/schedule/entries/{id}/return", "退回报送（发布前；须填写原因；综合处）", 200, office, "office", 403, 404, 409)),
			func(c *fiber.Ctx, d schedule.Decision) (schedule.View, error) {
				return svc.Return(c.UserContext(), actor(c), c.Params("id"), d)
			}, signedIn),
		openapi.Handle(optional(op("POST", "/schedule/entries/{id}/cancel", "取消已发布的活动（记入变更记录并重新通知；综合处）", 200, office, "office", 403, 404, 409)),
			func(c *fiber.Ctx, d schedule.Decision) (schedule.View, error) {
				return svc.Cancel(c.UserContext(), actor(c), c.Params("id"), d)
			}, signedIn),
		openapi.Handle(or(op("GET", "/schedule/weeks/{week}", "一周领导活动安排（ISO 周，如 2026-W50）：按领导、日期、上午/下午/晚上；"+
			"schedule.view 持有人只看已发布的周，综合处与审定领导看各状态及待编排的报送；无权限 403", 200, auth.PermScheduleView, "any", 403), readers...),
			func(c *fiber.Ctx, _ struct{}) (schedule.Grid, error) {
				return svc.Grid(c.UserContext(), auth.Caller(c), c.Params("week"))
			}, signedIn),
		week("/schedule/weeks/{week}/compile", "编排本周：收入已报送的活动，标出同一领导的时间冲突（发布前可重新编排，已有的审定随之作废；综合处）",
			office, func(c *fiber.Ctx, a records.Actor, w string) (schedule.WeekView, error) {
				return svc.Compile(c.UserContext(), a, w)
			}),
		week("/schedule/weeks/{week}/approve", "审定已编排的一周（schedule.approve；不得审定本人编排的；有时间冲突或未编排的报送时不予审定）",
			approve, func(c *fiber.Ctx, a records.Actor, w string) (schedule.WeekView, error) {
				return svc.Approve(c.UserContext(), a, w)
			}),
		week("/schedule/weeks/{week}/publish", "发布已审定的一周，schedule.view 持有人即可查看（综合处）",
			office, func(c *fiber.Ctx, a records.Actor, w string) (schedule.WeekView, error) {
				return svc.Publish(c.UserContext(), a, w)
			}),
		openapi.Handle(or(op("GET", "/schedule/stats", "领导活动统计：期间内已发布的活动按领导、类型、地点计数与天数（至多一年）", 200,
			auth.PermScheduleView, "any", 403), readers...),
			func(c *fiber.Ctx, q schedule.StatsQuery) (schedule.Stats, error) {
				return svc.Stats(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
	}, exports(svc, signedIn, op, or)...)
}

// exports are the statistics as files: XLSX (excelize) and PDF.
func exports(svc *schedule.Service, signedIn fiber.Handler, op func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op,
	or func(o openapi.Op, perms ...auth.Permission) openapi.Op) []openapi.Route {
	file := func(ext, mime, summary string) openapi.Route {
		o := or(op("GET", "/schedule/stats."+ext, summary, 200, auth.PermScheduleView, "any", 403, 503),
			auth.PermScheduleCompile, auth.PermScheduleApprove)
		o.Query, o.OKType = schedule.StatsQuery{}, mime
		return openapi.Route{Op: o, Handlers: []fiber.Handler{signedIn, func(c *fiber.Ctx) error {
			var q schedule.StatsQuery
			if err := httpx.Query(c, &q); err != nil {
				return err
			}
			data, err := svc.Export(c.UserContext(), records.Actor{P: auth.Caller(c), IP: c.IP()}, q, ext)
			if errors.Is(err, layout.ErrFontMissing) {
				return problem.New(http.StatusServiceUnavailable, "font_missing", "服务器缺少导出所需的中文字体，请联系系统管理员",
					"a font the export needs is not installed on the server")
			}
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, mime)
			c.Set(fiber.HeaderContentDisposition, `attachment; filename="schedule-stats.`+ext+`"; filename*=UTF-8''`+
				"%E9%A2%86%E5%AF%BC%E6%B4%BB%E5%8A%A8%E7%BB%9F%E8%AE%A1."+ext) // 领导活动统计
			c.Set(fiber.HeaderCacheControl, "private, no-store")
			c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
			return c.Send(data)
		}}}
	}
	return []openapi.Route{
		file("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"导出领导活动统计为 Excel（按领导、类型、地点与明细各一表；导出记入审计日志）"),
		file("pdf", "application/pdf", "导出领导活动统计为 PDF（A4 横向；导出记入审计日志）"),
	}
}
