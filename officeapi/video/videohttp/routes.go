// Package videohttp is the thin HTTP layer of video on demand: routes
// under /api/office/v1/videos, each with its description. The bytes (the
// video with Range, its poster) come from the media store's download
// route, decided by video.MediaRule.
package videohttp

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/records"
	"zhengwu/officeapi/video"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tag groups the routes in the office API's description.
var Tag = openapi.Tag{Name: "video", Title: "视频点播：会议录像、培训视频与政策解读"}

// Routes are the library's routes under /api/office/v1.
func Routes(svc *video.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: Tag.Name, Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: video.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	state := func(path, summary string, call func(context.Context, records.Actor, string) (video.View, error)) openapi.Route {
		o := op("POST", path, summary, 200, auth.PermVideoManage, "department", 403, 404, 409)
		o.BodyOptional = true
		return openapi.Handle(o, func(c *fiber.Ctx, _ struct{}) (video.View, error) {
			return call(c.UserContext(), actor(c), c.Params("id"))
		}, signedIn)
	}
	return []openapi.Route{
		openapi.Handle(op("GET", "/videos", "视频库（本人可观看且密级不高于本人的），按上架时间倒序；可按分类筛选、检索", 200, auth.Permission{}, "", 503),
			func(c *fiber.Ctx, q video.ListQuery) (video.Page, error) {
				return svc.List(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("POST", "/videos", "上架视频（先经 POST /api/portal/v1/media 上传文件；仅 MP4、WebM，按内容识别；本处室 video.manage；封面与时长由 ffmpeg 生成）", 201,
			auth.PermVideoManage, "any", 403),
			func(c *fiber.Ctx, in video.Input) (video.View, error) {
				return svc.Add(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("GET", "/videos/{id}", "视频详情（播放地址为 /api/portal/v1/media/{mediaId}，支持 Range；无权与不存在同样 404）", 200, auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (video.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(op("PUT", "/videos/{id}", "修改视频信息与观看范围（须带 version；该处室 video.manage）", 200, auth.PermVideoManage, "department", 403, 404, 409),
			func(c *fiber.Ctx, in video.Update) (video.View, error) {
				return svc.Edit(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		state("/videos/{id}/withdraw", "下架（此后仅本处室管理者与上传人可见）", svc.Withdraw),
		state("/videos/{id}/restore", "重新上架", svc.Restore),
	}
}
