package officeapi_test

import (
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// BenchmarkMe compares GET /me through the whole stack (request id,
// recovery, access log, metrics, security headers, rate limiter off, JWT
// verification, two store reads per department/post) with a bare Fiber
// handler returning a similar body, both over real loopback HTTP with
// keep-alive and 8-way parallelism. The ratio full/bare is the overhead.
func BenchmarkMe(b *testing.B) {
	e := newEnv(b)
	full := e.serve()
	token := e.token("staff")
	body := e.do("GET", "/api/office/v1/me", token, nil).Body

	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.Get("/api/office/v1/me", func(c *fiber.Ctx) error {
		c.Set("Content-Type", "application/json")
		return c.Send(body)
	})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go func() { _ = bare.Listener(ln) }()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	// Shutdown waits for open connections: close the client's idle
	// keep-alive ones first, or it waits for ever.
	defer bare.Shutdown()
	defer client.CloseIdleConnections()
	run := func(b *testing.B, url string) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		})
	}
	b.Run("bare", func(b *testing.B) { run(b, "http://"+ln.Addr().String()+"/api/office/v1/me") })
	b.Run("full", func(b *testing.B) { run(b, full+"/api/office/v1/me") })
}
