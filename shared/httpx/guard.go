package httpx

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"zhengwu/shared/problem"
)

// refuseUnknownMethods answers a request whose method Fiber does not know
// (PROPFIND, MKCOL, any token) with a 405 problem. Fiber itself answers
// those with a text/plain 400 before any middleware or error handler
// runs, so this wraps the server's handler.
func refuseUnknownMethods(app *fiber.App, next fasthttp.RequestHandler) fasthttp.RequestHandler {
	known := make(map[string]bool, len(fiber.DefaultMethods))
	for _, m := range app.Config().RequestMethods {
		known[m] = true
	}
	return func(fctx *fasthttp.RequestCtx) {
		if known[string(fctx.Method())] { // no allocation: the compiler knows this idiom
			next(fctx)
			return
		}
		c := app.AcquireCtx(fctx)
		defer app.ReleaseCtx(c)
		// The body, if any, was never looked at: close after answering.
		closeAfterAnswer(fctx)
		if err := app.ErrorHandler(c, fiber.ErrMethodNotAllowed); err != nil {
			_ = c.SendStatus(fiber.StatusMethodNotAllowed)
		}
	}
}

// refuseDotSegments answers 400 to a request whose path has "." or ".."
// segments (also percent-encoded). fasthttp resolves them before routing,
// so /assets/../.. would otherwise be served as / (the SPA page): no
// browser sends such a path, only a probe for files outside a folder.
func refuseDotSegments(c *fiber.Ctx) error {
	raw := string(c.Request().URI().PathOriginal())
	if !strings.Contains(raw, "/.") && !strings.Contains(raw, "%") {
		return c.Next() // no dot segment, plain or encoded (the common case)
	}
	if q := strings.IndexByte(raw, '?'); q >= 0 {
		raw = raw[:q]
	}
	if decoded, err := url.PathUnescape(raw); err == nil {
		raw = decoded
	}
	for _, seg := range strings.Split(raw, "/") {
		if seg == "." || seg == ".." {
			return problem.New(fiber.StatusBadRequest, "invalid_path",
				"请求路径无效：不能包含 . 或 .. 路径段", "invalid request path: it must not contain . or .. segments")
		}
	}
	return c.Next()
}
