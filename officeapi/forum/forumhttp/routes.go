// Package forumhttp is the thin HTTP layer of the forum: routes under
// /api/office/v1/forum, each with its description.
package forumhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/forum"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// BoardsQuery is the board list's query.
type BoardsQuery struct {
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// Routes are the forum's routes under /api/office/v1.
func Routes(svc *forum.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	staff := auth.RequireAnywhere(auth.PermOfficeRead)
	staffOrKeeper := auth.RequireAnywhere(auth.PermOfficeRead, auth.PermForumManage)
	keeper := auth.RequireOfficeWide(auth.PermForumManage)
	op := func(method, path, summary string, ok int, collection, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "forum", Auth: true, OK: ok,
			Perm: auth.PermOfficeRead, Scope: scope, Collection: collection, Errors: append([]int{400, 401, 403}, errs...)}
	}
	orKeeper := func(o openapi.Op) openapi.Op { o.OrPerm = []auth.Permission{auth.PermForumManage}; return o }
	manage := func(o openapi.Op) openapi.Op { o.Perm, o.Scope = auth.PermForumManage, "office"; return o }
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	return []openapi.Route{
		openapi.Handle(orKeeper(op("GET", "/forum/boards", "可见的版块：全办版块在前，然后是本人所在处室的版块", 200, "", "any", 503)),
			func(c *fiber.Ctx, q BoardsQuery) (forum.BoardList, error) {
				return svc.Boards(c.UserContext(), auth.Caller(c), q.ConsistentWith)
			}, signedIn, staffOrKeeper),
		openapi.Handle(manage(op("POST", "/forum/boards", "新建版块（论坛管理员；处室版块仅本处室人员可读写，版主须为其成员）", 201, "", "office")),
			func(c *fiber.Ctx, in forum.BoardInput) (forum.BoardView, error) {
				return svc.CreateBoard(c.UserContext(), actor(c), in)
			}, signedIn, keeper),
		openapi.Handle(orKeeper(op("GET", "/forum/boards/{id}", "版块详情（无权与不存在同样 404）", 200, forum.BoardsCollection, "department", 404)),
			func(c *fiber.Ctx, _ struct{}) (forum.BoardView, error) {
				return svc.Board(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn, staffOrKeeper),
		openapi.Handle(manage(op("PUT", "/forum/boards/{id}", "修改版块名称、说明、版主和密级上限（带读取时的 version）", 200, forum.BoardsCollection, "office", 404, 409)),
			func(c *fiber.Ctx, in forum.BoardInput) (forum.BoardView, error) {
				return svc.UpdateBoard(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn, keeper),
		openapi.Handle(orKeeper(op("GET", "/forum/boards/{id}/threads", "版块的帖子：置顶在前，按最后回复时间倒序；q 检索标题和正文", 200, forum.BoardsCollection, "department", 404, 503)),
			func(c *fiber.Ctx, q forum.ListQuery) (forum.SummaryPage, error) {
				return svc.Threads(c.UserContext(), auth.Caller(c), c.Params("id"), q)
			}, signedIn, staffOrKeeper),
		openapi.Handle(op("POST", "/forum/boards/{id}/threads", "发帖（密级不超过版块上限和本人密级；@提及的人收到提醒）", 201, forum.BoardsCollection, "department", 404),
			func(c *fiber.Ctx, in forum.ThreadInput) (forum.ThreadView, error) {
				return svc.CreateThread(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn, staff),
		openapi.Handle(op("GET", "/forum/search", "检索本人可读的帖子（不含被隐藏的）", 200, "", "any", 503),
			func(c *fiber.Ctx, q forum.ListQuery) (forum.SummaryPage, error) {
				return svc.Search(c.UserContext(), auth.Caller(c), q)
			}, signedIn, staff),
		openapi.Handle(op("GET", "/forum/threads/{id}", "阅读帖子及回复（被隐藏的内容仅版主可见；计入浏览次数）", 200, forum.Collection, "department", 404),
			func(c *fiber.Ctx, _ struct{}) (forum.Reading, error) {
				return svc.Read(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn, staff),
		openapi.Handle(op("POST", "/forum/threads/{id}/replies", "回复（可引用楼层；已锁定的帖子不能回复）", 201, forum.Collection, "department", 404, 409),
			func(c *fiber.Ctx, in forum.ReplyInput) (forum.ThreadView, error) {
				return svc.Reply(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn, staff),
		openapi.Handle(orKeeper(op("POST", "/forum/threads/{id}/moderate", "版主操作：隐藏/取消隐藏（楼层）、锁定、置顶、精华、移动到本人管理的版块；须填写理由并记入审计", 200, forum.Collection, "department", 404, 409)),
			func(c *fiber.Ctx, m forum.Moderation) (forum.ThreadView, error) {
				return svc.Moderate(c.UserContext(), actor(c), c.Params("id"), m)
			}, signedIn, staffOrKeeper),
	}
}
