package mediahttp

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/media"
	"zhengwu/shared/problem"
)

// content is what serve sends.
type content struct {
	etag, typ, disposition string
	size                   int64
	modified               time.Time
	open                   func() (media.Blob, error)
	opened                 media.Blob // already open (closed by serve if unused)
	public                 bool       // anyone may read it (shared caches may keep it)
}

// serve answers a GET or HEAD with http.ServeContent's semantics on
// Fiber: If-None-Match → 304; a single satisfiable Range → 206 with
// Content-Range; an unsatisfiable one → 416; several ranges, a malformed
// Range or an If-Range that does not match → the whole content (200).
// The body is streamed from the blob (seeking to the range's start), never
// loaded whole.
func serve(c *fiber.Ctx, ct content) error {
	closeOpened := func() {
		if ct.opened != nil {
			_ = ct.opened.Close()
		}
	}
	start, length, status := int64(0), ct.size, fiber.StatusOK
	if etagMatch(c.Get(fiber.HeaderIfNoneMatch), ct.etag) {
		closeOpened()
		setCacheHeaders(c, ct)
		c.Status(fiber.StatusNotModified)
		return nil
	}
	if rh := c.Get(fiber.HeaderRange); rh != "" && ifRangeOK(c.Get(fiber.HeaderIfRange), ct.etag) {
		st, ln, ok, satisfiable := parseRange(rh, ct.size)
		if !satisfiable {
			closeOpened()
			c.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(ct.size, 10))
			c.Set(fiber.HeaderAcceptRanges, "bytes")
			return problem.New(http.StatusRequestedRangeNotSatisfiable, "range_not_satisfiable",
				"请求的范围超出文件大小", "requested range not satisfiable").
				With("size", ct.size)
		}
		if ok {
			start, length, status = st, ln, fiber.StatusPartialContent
			c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(st, 10)+"-"+
				strconv.FormatInt(st+ln-1, 10)+"/"+strconv.FormatInt(ct.size, 10))
		}
	}
	b := ct.opened
	if b == nil {
		var err error
		if b, err = ct.open(); err != nil {
			return err
		}
	}
	if start > 0 {
		if _, err := b.Seek(start, io.SeekStart); err != nil {
			_ = b.Close()
			return err
		}
	}
	setCacheHeaders(c, ct)
	c.Set(fiber.HeaderContentType, ct.typ)
	c.Set(fiber.HeaderContentDisposition, ct.disposition)
	c.Status(status)
	if c.Method() == fiber.MethodHead {
		_ = b.Close()
		c.Context().Response.Header.SetContentLength(int(length))
		return nil
	}
	// fasthttp reads the stream after the handler returns and closes it.
	c.Context().SetBodyStream(limitedBlob{io.LimitReader(b, length), b}, int(length))
	return nil
}

func setCacheHeaders(c *fiber.Ctx, ct content) {
	c.Set(fiber.HeaderETag, ct.etag)
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	// The bytes behind a URL never change (content-addressed), but who may
	// read them can: a public file's item may be withdrawn or made
	// internal. Shared caches keep a public file for an hour (then
	// revalidate: a 304 by ETag, after the access check); anything else
	// is the reader's alone and not kept on disk.
	if ct.public {
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if !ct.modified.IsZero() {
		c.Set(fiber.HeaderLastModified, ct.modified.UTC().Format(http.TimeFormat))
	}
}

type limitedBlob struct {
	io.Reader
	io.Closer
}

// etagMatch implements If-None-Match's weak comparison.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// ifRangeOK: a Range applies unless If-Range names another validator (a
// date is never strong enough here; the ETag is).
func ifRangeOK(header, etag string) bool {
	return header == "" || header == etag
}

// parseRange reads a Range header for content of size bytes. ok is true
// for one satisfiable byte range (start, length); satisfiable is false
// when the header is a well-formed byte range set none of whose ranges
// overlaps the content. A malformed header or several ranges give ok =
// false, satisfiable = true: the whole content is sent.
func parseRange(h string, size int64) (start, length int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found {
		return 0, 0, false, true
	}
	specs := strings.Split(spec, ",")
	anySatisfiable := false
	for _, one := range specs {
		one = strings.TrimSpace(one)
		first, last, dash := strings.Cut(one, "-")
		if !dash {
			return 0, 0, false, true
		}
		var s, l int64
		if first == "" {
			n, err := strconv.ParseInt(last, 10, 64)
			if err != nil || n < 0 {
				return 0, 0, false, true
			}
			if n == 0 {
				continue // a zero-length suffix overlaps nothing
			}
			n = min(n, size)
			s, l = size-n, n
		} else {
			f, err := strconv.ParseInt(first, 10, 64)
			if err != nil || f < 0 {
				return 0, 0, false, true
			}
			e := size - 1
			if last != "" {
				le, err := strconv.ParseInt(last, 10, 64)
				if err != nil || le < f {
					return 0, 0, false, true
				}
				e = min(le, size-1)
			}
			if f >= size {
				continue
			}
			s, l = f, e-f+1
		}
		anySatisfiable = true
		start, length = s, l
	}
	if !anySatisfiable {
		return 0, 0, false, false
	}
	if len(specs) > 1 {
		return 0, 0, false, true // several ranges: send it all
	}
	return start, length, true, true
}
