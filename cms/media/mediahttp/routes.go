// Package mediahttp serves the portal's media (package media) under
// /api/portal/v1: uploads (streamed from the socket, hashed and sniffed
// once), downloads with Range, ETag and the Chinese file name, and image
// thumbnails. Each route carries its description (Routes).
//
// Every read is one small handler that finds the record, then serves its
// bytes (serve.go): a rule about who may read a media goes between the
// two.
package mediahttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/media"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tag groups the routes in the portal API's description.
var Tag = openapi.Tag{Name: "media", Title: "附件与图片"}

// Schemas are the bodies that are not JSON of a Go type, written by hand:
// the multipart upload and the bytes of a download.
func Schemas() openapi.Obj {
	return openapi.Obj{
		"MediaUpload": openapi.Obj{"type": "object", "required": []string{"file"}, "properties": openapi.Obj{
			"file": openapi.Obj{"type": "string", "contentMediaType": "application/octet-stream",
				"description": "文件（字段名 file；类型按内容识别）"},
		}},
		"MediaBytes": openapi.Obj{"type": "string", "contentMediaType": "application/octet-stream",
			"description": "文件内容（Content-Type 为识别出的类型，Content-Disposition 带中文文件名）"},
	}
}

// thumbnailQuery is the thumbnail's query.
type thumbnailQuery struct {
	W *int `query:"w" validate:"omitempty,min=160,max=640" doc:"宽度：160、320（默认）或 640 像素"`
}

// Routes are the media routes under /api/portal/v1.
func Routes(svc *media.Service, tokens *auth.Tokens) []openapi.Route {
	h := handlers{svc: svc}
	reader := tokens.OptionalWithCookie(SessionCookie)
	mediaID := []openapi.Obj{openapi.Path("id", "媒体 id（内容的 SHA-256）")}
	return []openapi.Route{
		{Op: openapi.Op{Method: "POST", Path: "/media", Tag: Tag.Name, Auth: true,
			Perm: media.PermEdit, OrPerm: media.UploadOr, Scope: "any",
			Summary: "上传附件或图片（按内容识别类型，SHA-256 去重：已有的文件返回 200）",
			Body:    "MediaUpload", BodyType: "multipart/form-data",
			OK: 201, Resp: media.Response{}, Errors: []int{400, 401, 403, 413, 415}},
			Handlers: []fiber.Handler{tokens.Required(), auth.RequireAnywhere(media.PermEdit, media.UploadOr...), h.upload}},
		{Op: openapi.Op{Method: "GET", Path: "/media/{id}", Tag: Tag.Name, Params: mediaID,
			Summary: "下载（支持 Range、ETag；图片、PDF、音视频在浏览器内打开）。按文件所属内容的访问规则：公开内容的文件任何人可读；" +
				"内部、涉密或部门内的文件须以令牌（Authorization 头，或 POST /media/session 设置的 Cookie）证明有权阅读，否则与不存在一样答 404",
			OK: 200, OKSchema: "MediaBytes", OKType: "application/octet-stream", Errors: []int{304, 401, 404, 416}},
			Handlers: []fiber.Handler{reader, h.download}},
		{Op: openapi.Op{Method: "GET", Path: "/media/{id}/info", Tag: Tag.Name, Params: mediaID,
			Summary: "文件信息：名称、大小、类型（附件列表显示文件名；访问规则同下载，无权与不存在同样 404）",
			OK:      200, Resp: media.Response{}, Errors: []int{401, 404}},
			Handlers: []fiber.Handler{reader, h.info}},
		{Op: openapi.Op{Method: "GET", Path: "/media/{id}/thumbnail", Tag: Tag.Name, Params: mediaID,
			Summary: "图片缩略图（JPEG，首次请求时生成；访问规则同下载）", Query: thumbnailQuery{},
			OK: 200, OKSchema: "MediaBytes", OKType: "image/jpeg", Errors: []int{304, 400, 401, 404}},
			Handlers: []fiber.Handler{reader, h.thumbnail}},
		{Op: openapi.Op{Method: "POST", Path: "/media/session", Tag: Tag.Name, Auth: true,
			Summary: "把当前访问令牌放入只发往文件路由的 Cookie（HttpOnly、SameSite=Strict），供 <img>、下载链接携带阅读权限；登录和刷新令牌后调用",
			OK:      204, Errors: []int{401}},
			Handlers: []fiber.Handler{tokens.Required(), h.startSession}},
		{Op: openapi.Op{Method: "DELETE", Path: "/media/session", Tag: Tag.Name,
			Summary: "清除文件 Cookie（退出登录时）", OK: 204},
			Handlers: []fiber.Handler{h.endSession}},
	}
}
