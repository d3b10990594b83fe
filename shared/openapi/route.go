package openapi

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Route is an operation and the handlers that serve it: a capability's
// HTTP layer lists its routes this way, so that what is mounted and what
// is described are one list.
type Route struct {
	Op
	Handlers []fiber.Handler
}

var braces = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// FiberPath is the Fiber form of an OpenAPI path: {id} → :id, and a final
// {path} → * (a wildcard that may hold slashes).
func FiberPath(p string) string {
	if n := len(p); n >= 6 && p[n-6:] == "{path}" {
		p = p[:n-6] + "*"
	}
	return braces.ReplaceAllString(p, ":$1")
}

// Mount adds the routes to r (the API's group). A GET route answers HEAD
// too, as Fiber's Get does (HEAD is not described).
func Mount(r fiber.Router, routes []Route) {
	for _, rt := range routes {
		if strings.EqualFold(rt.Method, fiber.MethodGet) {
			r.Get(FiberPath(rt.Path), rt.Handlers...)
			continue
		}
		r.Add(rt.Method, FiberPath(rt.Path), rt.Handlers...)
	}
}

// Ops are the routes' operations.
func Ops(routes []Route) []Op {
	out := make([]Op, len(routes))
	for i, rt := range routes {
		out[i] = rt.Op
	}
	return out
}
