package httpx_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/httpx"
)

// serveIP starts an app (rate limit 2 a minute) answering the client's
// address on a real socket: the connection comes from 127.0.0.1.
func serveIP(t *testing.T, trusted []string) string {
	t.Helper()
	app := httpx.NewApp(httpx.Options{RateLimit: 2, TrustedProxies: trusted,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	app.Get("/api/ip", func(c *fiber.Ctx) error { return c.SendString(c.IP()) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String() + "/api/ip"
}

func getAs(t *testing.T, url, forwardedFor string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// Behind a trusted proxy the client is the address its X-Forwarded-For
// names: each client has its own rate limit (and its own address in the
// audit trail and the login lockout). From anywhere else the header is
// ignored: a client cannot pick its address to escape the limit.
func TestTrustedProxiesNameTheClient(t *testing.T) {
	behind := serveIP(t, []string{"127.0.0.0/8"})
	for _, client := range []string{"203.0.113.7", "203.0.113.8"} {
		for i := 0; i < 2; i++ {
			if status, ip := getAs(t, behind, client); status != 200 || ip != client {
				t.Fatalf("via the proxy as %s: %d %q", client, status, ip)
			}
		}
	}
	if status, _ := getAs(t, behind, "203.0.113.7"); status != 429 {
		t.Fatalf("a third request of 203.0.113.7: %d, want 429", status)
	}
	// A header that names no address: the connection's.
	if status, ip := getAs(t, behind, "unknown"); status != 200 || ip != "127.0.0.1" {
		t.Fatalf("an invalid X-Forwarded-For: %d %q", status, ip)
	}

	direct := serveIP(t, []string{"10.9.9.9"})
	if _, ip := getAs(t, direct, "203.0.113.7"); ip != "127.0.0.1" {
		t.Fatalf("an untrusted sender chose its address: %q", ip)
	}
	getAs(t, direct, "203.0.113.8")
	if status, _ := getAs(t, direct, "203.0.113.9"); status != 429 {
		t.Fatalf("an untrusted sender escaped the rate limit by changing the header: %d", status)
	}
}
