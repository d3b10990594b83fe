package media

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
)

// Mount adds the media routes to the /api/portal/v1 group:
//
//	POST /media                      upload (portal.item.edit somewhere)
//	GET  /media/{id}                 the bytes (public; Range, ETag)
//	GET  /media/{id}/thumbnail?w=320 a JPEG thumbnail of an image (public)
//
// Reads need no login on purpose: portal attachments are public, and ids
// are SHA-256 content addresses that cannot be guessed.
func (s *Service) Mount(r fiber.Router, tokens *auth.Tokens) {
	r.Post("/media", tokens.Required(), auth.RequireAnywhere(PermEdit), s.handleUpload)
	r.Get("/media/:id", s.handleGet)
	r.Get("/media/:id/thumbnail", s.handleThumbnail)
}

// Response is the JSON an upload returns.
type Response struct {
	Record
	URL          string `json:"url"`
	ThumbnailURL string `json:"thumbnailUrl,omitempty"`
}

// URLPrefix is where the routes are mounted.
const URLPrefix = "/api/portal/v1/media/"

// ResponseFor describes a record with its URLs.
func ResponseFor(rec Record) Response {
	r := Response{Record: rec, URL: URLPrefix + rec.ID}
	if isImage(rec.Type) {
		r.ThumbnailURL = URLPrefix + rec.ID + "/thumbnail?w=" + strconv.Itoa(DefaultThumbnailWidth)
	}
	return r
}

func errNeedMultipart() *problem.Error {
	return problem.Invalid(problem.Field("file", "请以 multipart/form-data 上传，文件字段名为 file",
		"send multipart/form-data with the file in field \"file\""))
}

func (s *Service) handleUpload(c *fiber.Ctx) error {
	mt, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return errNeedMultipart()
	}
	// Read the multipart body ourselves rather than through c.FormFile:
	// the part is hashed and spooled once, without fasthttp copying it
	// into a form first. On an upload route (httpx.Options.UploadPaths)
	// the body comes from the socket as it is read, never whole in memory.
	mr := multipart.NewReader(httpx.BodyStream(c), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return problem.Invalid(problem.Field("file", "缺少文件字段 file", "missing the \"file\" field"))
		}
		if err != nil {
			return problem.Invalid(problem.Field("file", "上传内容格式有误", "malformed multipart body"))
		}
		if part.FormName() != "file" || part.FileName() == "" {
			_ = part.Close()
			continue
		}
		p := auth.Caller(c)
		rec, created, err := s.Add(c.UserContext(), Upload{
			Name: part.FileName(), Content: multipartErrs{part}, Actor: p.UserID, ActorIP: c.IP()})
		if err != nil {
			return err
		}
		status := fiber.StatusOK
		if created {
			status = fiber.StatusCreated
			c.Set(fiber.HeaderLocation, URLPrefix+rec.ID)
		}
		return c.Status(status).JSON(ResponseFor(rec))
	}
}

// multipartErrs turns a broken multipart body met while reading the file
// into a 400 rather than an internal error.
type multipartErrs struct{ r io.Reader }

func (m multipartErrs) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, problem.Invalid(problem.Field("file", "上传内容格式有误", "malformed multipart body"))
	}
	return n, err
}

func (s *Service) handleGet(c *fiber.Ctx) error {
	ctx := context.WithoutCancel(c.UserContext())
	rec, err := s.Get(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	disp := "attachment"
	if inline(rec.Type) {
		disp = "inline"
	}
	return s.serve(c, content{etag: `"` + rec.SHA256 + `"`, typ: rec.Type, size: rec.Size, modified: rec.CreatedAt,
		disposition: ContentDisposition(disp, rec.Name),
		open:        func() (Blob, error) { return s.Open(ctx, rec) }})
}

func (s *Service) handleThumbnail(c *fiber.Ctx) error {
	ctx := context.WithoutCancel(c.UserContext())
	rec, err := s.Get(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	w := DefaultThumbnailWidth
	if q := c.Query("w"); q != "" {
		if w, err = strconv.Atoi(q); err != nil {
			w = -1
		}
	}
	b, err := s.Thumbnail(ctx, rec, w)
	if err != nil {
		return err
	}
	return s.serve(c, content{etag: `"` + thumbnailKey(rec.ID, w) + `"`, typ: ThumbnailType, size: b.Size(),
		modified: rec.CreatedAt, disposition: "inline",
		open: func() (Blob, error) { return b, nil }, opened: b})
}

// content is what serve sends.
type content struct {
	etag, typ, disposition string
	size                   int64
	modified               time.Time
	open                   func() (Blob, error)
	opened                 Blob // already open (closed by serve if unused)
}

// serve answers a GET or HEAD with http.ServeContent's semantics on
// Fiber: If-None-Match → 304; a single satisfiable Range → 206 with
// Content-Range; an unsatisfiable one → 416; several ranges, a malformed
// Range or an If-Range that does not match → the whole content (200).
// The body is streamed from the blob (seeking to the range's start), never
// loaded whole.
func (s *Service) serve(c *fiber.Ctx, ct content) error {
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
	// Content-addressed: the bytes behind a URL never change.
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
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
