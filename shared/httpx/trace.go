package httpx

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"zhengwu/shared/tracing"
)

// traceRequests gives each request a server span when tracing is on (off,
// it costs one atomic load): under the caller's span when the request
// brings a traceparent, named after the matched route pattern (so that
// /api/portal/v1/items/:id is one name, not one per item), with the
// status and the request id. The span rides in the request's UserContext,
// which handlers hand to the services: their store and index spans hang
// under it. Neither the query string nor a header is recorded.
func traceRequests() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !tracing.Enabled() {
			return c.Next()
		}
		ctx := tracing.Extract(c.UserContext(), requestHeaders{&c.Request().Header})
		ctx = tracing.WithRequestID(ctx, RequestID(c))
		method := c.Method()
		ctx, span := tracing.Start(ctx, method, serverKind)
		defer span.End()
		c.SetUserContext(ctx)
		err := c.Next()
		if !span.IsRecording() { // not sampled: nothing more to say
			return err
		}
		status := statusOf(c, err)
		// After Next, Route is the last route that ran: the handler's, or
		// a middleware's prefix (/api) when no route matched — then the
		// span keeps the bare method, as the conventions want.
		if r := c.Route(); r != nil && !unrouted(err) {
			span.SetName(method + " " + r.Path)
			span.SetAttributes(semconv.HTTPRouteKey.String(r.Path))
		}
		span.SetAttributes(semconv.HTTPRequestMethodKey.String(method), semconv.HTTPResponseStatusCodeKey.Int(status))
		if status >= 500 {
			span.SetStatus(codes.Error, "")
		}
		return err
	}
}

// serverKind is the one start option of a request's span, made once.
var serverKind = trace.WithSpanKind(trace.SpanKindServer)

// requestHeaders lets the propagator read a traceparent from fasthttp's
// request header.
type requestHeaders struct{ h *fasthttp.RequestHeader }

func (r requestHeaders) Get(key string) string { return string(r.h.Peek(key)) }
func (r requestHeaders) Set(key, value string) { r.h.Set(key, value) }
func (r requestHeaders) Keys() []string {
	keys := make([]string, 0, 16)
	r.h.VisitAll(func(k, _ []byte) { keys = append(keys, string(k)) })
	return keys
}

// unrouted reports whether err is Fiber's answer to a path no route
// matched ("Cannot GET /x"), not a handler's 404 for a missing thing.
func unrouted(err error) bool {
	var fe *fiber.Error
	return errors.As(err, &fe) && fe.Code == fiber.StatusNotFound && strings.HasPrefix(fe.Message, "Cannot ")
}
