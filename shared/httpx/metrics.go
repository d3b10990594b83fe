package httpx

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// metricsMiddleware counts requests and their durations by route pattern
// (not raw path, which would give one series per id) and status.
func metricsMiddleware(reg *prometheus.Registry) fiber.Handler {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zhengwu_http_requests_total", Help: "HTTP requests by method, route and status.",
	}, []string{"method", "route", "status"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "zhengwu_http_request_duration_seconds", Help: "HTTP request duration by method and route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"method", "route"})
	reg.MustRegister(requests, duration)
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := statusOf(c, err)
		route := c.Route().Path
		if status == 404 && route == "/" {
			route = "unmatched"
		}
		requests.WithLabelValues(c.Method(), route, strconv.Itoa(status)).Inc()
		duration.WithLabelValues(c.Method(), route).Observe(time.Since(start).Seconds())
		return err
	}
}
