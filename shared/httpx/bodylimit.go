package httpx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"zhengwu/shared/problem"
)

// How request bodies are limited.
//
// The server runs with fasthttp's StreamRequestBody: it reads a request's
// headers and at most 8 KiB of its body, then calls the handler chain with
// the rest of the body still on the socket. (Without it fasthttp reads
// every body whole, up to the server-wide limit, before any handler can
// look at the route: 16 parallel 50 MiB logins took 1.8 GB.) limitBodies,
// before any middleware that may answer, then decides per route:
//
//   - a Content-Length over the route's limit is refused with 413 at once,
//     its body unread;
//   - a JSON route's body (Content-Length or chunked) is read into memory,
//     at most limit+1 bytes, so that c.Body() is the whole body afterwards;
//     one byte over and it is a 413;
//   - an upload route's body stays a stream for its handler (BodyStream).
//
// A body that is left unread on the socket would be taken for the next
// request on the connection, so every refusal closes the connection
// (closeAfterAnswer), as does an upload handler that stops reading early.

// bodyStreamKey is the Locals key of an upload route's *bodyStream.
const bodyStreamKey = "httpx.bodyStream"

// limitBodies is the middleware described above.
func limitBodies(jsonLimit, uploadLimit int, uploadPaths []string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		limit, streamed := jsonLimit, false
		if uploadLimit > 0 && underAny(c.Path(), uploadPaths) {
			limit, streamed = uploadLimit, true
		}
		req := &c.Context().Request
		stream := c.Context().RequestBodyStream()
		if stream == nil {
			return c.Next() // no body (GET, or no Content-Length and not chunked)
		}
		if cl := req.Header.ContentLength(); cl > limit {
			closeAfterAnswer(c.Context())
			return errTooLarge(limit)
		}
		if enc := strings.TrimSpace(string(req.Header.ContentEncoding())); enc != "" && !strings.EqualFold(enc, "identity") {
			// Fiber's c.Body() would inflate a compressed body without
			// any bound: 1 MiB of gzip is a gigabyte of zeros.
			closeAfterAnswer(c.Context())
			c.Set(fiber.HeaderAcceptEncoding, "identity")
			return problem.New(fiber.StatusUnsupportedMediaType, problem.CodeUnsupportedMedia,
				"不支持压缩的请求体（Content-Encoding）", "compressed request bodies (Content-Encoding) are not accepted")
		}
		if streamed {
			body := &bodyStream{r: stream, left: int64(limit), limit: limit}
			c.Locals(bodyStreamKey, body)
			err := c.Next()
			if err != nil || !body.atEnd {
				closeAfterAnswer(c.Context())
			}
			return err
		}
		body, err := io.ReadAll(io.LimitReader(stream, int64(limit)+1))
		if err != nil {
			closeAfterAnswer(c.Context())
			return problem.New(fiber.StatusBadRequest, "body_unreadable", "请求体未能完整接收", "the request body could not be read")
		}
		if len(body) > limit {
			closeAfterAnswer(c.Context())
			return errTooLarge(limit)
		}
		req.SetBody(body) // ends the stream: c.Body() is now this buffer
		return c.Next()
	}
}

// readAheadLimit tells fasthttp, once it has a request's headers, how much
// of the body to read before calling the handlers: normally up to 8 KiB
// (or the whole body if smaller), which a client that sends a large body
// after its headers soon provides. For a body whose Content-Length is
// over its route's limit, which limitBodies refuses from the length
// alone, it makes fasthttp read only what has already arrived: a client
// that waits for the answer before sending more still gets it at once.
// (Read-ahead is all that a request's MaxRequestBodySize changes when
// bodies are streamed; the limits themselves are limitBodies'.)
func readAheadLimit(jsonLimit, uploadLimit int, uploadPaths []string) func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		cl := h.ContentLength()
		if cl <= jsonLimit {
			return fasthttp.RequestConfig{}
		}
		if uploadLimit > 0 && cl <= uploadLimit {
			u := fasthttp.AcquireURI()
			defer fasthttp.ReleaseURI(u)
			if u.Parse(nil, h.RequestURI()) == nil && underAny(string(u.Path()), uploadPaths) {
				return fasthttp.RequestConfig{}
			}
		}
		return fasthttp.RequestConfig{MaxRequestBodySize: 1}
	}
}

// BodyStream is an upload route's body, read from the socket as the
// handler reads it. It yields at most the route's limit (Options.
// UploadLimit), then fails with a 413 problem. A handler that does not
// read it to its end gets its connection closed after the answer. On a
// route that is not an upload route it reads the buffered body.
func BodyStream(c *fiber.Ctx) io.Reader {
	if body, ok := c.Locals(bodyStreamKey).(*bodyStream); ok {
		return body
	}
	return bytes.NewReader(c.Request().Body())
}

// bodyStream limits an upload's body and remembers whether it was read to
// the end: fasthttp's chunked body stream, read again after its end,
// would wait for the next chunk (the next request's first bytes).
type bodyStream struct {
	r     io.Reader
	left  int64
	limit int
	atEnd bool
	err   error // once set, every Read returns it
}

func (b *bodyStream) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.left <= 0 {
		// At the limit: one more byte means the body is too large.
		var one [1]byte
		n, err := b.r.Read(one[:])
		switch {
		case n > 0:
			b.err = errTooLarge(b.limit)
		case errors.Is(err, io.EOF):
			b.err, b.atEnd = io.EOF, true
		case err != nil:
			b.err = err
		}
		return 0, b.err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if errors.Is(err, io.EOF) {
		b.atEnd = true
	}
	if err != nil {
		b.err = err
	}
	return n, err
}

// underAny reports whether path is one of prefixes or below one of them.
func underAny(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}

func errTooLarge(limit int) *problem.Error {
	return problem.New(fiber.StatusRequestEntityTooLarge, problem.CodeTooLarge,
		fmt.Sprintf("请求体过大（此接口最多接受 %s）", size(limit)),
		fmt.Sprintf("request body too large (this route accepts at most %s)", size(limit))).
		With("limit", limit)
}

// size writes a byte count the way people read it.
func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// closeAfterAnswer makes the connection close once the answer is sent:
// the request's body (some of it unread) cannot be told from the next
// request. Closing a socket that still holds unread data resets it at
// once, and the reset can overtake the answer, so that the client sees
// "connection reset" instead of the 413. On a TCP connection the close
// therefore lingers, as Go's net/http does: the answer is written, the
// sending half shut, and what the client still sends is read and dropped
// until it closes its end, for at most lingerTime. (Stopping after some
// bytes instead resets the socket while a fast client is still writing,
// and a client busy writing may not have read the answer yet.)
func closeAfterAnswer(fctx *fasthttp.RequestCtx) {
	fctx.SetConnectionClose()
	half, ok := fctx.Conn().(interface{ CloseWrite() error })
	if !ok { // not a TCP connection (Fiber's app.Test): close plainly
		return
	}
	conn := fctx.Conn()
	// fasthttp writes no answer for a hijacked request, so it does not
	// close the connection either: the hijack handler writes the answer
	// the error handler has rendered, then lingers; fasthttp closes the
	// connection when it returns.
	fctx.HijackSetNoResponse(true)
	fctx.Hijack(func(hc net.Conn) {
		_ = conn.SetWriteDeadline(time.Now().Add(lingerTime))
		w := bufio.NewWriter(hc)
		if err := fctx.Response.Write(w); err != nil || w.Flush() != nil {
			return
		}
		if half.CloseWrite() != nil {
			return
		}
		_ = conn.SetReadDeadline(time.Now().Add(lingerTime))
		_, _ = io.Copy(io.Discard, hc)
	})
}

// lingerTime bounds how long a refused connection is drained.
const lingerTime = 2 * time.Second
