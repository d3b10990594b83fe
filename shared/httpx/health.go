package httpx

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zhengwu/shared/problem"
)

// MountOps adds /healthz (the process runs) and /readyz (its dependencies
// answer: ready is called with a 2-second deadline). The metrics are not
// here: see NewMetricsServer.
func MountOps(app *fiber.App, ready func(context.Context) error) {
	app.Get("/healthz", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok"})
	})
	app.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			return &problem.Error{Status: fiber.StatusServiceUnavailable, Code: problem.CodeUnavailable,
				Zh: "服务未就绪：数据库不可用", En: "not ready: database unreachable", Cause: err}
		}
		return c.JSON(fiber.Map{"status": "ready"})
	})
}

// NewMetricsServer returns the HTTP server of /metrics: reg (the
// registry given to NewApp and the services), plus the Go runtime and
// process collectors, in Prometheus's format. It is meant for its own
// listen address (--metrics-addr, typically 127.0.0.1:9090 or an
// address only the monitoring network reaches), never the public one:
// the metrics tell an outsider the routes, their traffic and errors, the
// gateway's lag and the process's memory. Prometheus scrapes an address
// more easily than it would hold an access token that expires every 15
// minutes, so the address is the protection, not a permission.
// Serve it with Serve(listener); stop it with Shutdown.
//
// With profiling (--pprof, off by default) it also serves Go's profiles
// under /debug/pprof/ (net/http/pprof): what holds the heap, where CPU
// goes. They are for the operators' own network only — a heap profile
// names code paths and sizes of what the process holds — which is the
// reason they live on this address and are off unless asked for.
func NewMetricsServer(reg *prometheus.Registry, profiling bool) *http.Server {
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if profiling {
		// Registered on this mux only (net/http/pprof also registers
		// itself on http.DefaultServeMux, which nothing here serves).
		// No cmdline: it would show the process's arguments, and a
		// --mongodb-uri given as a flag carries its password.
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
}
