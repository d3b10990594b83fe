package cms

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/content/contenthttp"
	"zhengwu/cms/delivery/deliveryhttp"
	"zhengwu/cms/media/mediahttp"
	"zhengwu/shared/openapi"
)

// Base is the portal API's prefix.
const Base = "/api/portal/v1"

// Routes are the portal API's routes under Base, each with its
// description: the delivery API (public reads), the management API
// (editors and reviewers) and media.
func (s *Service) Routes() []openapi.Route {
	routes := deliveryhttp.Routes(s.Delivery, s.deps.Tokens)
	routes = append(routes, deliveryhttp.PreviewRoute(s.Delivery, s.deps.Tokens, s.Content.Preview))
	routes = append(routes, contenthttp.Routes(s.Content, s.deps.Tokens)...)
	return append(routes, mediahttp.Routes(s.Media, s.deps.Tokens)...)
}

// API is the portal API's description: the given routes' operations (the
// schemas of their bodies reflected from the Go types they decode and
// encode) and the document's own two routes.
func API(routes []openapi.Route) openapi.API {
	return openapi.API{
		Title: "政务信息网 Portal API",
		Description: "Delivery API (public reads of published items; a bearer token is optional and shows internal channels and items too) " +
			"and management API (editors and reviewers) of the government information portal. Errors are RFC 9457 " +
			"application/problem+json with a stable `code`, a Chinese `detail` and the invalid `errors[].field`s.",
		Base:           Base,
		Tags:           []openapi.Tag{deliveryhttp.Tag, contenthttp.Tag, mediahttp.Tag},
		Ops:            append(openapi.Ops(routes), openapi.DocOps(deliveryhttp.Tag.Name)...),
		Schemas:        mediahttp.Schemas(),
		ProblemExample: exampleProblem,
	}
}

var exampleProblem = map[string]any{"type": "https://zhengwu.gov.cn/problems/invalid", "title": "Bad Request",
	"status": 400, "code": "invalid", "detail": "size: size必须小于或等于100",
	"errors": []map[string]any{{"field": "size", "message": "size必须小于或等于100", "messageEn": "size must be 100 or less"}}}

// Mount adds the portal's routes and its description (openapi.json, docs)
// to app, as the binary's module table does.
func (s *Service) Mount(app *fiber.App) {
	api := app.Group(Base)
	routes := s.Routes()
	openapi.Mount(api, routes)
	API(routes).Mount(api)
}
