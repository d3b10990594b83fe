// Package deliveryhttp serves the portal's public reads (package delivery)
// under /api/portal/v1: the channel tree, lists of published items, an
// item by id or by path, and the preview of a draft. It reads the request,
// calls delivery and writes the answer with its caching headers; each
// route carries its description (Routes), so that what is mounted is what
// is documented.
//
// Lists and items are answered from delivery's cache of rendered JSON:
// the handlers read the parameters by hand (no reflection, no validator
// on the hot path; delivery validates a query when it makes an answer)
// and send the cached bytes as they are.
package deliveryhttp

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/delivery"
	"zhengwu/cms/item"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Tag groups the routes in the portal API's description.
var Tag = openapi.Tag{Name: "delivery", Title: "公开读取：栏目、已发布稿件"}

// PreviewFunc resolves a preview token (issued by the management API) to
// the draft rendered as an item. It returns a *problem.Error (404 for an
// unknown or expired token) or another error.
type PreviewFunc func(ctx context.Context, token string) (item.Item, error)

func op(method, path, summary string, resp any, example any, errs ...int) openapi.Op {
	return openapi.Op{Method: method, Path: path, Summary: summary, Tag: Tag.Name, OK: 200, Resp: resp,
		OKExample: example, Errors: append([]int{401}, errs...)}
}

// Routes are the delivery routes under /api/portal/v1. A bearer token is
// optional: a signed-in reader also sees internal channels and items.
func Routes(svc *delivery.Service, tokens *auth.Tokens) []openapi.Route {
	h := handlers{svc: svc}
	optional := tokens.Optional()
	list := op("GET", "/items", "按栏目列出已发布稿件，支持筛选、排序、分页与字段选择（令牌可选；登录后含内部稿件）",
		delivery.Page{}, examplePage, 400, 404, 503)
	list.Query = delivery.ListQuery{}
	byID := op("GET", "/items/{id}", "已发布稿件（含一层展开的类型化链接和反向链接；已撤回的仍可阅读并带撤回说明；重定向的为 301；数据网关撤回的副本为 410 withdrawn，带公开的撤回说明）",
		delivery.ItemView{}, exampleItem, 301, 304, 404, 410)
	byID.Params = []openapi.Obj{openapi.Path("id", "稿件 id")}
	byID.Collection = item.Collection
	byPath := op("GET", "/items/by-path/{path}", "按路径读取已发布稿件（同按 id 读取）", delivery.ItemView{}, nil, 301, 304, 404, 410)
	byPath.Params = []openapi.Obj{openapi.Path("path", "稿件路径，如 files/wanzhengban-2026-12")}
	return []openapi.Route{
		{Op: op("GET", "/channels", "栏目树（匿名读者看不到内部栏目）", []*delivery.ChannelNode{}, exampleChannels),
			Handlers: []fiber.Handler{optional, h.channels}},
		{Op: list, Handlers: []fiber.Handler{optional, h.list}},
		// by-path before {id}: Fiber matches in order of registration.
		{Op: byPath, Handlers: []fiber.Handler{optional, h.itemByPath}},
		{Op: byID, Handlers: []fiber.Handler{optional, h.item}},
	}
}

// PreviewRoute renders a draft by its preview token (issued by the
// management API, resolved by preview) like a published item.
func PreviewRoute(svc *delivery.Service, tokens *auth.Tokens, preview PreviewFunc) openapi.Route {
	h := handlers{svc: svc, preview: preview}
	pv := op("GET", "/preview/{token}", "预览草稿（预览令牌 30 分钟有效；不缓存）", delivery.ItemView{}, nil, 404)
	pv.Params = []openapi.Obj{openapi.Path("token", "预览令牌")}
	return openapi.Route{Op: pv, Handlers: []fiber.Handler{tokens.Optional(), h.previewItem}}
}
