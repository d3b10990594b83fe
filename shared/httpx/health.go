package httpx

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zhengwu/shared/problem"
)

// MountOps adds /healthz (the process runs), /readyz (its dependencies
// answer: ready is called with a 2-second deadline) and /metrics.
func MountOps(app *fiber.App, reg *prometheus.Registry, ready func(context.Context) error) {
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
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
}
