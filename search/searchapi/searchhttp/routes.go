// Package searchhttp serves search (package searchapi) as the search API
// under /api/search/v1: GET /search and GET /suggest, and the API's
// description (openapi.json, docs) assembled from its routes. A bearer
// token is optional: anonymous readers search the public portal; the
// office scope needs one.
package searchhttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/search/searchapi"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Base is the search API's prefix.
const Base = searchapi.Prefix

// Tag groups the routes in the API's description.
var Tag = openapi.Tag{Name: "search", Title: "全文检索与输入提示"}

// QueryLog records a search that was answered (package analytics: no
// identity, written in the background) and returns its log id ("" when
// not logged).
type QueryLog interface {
	Record(r searchapi.Request, res searchapi.Result, signedIn bool) string
}

// Routes are the search API's routes under Base.
func Routes(svc *searchapi.Service, tokens *auth.Tokens) []openapi.Route {
	return LoggedRoutes(svc, tokens, nil)
}

// LoggedRoutes are Routes whose searches are recorded in log (nil: none).
func LoggedRoutes(svc *searchapi.Service, tokens *auth.Tokens, log QueryLog) []openapi.Route {
	h := handlers{svc: svc, log: log}
	optional := tokens.Optional()
	return []openapi.Route{
		openapi.Handle(openapi.Op{Method: "GET", Path: "/search", Tag: Tag.Name,
			Summary: "全文检索：筛选、分面计数、高亮、按相关度或日期排序、分页（令牌可选；office 范围须登录，只检出本人有权阅读且密级不高于本人的）",
			OK:      200, OKExample: exampleResult, Errors: []int{400, 401, 503}}, h.search, optional),
		openapi.Handle(openapi.Op{Method: "GET", Path: "/suggest", Tag: Tag.Name,
			Summary: "标题输入提示：标题中含所输文字者在前，容许一个错字（令牌可选；office 范围须登录）",
			OK:      200, OKExample: exampleSuggestions, Errors: []int{400, 401, 503}}, h.suggest, optional),
	}
}

// API is the search API's description: the given routes' operations and
// the document's own two routes (docs/search-api.md is the longer guide).
func API(routes []openapi.Route) openapi.API {
	return openapi.API{
		Title: "政务信息网 Search API",
		Description: "Full-text search in Chinese over the portal (anyone; anonymous readers see public items) and the office (signed-in readers, within their clearance and departments). " +
			"Access control is part of every query: hits, totals and facet counts come from the same filtered query. Errors are RFC 9457 application/problem+json with the invalid `errors[].field`s.",
		Base:           Base,
		Tags:           []openapi.Tag{Tag, {Name: "docs", Title: "接口文档"}},
		Ops:            append(openapi.Ops(routes), openapi.DocOps("docs")...),
		ProblemExample: exampleProblem,
	}
}

// Mount adds the routes and the description (openapi.json, docs) to app,
// as the binary's module table does.
func Mount(app *fiber.App, svc *searchapi.Service, tokens *auth.Tokens) {
	r := app.Group(Base)
	routes := Routes(svc, tokens)
	openapi.Mount(r, routes)
	API(routes).Mount(r)
}
