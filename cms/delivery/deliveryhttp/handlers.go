package deliveryhttp

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/delivery"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

type handlers struct {
	svc     *delivery.Service
	preview PreviewFunc
}

func notFound() error { return problem.NotFound("内容不存在", "not found") }

func (h handlers) channels(c *fiber.Ctx) error {
	p := auth.Caller(c)
	if p != nil {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	}
	return c.JSON(h.svc.Channels(p))
}

func (h handlers) list(c *fiber.Ctx) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	p := auth.Caller(c)
	body, err := h.svc.List(c.UserContext(), p, q)
	if err != nil {
		return err
	}
	if p != nil {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	} else {
		// Lists change with every publication; let shared caches hold them
		// only briefly.
		c.Set(fiber.HeaderCacheControl, "public, max-age=10")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

// listQuery reads a list's parameters. It runs on every list request,
// most of them cache hits, so it is written out rather than reflected
// (httpx.Query): one pass over the query string, each value given copied
// once, unescaped only when it is escaped. A test holds it to ListQuery's
// query tags and to Fiber's reading of the same query. A parameter given
// twice counts once, the first time, as c.Query reads it. Only the
// numbers are checked here (a number that is not one is a 400 naming it);
// delivery.List validates the rest when it makes the answer.
func listQuery(c *fiber.Ctx) (delivery.ListQuery, error) {
	var q delivery.ListQuery
	var year, size, page string
	raw := c.Request().URI().QueryString()
	for len(raw) > 0 {
		var pair []byte
		pair, raw, _ = bytes.Cut(raw, []byte{'&'})
		k, v, _ := bytes.Cut(pair, []byte{'='})
		if len(v) == 0 {
			continue
		}
		if escaped(k) {
			k = []byte(unescape(k))
		}
		var dst *string
		switch string(k) { // no copy: the compiler compares the bytes
		case "channel":
			dst = &q.Channel
		case "type":
			dst = &q.Type
		case "genre":
			dst = &q.Genre
		case "issuer":
			dst = &q.Issuer
		case "department":
			dst = &q.Department
		case "validity":
			dst = &q.Validity
		case "status":
			dst = &q.Status
		case "from":
			dst = &q.From
		case "to":
			dst = &q.To
		case "sort":
			dst = &q.Sort
		case "cursor":
			dst = &q.Cursor
		case "fields":
			dst = &q.Fields
		case "consistentWith":
			dst = &q.ConsistentWith
		case "year":
			dst = &year
		case "size":
			dst = &size
		case "page":
			dst = &page
		default:
			continue
		}
		if *dst == "" {
			*dst = unescape(v)
		}
	}
	var err error
	if q.Year, err = number("year", year); err != nil {
		return q, err
	}
	if q.Size, err = number("size", size); err != nil {
		return q, err
	}
	q.Page, err = number("page", page)
	return q, err
}

// number reads an integer parameter ("" is none).
func number(name, raw string) (*int, error) {
	if raw == "" {
		return nil, nil
	}
	v, err := strconv.Atoi(raw)
	if err != nil {
		return nil, problem.Invalid(problem.Field(name, "必须是整数", "must be an integer"))
	}
	return &v, nil
}

func escaped(b []byte) bool { return bytes.IndexByte(b, '%') >= 0 || bytes.IndexByte(b, '+') >= 0 }

// unescape decodes a query string's key or value as fasthttp does: + is
// a space, %XX a byte, and a malformed escape is kept as it is.
func unescape(b []byte) string {
	if !escaped(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '+':
			out = append(out, ' ')
		case c == '%' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]):
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

func (h handlers) item(c *fiber.Ctx) error {
	a, err := h.svc.Item(c.UserContext(), auth.Caller(c), c.Params("id"), unchanged(c))
	if err != nil {
		return err
	}
	return h.send(c, a)
}

// itemByPath serves an item by its path exactly like item.
func (h handlers) itemByPath(c *fiber.Ctx) error {
	p, err := url.PathUnescape(c.Params("*"))
	if err != nil || p == "" {
		return notFound()
	}
	a, err := h.svc.ItemByPath(c.UserContext(), auth.Caller(c), p, unchanged(c))
	if err != nil {
		return err
	}
	return h.send(c, a)
}

// unchanged is the request's conditions (If-None-Match, If-Modified-Since)
// for delivery.Item, which then spares rendering a body the reader holds;
// nil when there are none, as for most requests.
func unchanged(c *fiber.Ctx) delivery.Unchanged {
	if c.Get(fiber.HeaderIfNoneMatch) == "" && c.Get(fiber.HeaderIfModifiedSince) == "" {
		return nil
	}
	return func(etag string, lastModified time.Time) bool { return notModified(c, etag, lastModified) }
}

// send answers with the item's validators and caching headers, 304 when
// the reader's copy is current, or the redirect of a redirected item.
func (h handlers) send(c *fiber.Ctx, a *delivery.Answer) error {
	cc := "private, no-cache"
	if !a.Internal {
		cc = "public, max-age=" + strconv.Itoa(h.svc.MaxAge(a))
	}
	c.Set(fiber.HeaderCacheControl, cc)
	if a.RedirectTo != "" {
		c.Set(fiber.HeaderLocation, "/api/portal/v1/items/"+url.PathEscape(a.RedirectTo))
		return c.SendStatus(http.StatusMovedPermanently)
	}
	c.Set(fiber.HeaderETag, a.ETag)
	c.Set(fiber.HeaderLastModified, a.Modified)
	if a.Body == nil || notModified(c, a.ETag, a.LastModified) {
		// A body is left out only when the conditions matched.
		return c.SendStatus(http.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(a.Body)
}

// notModified applies RFC 9110's precedence: If-None-Match when present,
// otherwise If-Modified-Since.
func notModified(c *fiber.Ctx, etag string, lastMod time.Time) bool {
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == etag {
				return true
			}
		}
		return false
	}
	if ims := c.Get(fiber.HeaderIfModifiedSince); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !lastMod.After(t)
	}
	return false
}

// previewItem renders what the preview token stands for like a published
// item (links expanded), never cached.
func (h handlers) previewItem(c *fiber.Ctx) error {
	it, err := h.preview(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	v, err := h.svc.Render(c.UserContext(), auth.Caller(c), it)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.JSON(v)
}
