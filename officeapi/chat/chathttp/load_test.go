//go:build load

package chathttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"

	"zhengwu/officeapi"
	"zhengwu/officeapi/chat"
)

// TestLoad (make bench-chat): LOAD_CONNS sockets (default 2000) of two
// members of one group, LOAD_RATE messages a second (default 20) for
// LOAD_SECONDS (default 10), each delivered to every socket: messages
// acknowledged a second, deliveries a second, p50/p99 from send to
// arrival, memory per connection (heap and stacks of this process, the
// clients' included). Beside it, in the same run, a bare fasthttp/websocket
// server that broadcasts each frame it receives to every connection: the
// baseline of what the socket library alone costs.
func TestLoad(t *testing.T) {
	conns, rate, secs := envInt("LOAD_CONNS", 2000), envInt("LOAD_RATE", 20), envInt("LOAD_SECONDS", 10)
	e := newEnv(t)
	id := group(t, e, "editor", "reviewer")
	tokens := []string{e.TokenOf("editor"), e.TokenOf("reviewer")}
	ours := run(t, "chat (store, feed, hub)", conns, rate, secs, func(i int) *fws.Conn {
		return dial(t, e.base, tokens[i%2]).conn
	}, func(c *fws.Conn, n int) {
		_ = c.WriteJSON(map[string]any{"type": "send", "chatId": id, "clientId": fmt.Sprint("load-", n), "text": stamp()})
	}, func(data []byte) (string, bool) {
		var ev chat.Event
		if json.Unmarshal(data, &ev) != nil || ev.Type != "message" || ev.Message == nil {
			return "", false
		}
		return ev.Message.Text, true
	})
	base := bare(t)
	bareRes := run(t, "bare fasthttp/websocket broadcast", conns, rate, secs, func(int) *fws.Conn {
		c, _, err := fws.DefaultDialer.Dial(base, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}, func(c *fws.Conn, _ int) { _ = c.WriteMessage(fws.TextMessage, []byte(stamp())) },
		func(data []byte) (string, bool) { return string(data), true })
	t.Logf("ratio chat/bare: p99 %.1f×, memory per connection %.1f×, deliveries/s %.2f×",
		float64(ours.p99)/float64(max(bareRes.p99, 1)), ours.memPerConn/max(bareRes.memPerConn, 1),
		ours.deliveriesPerSec/max(bareRes.deliveriesPerSec, 1))
}

type result struct {
	p50, p99         time.Duration
	memPerConn       float64
	deliveriesPerSec float64
}

func stamp() string { return strconv.FormatInt(time.Now().UnixNano(), 10) }

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func memNow() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

func run(t *testing.T, name string, conns, rate, secs int, open func(i int) *fws.Conn, send func(c *fws.Conn, n int),
	parse func([]byte) (string, bool)) result {
	before := memNow()
	cs := make([]*fws.Conn, conns)
	for i := range cs {
		cs[i] = open(i)
	}
	memPer := float64(memNow()-before) / float64(conns)
	var mu sync.Mutex
	var lat []time.Duration
	var delivered atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range cs[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_ = c.SetReadDeadline(time.Now().Add(time.Duration(secs+30) * time.Second))
				_, data, err := c.ReadMessage()
				if err != nil {
					return
				}
				text, ok := parse(data)
				if !ok {
					continue
				}
				ns, err := strconv.ParseInt(text, 10, 64)
				if err != nil {
					continue
				}
				d := time.Since(time.Unix(0, ns))
				delivered.Add(1)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	sender := cs[0]
	go func() { // drain the sender's own frames (acks)
		for {
			if _, _, err := sender.ReadMessage(); err != nil {
				return
			}
		}
	}()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	began := time.Now()
	total := rate * secs
	for n := range total {
		<-tick.C
		send(sender, n)
	}
	tick.Stop()
	want := int64(total * (conns - 1))
	deadline := time.Now().Add(30 * time.Second)
	for delivered.Load() < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	elapsed := time.Since(began)
	close(stop)
	for _, c := range cs {
		_ = c.Close()
	}
	wg.Wait()
	mu.Lock()
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	r := result{p50: q(0.5), p99: q(0.99), memPerConn: memPer, deliveriesPerSec: float64(delivered.Load()) / elapsed.Seconds()}
	mu.Unlock()
	t.Logf("%s: %d connections, %d messages at %d/s, delivered %d of %d (%.0f/s), p50 %v, p99 %v, memory %.1f KiB per connection",
		name, conns, total, rate, delivered.Load(), want, r.deliveriesPerSec, r.p50, r.p99, memPer/1024)
	return r
}

// bare is a fasthttp/websocket server broadcasting every frame it gets.
func bare(t *testing.T) string {
	var mu sync.Mutex
	conns := map[*fws.Conn]chan []byte{}
	up := fws.FastHTTPUpgrader{ReadBufferSize: 2048, WriteBufferSize: 2048}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		_ = up.Upgrade(ctx, func(c *fws.Conn) {
			out := make(chan []byte, 512)
			mu.Lock()
			conns[c] = out
			mu.Unlock()
			go func() {
				for f := range out {
					if c.WriteMessage(fws.TextMessage, f) != nil {
						return
					}
				}
			}()
			for {
				_, data, err := c.ReadMessage()
				if err != nil {
					break
				}
				mu.Lock()
				for other, ch := range conns {
					if other != c {
						select {
						case ch <- data:
						default:
						}
					}
				}
				mu.Unlock()
			}
			mu.Lock()
			delete(conns, c)
			close(out)
			mu.Unlock()
		})
	}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return "ws://" + ln.Addr().String() + "/"
}

var (
	_ = context.Background
	_ = strings.Contains
	_ = officeapi.Base
)
