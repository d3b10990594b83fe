// Package openapi describes the portal's delivery and management APIs as
// an OpenAPI 3.1 document, served at /api/portal/v1/openapi.json with a
// docs page at /api/portal/v1/docs (built with shared/openapi). The
// document is built in Go so that schemas are written once and reused; a
// test checks that every mounted route is described and that every
// example validates against its schema.
package openapi

import (
	"github.com/gofiber/fiber/v2"

	oas "zhengwu/shared/openapi"
)

// Short names for the builders the operations and schemas use a lot.
type obj = oas.Obj

var (
	ref      = oas.Ref
	str      = oas.Str
	arr      = oas.Arr
	dateTime = oas.DateTime
	qp       = oas.Query
	pp       = oas.Path
)

// API is the portal API's description.
func API() oas.API {
	return oas.API{
		Title:       "政务信息网 Portal API",
		Description: "Delivery API (public reads of published items) and management API (editors and reviewers) of the government information portal. Errors are RFC 9457 application/problem+json with a stable `code`, a Chinese `detail` and the invalid `errors[].field`s.",
		Base:        "/api/portal/v1",
		Tags: []oas.Tag{
			{Name: "delivery", Title: "公开读取：栏目、已发布稿件"},
			{Name: "management", Title: "编辑与审核：稿件、版本、审核流程"},
			{Name: "media", Title: "附件与图片"},
		},
		Ops:            append(operations(), oas.DocOps("delivery")...),
		Schemas:        schemas(),
		ProblemExample: exampleProblem,
	}
}

// JSON is the document.
func JSON() []byte { return API().JSON() }

// Mount serves the document and its docs page on r (the /api/portal/v1 group).
func Mount(r fiber.Router) { API().Mount(r) }
