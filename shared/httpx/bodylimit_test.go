package httpx_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/httpx"
	"zhengwu/shared/testkit"
)

const (
	mib         = 1 << 20
	jsonLimit   = 1 * mib
	uploadLimit = 51 * mib
	uploadPath  = "/api/portal/v1/media"
	loginPath   = "/api/office/v1/auth/login"
)

// limitServer serves an app with the production limits on a loopback
// socket: a JSON login route and an upload route that spools its body to
// a file, as the media upload does.
func limitServer(t *testing.T) (base string, spooled *atomic.Int64) {
	t.Helper()
	app := httpx.NewApp(httpx.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BodyLimit: jsonLimit, UploadLimit: uploadLimit, UploadPaths: []string{uploadPath}})
	app.Post(loginPath, func(c *fiber.Ctx) error {
		var in struct {
			Username string `json:"username" validate:"required"`
			Password string `json:"password" validate:"required"`
		}
		if err := httpx.Bind(c, &in); err != nil {
			return err
		}
		return c.JSON(fiber.Map{"user": in.Username})
	})
	spooled = new(atomic.Int64)
	dir := t.TempDir()
	app.Post(uploadPath, func(c *fiber.Ctx) error {
		if c.Context().RequestBodyStream() == nil {
			return fmt.Errorf("the upload route's body was read before its handler")
		}
		body := httpx.BodyStream(c)
		f, err := os.Create(filepath.Join(dir, "upload"))
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, h), body)
		if err != nil {
			return err
		}
		spooled.Store(n)
		return c.JSON(fiber.Map{"size": n, "sha256": hex.EncodeToString(h.Sum(nil))})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String(), spooled
}

// pattern is an endless stream of bytes that costs no memory to send.
type pattern struct{}

func (pattern) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	return len(p), nil
}

type answer struct {
	status int
	ctype  string
	body   map[string]any
	err    error
}

func send(client *http.Client, req *http.Request) answer {
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return answer{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), body: m}
}

// Sixteen unauthenticated 50 MiB logins at once are refused with 413
// without the server holding their bodies: before the fix each was read
// whole (1.8 GB on the demo server) before the 1 MiB JSON limit applied.
func TestOversizedBodiesAreRefusedBeforeTheyAreRead(t *testing.T) {
	base, _ := limitServer(t)
	const n, size = 16, 50 * mib
	for _, mode := range []string{"content-length", "chunked", "expect-continue"} {
		t.Run(mode, func(t *testing.T) {
			client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 5 * time.Second}, Timeout: 60 * time.Second}
			defer client.CloseIdleConnections()
			stop := testkit.HeapPeak(t)
			answers := make([]answer, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					req, _ := http.NewRequest("POST", base+loginPath, io.LimitReader(pattern{}, size))
					req.Header.Set("Content-Type", "application/json")
					switch mode {
					case "content-length", "expect-continue":
						req.ContentLength = size
					case "chunked":
						req.ContentLength = -1
					}
					if mode == "expect-continue" {
						req.Header.Set("Expect", "100-continue")
					}
					answers[i] = send(client, req)
				})
			}
			wg.Wait()
			grew := stop()
			for i, a := range answers {
				if a.err != nil || a.status != 413 || !strings.HasPrefix(a.ctype, httpx.ProblemContentType) || a.body["code"] != "body_too_large" {
					t.Errorf("request %d: %d %q %v (%v)", i, a.status, a.ctype, a.body, a.err)
				}
			}
			t.Logf("%s: heap grew by at most %.1f MB for %d × %d MB bodies", mode, float64(grew)/1e6, n, size/mib)
			if grew > 100*mib {
				t.Errorf("heap grew by %.0f MB: the bodies were read into memory", float64(grew)/1e6)
			}
			// The server still answers, and a small login still works.
			req, _ := http.NewRequest("POST", base+loginPath, strings.NewReader(`{"username":"a","password":"b"}`))
			req.Header.Set("Content-Type", "application/json")
			if a := send(client, req); a.status != 200 || a.body["user"] != "a" {
				t.Fatalf("a small login after the flood: %d %v %v", a.status, a.body, a.err)
			}
		})
	}
}

// A body just over the JSON limit is refused; one just under it is read.
func TestJSONLimitIsExact(t *testing.T) {
	base, _ := limitServer(t)
	client := &http.Client{Timeout: 30 * time.Second}
	body := func(size int) string { // a valid login of exactly size bytes
		const head, tail = `{"username":"a","password":"`, `"}`
		return head + strings.Repeat("x", size-len(head)-len(tail)) + tail
	}
	for _, chunked := range []bool{false, true} {
		for size, want := range map[int]int{jsonLimit: 200, jsonLimit + 1: 413} {
			var r io.Reader = strings.NewReader(body(size))
			if chunked {
				r = io.MultiReader(r) // hides the length: the client sends it chunked
			}
			req, _ := http.NewRequest("POST", base+loginPath, r)
			req.Header.Set("Content-Type", "application/json")
			if a := send(client, req); a.status != want {
				t.Errorf("chunked=%v, %d bytes: %d %v %v, want %d", chunked, size, a.status, a.body, a.err, want)
			}
		}
	}
}

// An upload close to the limit streams to its file: the server's heap
// grows by far less than the file.
func TestUploadNearTheLimitStreams(t *testing.T) {
	base, spooled := limitServer(t)
	client := &http.Client{Timeout: 60 * time.Second}
	const size = uploadLimit - 1024
	for _, chunked := range []bool{false, true} {
		stop := testkit.HeapPeak(t)
		req, _ := http.NewRequestWithContext(context.Background(), "POST", base+uploadPath, io.LimitReader(pattern{}, size))
		req.ContentLength = size
		if chunked {
			req.ContentLength = -1
		}
		req.Header.Set("Content-Type", "application/octet-stream")
		a := send(client, req)
		grew := stop()
		if a.status != 200 || a.body["size"] != float64(size) || spooled.Load() != size {
			t.Fatalf("chunked=%v: upload of %d bytes: %d %v %v", chunked, size, a.status, a.body, a.err)
		}
		t.Logf("chunked=%v: heap grew by at most %.1f MB for a %d MB upload", chunked, float64(grew)/1e6, size/mib)
		if grew > 20*mib {
			t.Errorf("chunked=%v: heap grew by %.0f MB during a %d MB upload: it was held in memory", chunked, float64(grew)/1e6, size/mib)
		}
	}
	// Over the upload limit: refused.
	req, _ := http.NewRequest("POST", base+uploadPath, io.LimitReader(pattern{}, uploadLimit+mib))
	req.ContentLength = uploadLimit + mib
	if a := send(client, req); a.status != 413 || a.body["code"] != "body_too_large" {
		t.Fatalf("upload over the limit: %d %v %v", a.status, a.body, a.err)
	}
}

// A client that announces a large body, sends its start and waits gets
// the 413 at once, from the Content-Length alone.
func TestOversizedLengthIsRefusedWithoutWaitingForTheBody(t *testing.T) {
	base, _ := limitServer(t)
	addr := strings.TrimPrefix(base, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"username\":\"",
		loginPath, addr, 50*mib)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 || !strings.HasPrefix(resp.Header.Get("Content-Type"), httpx.ProblemContentType) {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("answered after %s: the server waited for the body", d)
	}
}
