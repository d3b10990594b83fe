package desktophttp

import (
	"bufio"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Heartbeat is how often an idle stream sends a comment: proxies keep it
// open, a gone client is found (the write fails), and the token is
// checked again (expiry; a revocation is told at once, see Hub.Revoked).
var Heartbeat = 15 * time.Second

// Lifetime bounds one stream: the client reconnects (with Last-Event-ID,
// so it misses nothing), which spreads long-lived connections again over
// the processes behind a balancer. Tests that request every route set it
// short to read a stream's start as a whole response.
var Lifetime = 30 * time.Minute

// retryMillis is the reconnection delay the stream asks of a client
// (the SSE retry field), before its own backoff.
const retryMillis = 2000

// events streams the caller's desktop events (text/event-stream): first
// a resync unless the Last-Event-ID is the hub's sequence, then one
// `desktop` event, with the feed sequence as its id, whenever a change
// concerns the caller. It ends when the token expires or is revoked, the
// client goes, the buffer overflows or the server stops; the client
// reconnects with Last-Event-ID.
func events(hub *desktop.Hub, tokens *auth.Tokens) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := auth.Caller(c)
		_, raw, _ := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
		raw = strings.TrimSpace(raw)
		sub, err := hub.Subscribe(p, c.Get("Last-Event-ID"))
		if err != nil {
			return problem.New(503, problem.CodeUnavailable, "服务正在停止，请稍后重连", "the server is stopping; reconnect later")
		}
		c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
		conn, stopping := c.Context().Conn(), c.Context().Done()
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			defer sub.Close()
			// The server's write timeout was set once for the whole
			// response: push it on before each write instead, so a stream
			// outlives it and a stuck client still times out.
			write := func(s string) bool {
				_ = conn.SetWriteDeadline(time.Now().Add(2 * Heartbeat))
				if _, err := w.WriteString(s); err != nil {
					return false
				}
				return w.Flush() == nil
			}
			if !write("retry: " + strconv.Itoa(retryMillis) + "\n: 实时桌面\n\n") {
				return
			}
			beat := time.NewTicker(Heartbeat)
			defer beat.Stop()
			end := time.NewTimer(Lifetime)
			defer end.Stop()
			for {
				select {
				case <-stopping:
					return
				case <-end.C:
					return
				case ev, ok := <-sub.Events:
					if !ok || !valid(tokens, raw) {
						return
					}
					data, _ := json.Marshal(ev)
					if !write("id: " + strconv.FormatInt(ev.Seq, 10) + "\nevent: desktop\ndata: " + string(data) + "\n\n") {
						return
					}
				case <-sub.Recheck:
					if !valid(tokens, raw) {
						return
					}
				case <-beat.C:
					if !valid(tokens, raw) || !write(": ping\n\n") {
						return
					}
				}
			}
		})
		return nil
	}
}

// valid is whether the stream's token still verifies: not expired, not
// revoked (a logout, a password change, an administrator's revocation).
func valid(tokens *auth.Tokens, raw string) bool {
	p, err := tokens.Verify(raw)
	return err == nil && !p.MustChangePassword()
}
