// Package printhttp is the thin HTTP layer of the print room: routes under
// /api/office/v1/print, each with its description.
package printhttp

import (
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/print"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Routes are the print room's routes under /api/office/v1.
func Routes(svc *print.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "print", Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: print.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	operate := func(path, summary string, fn func(c *fiber.Ctx, a records.Actor, id string) (print.View, error)) openapi.Route {
		return openapi.Handle(op("POST", path, summary, 200, auth.PermPrintOperate, "office", 403, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (print.View, error) { return fn(c, actor(c), c.Params("id")) }, signedIn)
	}
	list := op("GET", "/print/jobs", "印制任务列表：文印室看全部队列（可按状态、紧急程度、类型、印制场所筛选，按到期时间排序），"+
		"其他人看本人发送的和可阅读公文的印制任务", 200, auth.PermOfficeRead, "any", 403, 503)
	list.OrPerm = []auth.Permission{auth.PermPrintOperate}
	rooms := op("GET", "/print/rooms", "文印室和定点印刷厂，及各自可印制的最高密级", 200, auth.PermOfficeRead, "any", 403)
	rooms.OrPerm = []auth.Permission{auth.PermPrintOperate}
	plan := op("POST", "/print/jobs/{id}/plan", "设定份数、起始份号和印制场所（涉密文件只能交给密级允许的场所）：文印室，"+
		"或公文印制任务待印制时的登记编号人员（doc.register）", 200, auth.PermPrintOperate, "any", 403, 404, 409)
	plan.OrPerm = []auth.Permission{auth.PermDocRegister}
	proofread := op("POST", "/print/jobs/{id}/proofread", "校对：记录校对人和结果；不通过须说明问题，公文退回上一环节", 200,
		auth.PermPrintOperate, "office", 403, 404, 409)
	done := op("POST", "/print/jobs/{id}/done", "印制完成：公文须校对通过且印章核验通过，公文的印制环节随之办结、转入核发", 200,
		auth.PermPrintOperate, "office", 403, 404, 409)
	done.BodyOptional = true
	return []openapi.Route{
		openapi.Handle(list, func(c *fiber.Ctx, q print.ListQuery) (print.Page, error) {
			return svc.List(c.UserContext(), auth.Caller(c), q)
		}, signedIn),
		openapi.Handle(op("POST", "/print/jobs", "发送普通印制任务（本处室；上传后的文件和份数，可附说明）", 201,
			auth.PermOfficeRead, "any", 403),
			func(c *fiber.Ctx, in print.SendInput) (print.View, error) {
				return svc.Send(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(rooms, func(c *fiber.Ctx, _ struct{}) ([]print.Room, error) {
			return svc.Rooms(auth.Caller(c))
		}, signedIn),
		openapi.Handle(op("GET", "/print/jobs/{id}", "印制任务详情（文印室、发送人、公文的可阅读者；无权与不存在同样 404）", 200,
			auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (print.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		fileRoute(svc, tokens),
		openapi.Handle(plan, func(c *fiber.Ctx, in print.PlanInput) (print.View, error) {
			return svc.Plan(c.UserContext(), actor(c), c.Params("id"), in)
		}, signedIn),
		operate("/print/jobs/{id}/claim", "领取印制任务（只能一人领取，他人已领取为 409）", func(c *fiber.Ctx, a records.Actor, id string) (print.View, error) {
			return svc.Claim(c.UserContext(), a, id)
		}),
		operate("/print/jobs/{id}/release", "放回队列（本人领取的）", func(c *fiber.Ctx, a records.Actor, id string) (print.View, error) {
			return svc.Release(c.UserContext(), a, id)
		}),
		openapi.Handle(proofread, func(c *fiber.Ctx, in print.ProofreadInput) (print.View, error) {
			return svc.Proofread(c.UserContext(), actor(c), c.Params("id"), in)
		}, signedIn),
		operate("/print/jobs/{id}/seal-check", "印章核验：核对文件完整性并验证电子印章，记录核验报告", func(c *fiber.Ctx, a records.Actor, id string) (print.View, error) {
			return svc.SealCheck(c.UserContext(), a, id)
		}),
		operate("/print/jobs/{id}/print", "开始印制（公文须校对通过且印章核验通过）", func(c *fiber.Ctx, a records.Actor, id string) (print.View, error) {
			return svc.Print(c.UserContext(), a, id)
		}),
		openapi.Handle(done, func(c *fiber.Ctx, in print.NoteInput) (print.View, error) {
			return svc.Done(c.UserContext(), actor(c), c.Params("id"), in)
		}, signedIn),
	}
}

// fileRoute is the job's file, for whoever may read the job; each
// download is audited.
func fileRoute(svc *print.Service, tokens *auth.Tokens) openapi.Route {
	op := openapi.Op{Method: "GET", Path: "/print/jobs/{id}/file", Tag: "print", Auth: true, OK: 200,
		Collection: print.Collection, OKSchema: "PrintFile" /* officeapi.API's Schemas */, OKType: "application/octet-stream",
		Summary: "印制文件（公文为加盖电子印章的版式 PDF）：可阅读印制任务者可下载，其他人与不存在同样 404；每次下载记入审计日志",
		Errors:  []int{401, 404}}
	return openapi.Route{Op: op, Handlers: []fiber.Handler{tokens.Required(), func(c *fiber.Ctx) error {
		j, f, err := svc.Download(c.UserContext(), records.Actor{P: auth.Caller(c), IP: c.IP()}, strings.Clone(c.Params("id")))
		if err != nil {
			return err
		}
		defer f.Body.Close()
		data, err := io.ReadAll(f.Body)
		if err != nil {
			return err
		}
		typ := f.Type
		if typ == "" {
			typ = "application/octet-stream"
		}
		c.Set(fiber.HeaderContentType, typ)
		c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("inline", map[string]string{"filename": f.Name}))
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		if j.Classification.Classified() {
			c.Set("X-Classification", "classified")
		}
		return c.Send(data)
	}}}
}
