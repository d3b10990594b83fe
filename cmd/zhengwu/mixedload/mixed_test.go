//go:build load

package mixedload

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Settings, from the environment:
//
//	MIXED_DURATION  the mixed load's length (default 60s)
//	MIXED_CONNS     concurrent workers, each one connection (default 16)
//	BARE_DURATION   the bare handler's run (default 10s)
//	SOAK            the soak's length (default 30m; `make soak`)
//	SOAK_RATE       the soak's actions a second, all workers together (default 30)
//	SOAK_SAMPLE     the soak's sampling interval (default 30s)
//	SOAK_SLOPE_MB   the largest PSS growth that counts as flat, MB per 10 minutes (default 10)
//	ZHENGWU_BIN     a prebuilt binary instead of building cmd/zhengwu
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envDuration(t *testing.T, name, def string) time.Duration {
	d, err := time.ParseDuration(env(name, def))
	if err != nil || d <= 0 {
		t.Fatalf("%s: %q is no duration", name, os.Getenv(name))
	}
	return d
}

func envInt(t *testing.T, name, def string) int {
	n, err := strconv.Atoi(env(name, def))
	if err != nil || n < 0 {
		t.Fatalf("%s: %q is no count", name, os.Getenv(name))
	}
	return n
}

// users are the demo accounts the workload signs in as.
var users = []string{"staff", "chuzhang", "editor", "reviewer", "director", "clerk", "printer"}

// TestMixedLoad drives the mixed workload as fast as MIXED_CONNS workers
// go, then the same client against a bare Fiber handler in the same run.
func TestMixedLoad(t *testing.T) {
	dur := envDuration(t, "MIXED_DURATION", "60s")
	conns := envInt(t, "MIXED_CONNS", "16")
	srv := startServer(t, buildBinary(t), freePort(t, 7601, 2), freePort(t, 7603, 1))
	l := newLoad(t, srv.base, conns, users)
	t.Logf("load average before: %s", loadAvg())
	cpu0 := srv.cpu(t)
	elapsed := l.runFor(dur, conns, 0)
	rows, total := l.rec.rows(elapsed)
	// What the collector cost the run (the memory governor's price: a
	// tighter limit collects more often), and what the process held.
	cpu1 := srv.cpu(t)
	if mem, err := srv.sample(elapsed); err == nil {
		t.Logf("server CPU %.1f s, of which GC %.1f s (%.1f %%); PSS %.1f MB, anonymous %.1f MB, live heap %.1f MB, limit %.1f MB",
			cpu1.total-cpu0.total, cpu1.gc-cpu0.gc, 100*(cpu1.gc-cpu0.gc)/(cpu1.total-cpu0.total),
			float64(mem.PSS)/1e6, float64(mem.AnonPSS)/1e6, float64(mem.LiveHeap)/1e6, cpu1.limit/1e6)
	}
	bare := runBare(t, envDuration(t, "BARE_DURATION", "10s"), conns)
	t.Logf("mixed load, %d workers, %s; load average after: %s\n%s", conns, elapsed.Round(time.Second), loadAvg(), table(rows, total, bare))
	t.Logf("throughput ratio mixed/bare = %.4f; p50 ratio mixed/bare = %.1f", total.PerSec/bare.PerSec, ms(total.P50)/ms(bare.P50))
	if p := srv.logProblems(); len(p) > 0 {
		t.Errorf("the server logged %d errors or index repairs; the first:\n%s", len(p), strings.Join(p[:min(len(p), 10)], "\n"))
	}
	if n, first := l.rec.errors(); n > 0 {
		t.Errorf("%d unexpected answers; the first:\n%s", n, strings.Join(first, "\n"))
	}
}

// runFor runs conns workers for dur; rate > 0 paces them to that many
// actions a second in total.
func (l *load) runFor(dur time.Duration, conns, rate int) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var tickets chan struct{}
	if rate > 0 {
		tickets = make(chan struct{})
		go func() {
			tick := time.NewTicker(time.Second / time.Duration(rate))
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					select {
					case tickets <- struct{}{}:
					default: // every worker busy: the action is skipped, not queued
					}
				}
			}
		}()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := range conns {
		w := &worker{l: l, r: rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))}
		wg.Go(func() { w.run(ctx, tickets) })
	}
	wg.Wait()
	return time.Since(start)
}

// runBare measures the same HTTP client against a bare Fiber handler (no
// middleware, a fixed small JSON body) on this machine, now.
func runBare(t *testing.T, dur time.Duration, conns int) row {
	t.Helper()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	body := []byte(`{"id":"bare","title":"ok"}`)
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(body)
	})
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", freePort(t, 7604, 1)))
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	defer func() { _ = app.Shutdown() }()
	l := &load{base: "http://" + ln.Addr().String(), rec: newRecorder()}
	l.http = newHTTP(conns)
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				_ = l.do("bare", "", "GET", "/bare", "", nil, nil)
			}
		})
	}
	wg.Wait()
	rows, _ := l.rec.rows(time.Since(start))
	rows[0].Kind = "bare Fiber handler"
	return rows[0]
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}
