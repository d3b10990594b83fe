// Package httpx is the Fiber bootstrap every Zhengwu service shares: one
// constructor that installs request ids, panic recovery, the access log,
// the body limit, CORS, security headers, rate limiting, metrics and the
// problem+json error handler, plus request binding and pagination helpers.
package httpx

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/shared/problem"
)

// Options configure NewApp.
type Options struct {
	Logger *slog.Logger
	// BodyLimit is the largest request body in bytes on every route but
	// the upload routes (0 = 1 MiB). A body over it is refused with 413
	// before it is read (see bodylimit.go).
	BodyLimit   int
	CORSOrigins []string // allowed origins; empty = same-origin only
	// RateLimit is the number of requests per minute one client IP may make
	// (0 = no limit). Login has its own, stricter, per-account lockout.
	RateLimit int
	// Registry receives the HTTP metrics; nil = a fresh registry.
	Registry *prometheus.Registry
	// UploadLimit is the largest request body in bytes on the UploadPaths
	// (file uploads). Their bodies are not buffered: the handler reads
	// them as a stream with BodyStream.
	UploadLimit int
	// UploadPaths are the upload routes: each path and everything below it.
	UploadPaths []string
	// TrustedProxies are the reverse proxies (IP addresses, CIDR ranges)
	// whose X-Forwarded-For names the client: c.IP() is then the client's
	// (the rate limit's key, the audit's address). A request from anywhere
	// else keeps its connection's address, whatever header it sends.
	TrustedProxies []string
	// NoTracing leaves the trace middleware out altogether (the baseline
	// of the tracing benchmark). Otherwise shared/tracing decides at run
	// time whether requests get spans; off, the middleware costs one
	// atomic load.
	NoTracing bool
}

// NewApp returns a Fiber app with the shared middleware stack installed.
func NewApp(opt Options) *fiber.App {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.BodyLimit <= 0 {
		opt.BodyLimit = 1 << 20
	}
	if opt.Registry == nil {
		opt.Registry = prometheus.NewRegistry()
	}
	// Behind a proxy, every connection is the proxy's: the client is the
	// first valid address in the X-Forwarded-For it writes (Caddy and
	// nginx replace, not extend, what a client sent).
	trustProxies := len(opt.TrustedProxies) > 0
	proxyHeader := ""
	if trustProxies {
		proxyHeader = fiber.HeaderXForwardedFor
	}
	app := fiber.New(fiber.Config{
		AppName:                 "zhengwu",
		EnableTrustedProxyCheck: trustProxies,
		TrustedProxies:          opt.TrustedProxies,
		ProxyHeader:             proxyHeader,
		EnableIPValidation:      true,
		// Bodies are read by limitBodies, per route, not by the server
		// before the handlers run; the server-wide limit only caps how
		// much fasthttp reads ahead (8 KiB) of a body over every limit.
		StreamRequestBody: true,
		BodyLimit:         max(opt.BodyLimit, opt.UploadLimit),
		// Multipart bodies are parsed by the handler that wants them (the
		// media upload streams them); pre-parsing would copy every upload.
		DisablePreParseMultipartForm: true,
		// Immutable makes strings taken from the request (params, query,
		// body) safe to keep after the handler returns; Fiber otherwise
		// reuses their memory for the next request.
		Immutable:             true,
		DisableStartupMessage: true,
		// A request's line and headers must fit this buffer: a bearer
		// token names its holder's permissions (it grows with the roles a
		// deployment grants one person) and a search's query string can
		// be long. fasthttp's 4 KiB refused both together.
		ReadBufferSize: 16 << 10,
		ErrorHandler:   ErrorHandler(opt.Logger),
		ReadTimeout:    30 * time.Second,
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    120 * time.Second,
	})
	app.Server().Handler = refuseUnknownMethods(app, app.Server().Handler)
	app.Server().HeaderReceived = readAheadLimit(opt.BodyLimit, opt.UploadLimit, opt.UploadPaths)
	app.Use(requestid.New(requestid.Config{ContextKey: "requestid"}))
	if !opt.NoTracing {
		// Outside recover, so that a panic's 500 is on the span.
		app.Use(traceRequests())
	}
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		opt.Logger.Error("panic", "requestId", RequestID(c), "path", c.Path(), "panic", e)
	}}))
	app.Use(accessLog(opt.Logger))
	app.Use(metricsMiddleware(opt.Registry))
	app.Use(helmet.New(helmet.Config{
		// The SPA loads its own scripts and styles only; Element Plus sets
		// inline styles, hence 'unsafe-inline' for styles alone. Frames
		// show blob: URLs alone: the PDFs the SPA itself fetched (the
		// drafting form's live preview, the print room's job page).
		ContentSecurityPolicy:     "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; media-src 'self' blob:; frame-src blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
		CrossOriginEmbedderPolicy: "unsafe-none",
		ReferrerPolicy:            "same-origin",
	}))
	// Nothing before this point answers a request early; everything after
	// it may, and finds the body read (or refused) already, so that an
	// answer never leaves an unread body on the connection.
	app.Use(limitBodies(opt.BodyLimit, opt.UploadLimit, opt.UploadPaths))
	app.Use(refuseDotSegments)
	if len(opt.CORSOrigins) > 0 {
		app.Use(cors.New(cors.Config{
			AllowOrigins:  strings.Join(opt.CORSOrigins, ","),
			AllowHeaders:  "Authorization, Content-Type, If-None-Match, If-Match",
			ExposeHeaders: "ETag, Location, X-Request-Id",
			MaxAge:        600,
		}))
	}
	// Every API answer may depend on who asks: caches (the browser's
	// included) must key on the Authorization header.
	app.Use("/api", func(c *fiber.Ctx) error {
		c.Vary(fiber.HeaderAuthorization)
		return c.Next()
	})
	if opt.RateLimit > 0 {
		app.Use(limiter.New(limiter.Config{
			Max:        opt.RateLimit,
			Expiration: time.Minute,
			Next: func(c *fiber.Ctx) bool {
				p := c.Path()
				return p == "/healthz" || p == "/readyz"
			},
			LimitReached: func(c *fiber.Ctx) error {
				return problem.New(fiber.StatusTooManyRequests, problem.CodeRateLimited,
					"请求过于频繁，请稍后再试", "too many requests, try again later")
			},
		}))
	}
	return app
}

// RequestID is the id the requestid middleware gave this request.
func RequestID(c *fiber.Ctx) string {
	if id, ok := c.Locals("requestid").(string); ok {
		return id
	}
	return ""
}

// accessLog writes one structured line per request. It logs the path, not
// the query string or body, so tokens and passwords never reach the log.
func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := statusOf(c, err)
		log.LogAttrs(c.UserContext(), levelFor(status), "http",
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.String("ip", c.IP()),
			slog.String("requestId", RequestID(c)))
		return err
	}
}

// statusOf is the status the answer will have: the error handler's for
// an error (a route that matched nothing is a 404, not a 500).
func statusOf(c *fiber.Ctx, err error) int {
	if err != nil {
		return toProblem(err).Status
	}
	return c.Response().StatusCode()
}

func levelFor(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelInfo
	default:
		return slog.LevelDebug
	}
}
