// Package mailhttp is the thin HTTP layer of internal mail: routes under
// /api/office/v1/mail, each with its description. Every route is staff's
// (office.read); whose mailbox entry, draft or group it is, the service
// decides (another's is a 404). The routes declare no x-collection: a
// mailbox entry belongs to a person, not a department, so the
// authorisation matrix names one of the demo's (cmd/zhengwu fx.ids).
package mailhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/mail"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tag names the mail routes in the API description.
const Tag = "mail"

// Routes are the mail routes under /api/office/v1.
func Routes(svc *mail.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := []fiber.Handler{tokens.Required(), auth.RequireAnywhere(auth.PermOfficeRead)}
	op := func(method, path, summary string, ok int, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: Tag, Auth: true, OK: ok,
			Perm: auth.PermOfficeRead, Scope: "any", Errors: append([]int{400, 401, 403}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	list := func(c *fiber.Ctx, q mail.ListQuery) (mail.Page, error) {
		return svc.List(c.UserContext(), auth.Caller(c), q)
	}
	inbox := op("GET", "/mail/inbox", "收件箱，按时间倒序", 200, 503)
	groups := op("GET", "/mail/groups", "可用的邮件群组：全办群组与本人的通讯组", 200)
	saveGroup := op("POST", "/mail/groups", "新建群组（office=true 为全办群组，须 mail.groups）", 201)
	editGroup := op("PUT", "/mail/groups/{id}", "修改本人的群组（全办群组须 mail.groups）", 200, 404)
	folders := op("GET", "/mail/folders", "文件夹及未读数、邮箱用量", 200, 503)
	newFolder := op("POST", "/mail/folders", "新建自定义文件夹", 201)
	send := op("POST", "/mail", "发送邮件（收件人按人员、处室、群组展开；密级不超过部署上限且每位收件人涉密等级足够；邮箱空间已满时拒绝）", 201, 404, 409, 413)
	draft := op("POST", "/mail/drafts", "保存草稿（draft 与 version 指定已有草稿时为修改）", 201, 404, 409, 413)
	return []openapi.Route{
		openapi.Handle(send, func(c *fiber.Ctx, in mail.Input) (mail.Letter, error) {
			return svc.Send(c.UserContext(), actor(c), in)
		}, signedIn...),
		openapi.Handle(draft, func(c *fiber.Ctx, in mail.Input) (mail.Letter, error) {
			return svc.SaveDraft(c.UserContext(), actor(c), in)
		}, signedIn...),
		openapi.Handle(inbox, list, signedIn...),
		openapi.Handle(op("GET", "/mail/entries", "某文件夹的邮件（folder 默认 inbox），按时间倒序", 200, 503), list, signedIn...),
		openapi.Handle(op("GET", "/mail/entries/{id}", "阅读邮件（本人的邮件；首次阅读标记已读并按要求发送已读回执；他人的 404）", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (mail.Letter, error) {
				return svc.Read(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn...),
		openapi.Handle(op("GET", "/mail/messages/{id}", "按邮件 id 打开本人持有的那一份（搜索结果、消息提醒的链接）", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (mail.Letter, error) {
				return svc.ByMessage(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn...),
		openapi.Handle(op("PATCH", "/mail/entries/{id}", "移动、标记已读/未读、加星标", 200, 404, 409),
			func(c *fiber.Ctx, ch mail.Change) (mail.Letter, error) {
				return svc.Update(c.UserContext(), actor(c), c.Params("id"), ch)
			}, signedIn...),
		openapi.Handle(op("DELETE", "/mail/entries/{id}", "删除到“已删除”；在“已删除”中再删除则彻底删除并释放空间", 204, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (struct{}, error) {
				return struct{}{}, svc.Delete(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn...),
		openapi.Handle(op("POST", "/mail/entries/{id}/restore", "从“已删除”恢复到原文件夹", 200, 404, 409),
			func(c *fiber.Ctx, _ struct{}) (mail.Letter, error) {
				return svc.Restore(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn...),
		openapi.Handle(op("POST", "/mail/entries/{id}/recall", "撤回（发件人；收回尚未阅读的副本，报告已读的人）", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (mail.Recalled, error) {
				return svc.Recall(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn...),
		openapi.Handle(folders, func(c *fiber.Ctx, q struct {
			ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
		}) (mail.Box, error) {
			return svc.Folders(c.UserContext(), auth.Caller(c), q.ConsistentWith)
		}, signedIn...),
		openapi.Handle(newFolder, func(c *fiber.Ctx, in mail.FolderInput) (mail.Folder, error) {
			return svc.CreateFolder(c.UserContext(), actor(c), in)
		}, signedIn...),
		openapi.Handle(groups, func(c *fiber.Ctx, _ struct{}) ([]mail.Group, error) {
			return svc.Groups(c.UserContext(), auth.Caller(c))
		}, signedIn...),
		openapi.Handle(saveGroup, func(c *fiber.Ctx, in mail.GroupInput) (mail.Group, error) {
			return svc.SaveGroup(c.UserContext(), actor(c), "", in)
		}, signedIn...),
		openapi.Handle(editGroup, func(c *fiber.Ctx, in mail.GroupInput) (mail.Group, error) {
			return svc.SaveGroup(c.UserContext(), actor(c), c.Params("id"), in)
		}, signedIn...),
	}
}
