// Package contenthttp is the thin HTTP layer of the management API
// (docs/portal-api.md, "Management API"): it authenticates, parses and
// binds, calls cms/content and renders. Every error is a *problem.Error
// rendered by shared/httpx as problem+json.
package contenthttp

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/content"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
)

// ConsistentWaitTimeout bounds ?consistentWith= waits.
const ConsistentWaitTimeout = 3 * time.Second

type handlers struct{ svc *content.Service }

// Mount adds the management routes to r (the /api/portal/v1 group); every
// one requires a valid access token.
func Mount(r fiber.Router, svc *content.Service, tokens *auth.Tokens) {
	h := handlers{svc: svc}
	m := r.Group("/manage", tokens.Required())
	m.Post("/documents", h.create)
	m.Get("/documents", h.list)
	m.Get("/review-queue", h.queue)
	m.Get("/documents/:id", h.get)
	m.Put("/documents/:id/draft", h.draft)
	m.Post("/documents/:id/submit", h.submit)
	m.Post("/documents/:id/approve", h.approve)
	m.Post("/documents/:id/reject", h.reject)
	m.Post("/documents/:id/withdraw", h.withdraw)
	m.Post("/documents/:id/redirect", h.redirect)
	m.Post("/documents/:id/remove", h.remove)
	m.Post("/documents/:id/rollback", h.rollback)
	m.Post("/documents/:id/preview", h.preview)
	m.Get("/documents/:id/editions", h.editions)
	m.Get("/documents/:id/editions/:n", h.edition)
	m.Get("/documents/:id/diff", h.diff)
}

func notFound() error { return problem.NotFound("文档不存在", "document not found") }

// id reads the :id parameter; anything that cannot be an id is 404.
func id(c *fiber.Ctx) (string, error) {
	v := c.Params("id")
	if v == "" || len(v) > 64 || !utf8.ValidString(v) || strings.ContainsAny(v, "/\x00") {
		return "", notFound()
	}
	return v, nil
}

// bindOptional binds a body when there is one (submit and remove may be
// sent without).
func bindOptional(c *fiber.Ctx, v any) error {
	if !httpx.HasBody(c) {
		return nil
	}
	return httpx.Bind(c, v)
}

func (h handlers) create(c *fiber.Ctx) error {
	var in content.CreateInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.Create(c.UserContext(), auth.Caller(c), in)
	if err != nil {
		return err
	}
	c.Location(c.Path() + "/" + v.Document.ID)
	return c.Status(http.StatusCreated).JSON(v)
}

func (h handlers) get(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	v, err := h.svc.Get(c.UserContext(), auth.Caller(c), docID)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h handlers) draft(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.DraftInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.UpdateDraft(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) submit(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.VersionInput
	if err := bindOptional(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.Submit(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) approve(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.ApproveInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.Approve(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) reject(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.RejectInput
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.Reject(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) withdraw(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.WithdrawInput
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.Withdraw(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) redirect(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.RedirectInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.Redirect(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) remove(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.VersionInput
	if err := bindOptional(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.Remove(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) rollback(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var in content.RollbackInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	return h.render(c)(h.svc.Rollback(c.UserContext(), auth.Caller(c), docID, in))
}

func (h handlers) preview(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	tok, err := h.svc.CreatePreview(c.UserContext(), auth.Caller(c), docID)
	if err != nil {
		return err
	}
	return c.JSON(tok)
}

func (h handlers) editions(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	eds, err := h.svc.Editions(c.UserContext(), auth.Caller(c), docID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": eds})
}

func (h handlers) edition(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 {
		return problem.NotFound("该版本不存在", "no such edition")
	}
	e, err := h.svc.Edition(c.UserContext(), auth.Caller(c), docID, n)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (h handlers) diff(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	from, err1 := editionParam(c, "from")
	to, err2 := editionParam(c, "to")
	if err := errors.Join(err1, err2); err != nil {
		var fields []problem.FieldError
		for _, e := range []error{err1, err2} {
			if p := problem.As(e); p != nil {
				fields = append(fields, p.Fields...)
			}
		}
		return problem.Invalid(fields...)
	}
	d, err := h.svc.Diff(c.UserContext(), auth.Caller(c), docID, from, to)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"from": from, "to": to, "changes": d})
}

func editionParam(c *fiber.Ctx, name string) (int, error) {
	n, err := strconv.Atoi(c.Query(name))
	if err != nil || n < 1 || n > 100000 {
		return 0, problem.Invalid(problem.Field(name, name+"必须是版本号（正整数）", name+" must be an edition number"))
	}
	return n, nil
}

// listQuery reads the list parameters; each is checked for UTF-8 and length.
func listQuery(c *fiber.Ctx) (content.ListQuery, error) {
	var q content.ListQuery
	var fields []problem.FieldError
	get := func(name string, max int) string {
		v := c.Query(name)
		if len(v) > max || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			fields = append(fields, problem.Field(name, name+"参数无效", name+" is invalid"))
			return ""
		}
		return v
	}
	q.State, q.Channel, q.Department, q.Type = get("state", 20), get("channel", 64), get("department", 64), get("type", 20)
	q.Q, q.Cursor = get("q", 200), get("cursor", 2000)
	if s := c.Query("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			fields = append(fields, problem.Field("size", "每页条数必须是 1 到 100 之间的整数", "size must be an integer from 1 to 100"))
		}
		q.Size = n
	}
	if len(fields) > 0 {
		return q, problem.Invalid(fields...)
	}
	return q, nil
}

func (h handlers) waitIndex(c *fiber.Ctx) error {
	err := index.ConsistentWith(c.UserContext(), h.svc.Index(), c.Query(index.ConsistentWithParam), ConsistentWaitTimeout,
		h.svc.LastSeq)
	var pe *index.ParamError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return problem.Invalid(problem.Field(index.ConsistentWithParam, "consistentWith 必须是写操作返回的序号（非负整数）", pe.Reason))
	case errors.Is(err, index.ErrWaitTimeout):
		return problem.New(http.StatusServiceUnavailable, problem.CodeUnavailable, "列表索引尚未更新，请稍后重试", "the list index is catching up; retry")
	}
	return err
}

func (h handlers) list(c *fiber.Ctx) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	if err := h.waitIndex(c); err != nil {
		return err
	}
	res, err := h.svc.List(c.UserContext(), auth.Caller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (h handlers) queue(c *fiber.Ctx) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	if err := h.waitIndex(c); err != nil {
		return err
	}
	res, err := h.svc.ReviewQueue(c.UserContext(), auth.Caller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// render writes a view (200) or returns the error.
func (h handlers) render(c *fiber.Ctx) func(content.View, error) error {
	return func(v content.View, err error) error {
		if err != nil {
			return err
		}
		return c.JSON(v)
	}
}
