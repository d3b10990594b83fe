package openapi

import (
	"reflect"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/httpx"
)

// Handle is a route whose handler reads an In, calls fn and answers its
// Out as JSON with the operation's OK status. For GET and DELETE, In is
// the query (httpx.Query); otherwise it is the JSON body (httpx.Bind), its
// zero value when the body is absent and o.BodyOptional. An In of
// struct{} reads nothing (fn may read the request itself; the operation
// then says what it reads); an Out of struct{} answers no body (a 204).
// The operation's Query or Req and its Resp are set from In and Out, so
// that the description is of the types the handler decodes and encodes.
// before runs first (tokens.Required(), a check of the path's {id}).
func Handle[In, Out any](o Op, fn func(c *fiber.Ctx, in In) (Out, error), before ...fiber.Handler) Route {
	var zeroIn In
	var zeroOut Out
	query := o.Method == fiber.MethodGet || o.Method == fiber.MethodDelete
	reads := reflect.TypeOf(zeroIn) != reflect.TypeOf(struct{}{})
	answers := reflect.TypeOf(zeroOut) != reflect.TypeOf(struct{}{})
	switch {
	case reads && query:
		o.Query = zeroIn
	case reads:
		o.Req = zeroIn
	}
	if answers {
		o.Resp = zeroOut
	}
	h := func(c *fiber.Ctx) error {
		var in In
		var err error
		switch {
		case reads && query:
			err = httpx.Query(c, &in)
		case reads && (httpx.HasBody(c) || !o.BodyOptional):
			err = httpx.Bind(c, &in)
		}
		if err != nil {
			return err
		}
		out, err := fn(c, in)
		if err != nil {
			return err
		}
		if query {
			c.Set(fiber.HeaderCacheControl, "no-store") // answers depend on the caller's rights
		}
		if !answers {
			return c.SendStatus(o.OK)
		}
		return c.Status(o.OK).JSON(out)
	}
	return Route{Op: o, Handlers: append(append([]fiber.Handler{}, before...), h)}
}
