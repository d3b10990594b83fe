package mediahttp

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/media"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
)

type handlers struct{ svc *media.Service }

func errNeedMultipart() *problem.Error {
	return problem.Invalid(problem.Field("file", "请以 multipart/form-data 上传，文件字段名为 file",
		"send multipart/form-data with the file in field \"file\""))
}

func (h handlers) upload(c *fiber.Ctx) error {
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
		rec, created, err := h.svc.Add(c.UserContext(), media.Upload{
			Name: part.FileName(), Content: multipartErrs{part}, Actor: p.UserID, ActorIP: c.IP()})
		if err != nil {
			return err
		}
		status := fiber.StatusOK
		if created {
			status = fiber.StatusCreated
			c.Set(fiber.HeaderLocation, media.URLPrefix+rec.ID)
		}
		return c.Status(status).JSON(media.ResponseFor(rec))
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

// download serves a media's bytes. The body is streamed after the
// handler returns: ctx must outlive the request's.
func (h handlers) download(c *fiber.Ctx) error {
	ctx := context.WithoutCancel(c.UserContext())
	rec, public, err := h.svc.Readable(ctx, c.Params("id"), auth.Caller(c))
	if err != nil {
		return err
	}
	disposition := "attachment"
	if media.Inline(rec.Type) {
		disposition = "inline"
	}
	return serve(c, content{etag: `"` + rec.SHA256 + `"`, typ: rec.Type, size: rec.Size, modified: rec.CreatedAt, public: public,
		disposition: media.ContentDisposition(disposition, rec.Name),
		open:        func() (media.Blob, error) { return h.svc.Open(ctx, rec) }})
}

// info describes a file to whoever may download it: a document's
// attachment list shows names, not ids.
func (h handlers) info(c *fiber.Ctx) error {
	rec, _, err := h.svc.Readable(c.UserContext(), c.Params("id"), auth.Caller(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.JSON(media.ResponseFor(rec))
}

// thumbnail serves an image's thumbnail, made on first request.
func (h handlers) thumbnail(c *fiber.Ctx) error {
	var q thumbnailQuery
	if err := httpx.Query(c, &q); err != nil {
		return err
	}
	w := media.DefaultThumbnailWidth
	if q.W != nil {
		w = *q.W
	}
	ctx := context.WithoutCancel(c.UserContext())
	rec, public, err := h.svc.Readable(ctx, c.Params("id"), auth.Caller(c))
	if err != nil {
		return err
	}
	b, err := h.svc.Thumbnail(ctx, rec, w)
	if err != nil {
		return err
	}
	return serve(c, content{etag: `"` + media.ThumbnailKey(rec.ID, w) + `"`, typ: media.ThumbnailType, size: b.Size(),
		modified: rec.CreatedAt, disposition: "inline", public: public,
		open: func() (media.Blob, error) { return b, nil }, opened: b})
}

// SessionCookie carries the reader's access token to the media routes
// alone: the browser fetches <img src> and download links itself, without
// the Authorization header.
const SessionCookie = "zw_media"

// startSession puts the caller's access token in the media cookie. The
// token keeps its own expiry and revocation (checked on every read); the
// cookie lives as long as the browser session, and the SPA sets it again
// after each refresh.
func (h handlers) startSession(c *fiber.Ctx) error {
	_, token, _ := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
	c.Cookie(sessionCookie(c, strings.TrimSpace(token)))
	return c.SendStatus(fiber.StatusNoContent)
}

// endSession clears the media cookie.
func (h handlers) endSession(c *fiber.Ctx) error {
	ck := sessionCookie(c, "")
	ck.Expires, ck.MaxAge = time.Unix(0, 0), -1
	c.Cookie(ck)
	return c.SendStatus(fiber.StatusNoContent)
}

// sessionCookie is the media cookie: sent to the media routes only, not
// readable by scripts, never sent with a request another site starts, and
// only over TLS when the request came over TLS.
func sessionCookie(c *fiber.Ctx, value string) *fiber.Cookie {
	return &fiber.Cookie{Name: SessionCookie, Value: value, Path: strings.TrimSuffix(media.URLPrefix, "/"),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Secure()}
}
