// Package infohttp is the thin HTTP layer of the department information
// platforms: it parses and validates requests, calls info.Service, and
// renders results. Routes under /api/office/v1/info.
package infohttp

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/info"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

type handlers struct{ svc *info.Service }

// Mount adds the routes under r (the /api/office/v1 group).
func Mount(r fiber.Router, svc *info.Service, tokens *auth.Tokens) {
	h := &handlers{svc: svc}
	g := r.Group("/info", tokens.Required())
	g.Get("/desktop", h.desktop)
	g.Get("/items", h.list)
	g.Post("/items", h.create)
	g.Get("/items/:id", h.get)
	g.Put("/items/:id", h.update)
	g.Post("/items/:id/submit", h.submit)
	g.Post("/items/:id/approve", h.approve)
	g.Post("/items/:id/reject", h.reject)
	g.Post("/items/:id/withdraw", h.withdraw)
	g.Post("/items/:id/designate", h.designate)
	g.Post("/items/:id/portal-approve", h.portalApprove)
	g.Post("/items/:id/portal-revoke", h.portalRevoke)
	g.Get("/rules", h.rules)
	g.Post("/rules", h.addRule)
	g.Delete("/rules/:id", h.deleteRule)
}

func actor(c *fiber.Ctx) info.Actor { return info.Actor{P: auth.Caller(c), IP: c.IP()} }

// id copies the path id (Fiber reuses request memory) and bounds it.
func id(c *fiber.Ctx) (string, error) {
	v := strings.Clone(c.Params("id"))
	if v == "" || len(v) > 64 {
		return "", problem.NotFound("信息不存在", "no such item")
	}
	return v, nil
}

func q(c *fiber.Ctx, k string) string { return strings.Clone(c.Query(k)) }

func (h *handlers) list(c *fiber.Ctx) error {
	lq := info.ListQuery{Scope: q(c, "scope"), Department: q(c, "department"), Kind: q(c, "kind"),
		State: q(c, "state"), Q: q(c, "q"), Cursor: q(c, "cursor"), ConsistentWith: q(c, "consistentWith")}
	if s := c.Query("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return problem.Invalid(problem.Field("size", "每页条数必须是 1 到 100 之间的整数", "size must be an integer from 1 to 100"))
		}
		lq.Size = n
	}
	if len(lq.Department) > 64 {
		return problem.Invalid(problem.Field("department", "部门标识过长", "department is too long"))
	}
	page, err := h.svc.List(c.UserContext(), auth.Caller(c), lq)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(page)
}

func (h *handlers) desktop(c *fiber.Ctx) error {
	d, err := h.svc.Desktop(c.UserContext(), auth.Caller(c), q(c, "consistentWith"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(d)
}

func (h *handlers) create(c *fiber.Ctx) error {
	var in info.Input
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.Create(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (h *handlers) get(c *fiber.Ctx) error {
	id, err := id(c)
	if err != nil {
		return err
	}
	v, err := h.svc.Get(c.UserContext(), auth.Caller(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}

type updateBody struct {
	Version int64 `json:"version"`
	info.Input
}

func (h *handlers) update(c *fiber.Ctx) error {
	id, err := id(c)
	if err != nil {
		return err
	}
	var in updateBody
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	if in.Version < 1 {
		return problem.Invalid(problem.Field("version", "必须提供当前版本号（正整数）", "version is required: the version you read"))
	}
	// The embedded Input is validated on its own so that fields are named
	// as the client sent them ("title", not "Input.title").
	if err := validation.Struct(&in.Input); err != nil {
		return err
	}
	v, err := h.svc.Update(c.UserContext(), actor(c), id, in.Version, in.Input)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

type reasonBody struct {
	Version *int64 `json:"version"`
	Reason  string `json:"reason" validate:"required,max=500"`
}

// versionBody is the optional body of a step: a client that sends the
// version it saw gets a 409 when someone changed the item since.
type versionBody struct {
	Version *int64 `json:"version"`
}

// checkVersion refuses a step taken on a stale view of the item. The step
// itself is a compare-and-set on the state, so this only adds the
// client's own staleness check; nil means the client did not ask for it.
func (h *handlers) checkVersion(c *fiber.Ctx, id string, version *int64) error {
	if version == nil {
		return nil
	}
	cur, err := h.svc.Get(c.UserContext(), auth.Caller(c), id)
	if err != nil {
		return err
	}
	if cur.Version != *version {
		return problem.Conflict("该信息已被他人修改，请刷新后重试", "the item was changed by someone else; reload and retry")
	}
	return nil
}

// step runs a transition whose body is empty, {} or {"version": n}.
func (h *handlers) step(fn func(*info.Service, *fiber.Ctx, string) (info.View, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := id(c)
		if err != nil {
			return err
		}
		if httpx.HasBody(c) {
			var in versionBody
			if err := httpx.Decode(c, &in); err != nil {
				return err
			}
			if err := h.checkVersion(c, id, in.Version); err != nil {
				return err
			}
		}
		v, err := fn(h.svc, c, id)
		if err != nil {
			return err
		}
		return c.JSON(v)
	}
}

func (h *handlers) submit(c *fiber.Ctx) error {
	return h.step(func(s *info.Service, c *fiber.Ctx, id string) (info.View, error) {
		return s.Submit(c.UserContext(), actor(c), id)
	})(c)
}

func (h *handlers) approve(c *fiber.Ctx) error {
	return h.step(func(s *info.Service, c *fiber.Ctx, id string) (info.View, error) {
		return s.Approve(c.UserContext(), actor(c), id)
	})(c)
}

func (h *handlers) portalApprove(c *fiber.Ctx) error {
	return h.step(func(s *info.Service, c *fiber.Ctx, id string) (info.View, error) {
		return s.PortalApprove(c.UserContext(), actor(c), id)
	})(c)
}

func (h *handlers) withReason(c *fiber.Ctx, fn func(id, reason string) (info.View, error)) error {
	id, err := id(c)
	if err != nil {
		return err
	}
	var in reasonBody
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return problem.Invalid(problem.Field("reason", "原因不能为空", "reason is required"))
	}
	if err := h.checkVersion(c, id, in.Version); err != nil {
		return err
	}
	v, err := fn(id, strings.TrimSpace(in.Reason))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *handlers) reject(c *fiber.Ctx) error {
	return h.withReason(c, func(id, r string) (info.View, error) { return h.svc.Reject(c.UserContext(), actor(c), id, r) })
}

func (h *handlers) withdraw(c *fiber.Ctx) error {
	return h.withReason(c, func(id, r string) (info.View, error) { return h.svc.Withdraw(c.UserContext(), actor(c), id, r) })
}

func (h *handlers) portalRevoke(c *fiber.Ctx) error {
	return h.withReason(c, func(id, r string) (info.View, error) {
		return h.svc.PortalRevoke(c.UserContext(), actor(c), id, r)
	})
}

type designateBody struct {
	Version      *int64 `json:"version"`
	Channel      string `json:"channel" validate:"required,max=64"`
	EmbargoUntil string `json:"embargoUntil" validate:"max=64"`
}

func (h *handlers) designate(c *fiber.Ctx) error {
	id, err := id(c)
	if err != nil {
		return err
	}
	var in designateBody
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if err := h.checkVersion(c, id, in.Version); err != nil {
		return err
	}
	if !info.ValidChannel(in.Channel) {
		return problem.Invalid(problem.Field("channel", "栏目标识只能由小写字母、数字、-和_组成", "channel must be a lowercase key"))
	}
	var embargo *time.Time
	if in.EmbargoUntil != "" {
		t, err := time.Parse(time.RFC3339, in.EmbargoUntil)
		if err != nil {
			return problem.Invalid(problem.Field("embargoUntil", "必须是 RFC 3339 格式的时间", "must be an RFC 3339 date-time"))
		}
		t = t.UTC()
		embargo = &t
	}
	v, err := h.svc.Designate(c.UserContext(), actor(c), id, in.Channel, embargo)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *handlers) rules(c *fiber.Ctx) error {
	if !auth.Caller(c).Can(info.PermPolicy, auth.OfficeWide) {
		return problem.Forbidden()
	}
	rs, err := h.svc.Rules(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": rs, "total": len(rs)})
}

func (h *handlers) addRule(c *fiber.Ctx) error {
	if !auth.Caller(c).Can(info.PermPolicy, auth.OfficeWide) {
		return problem.Forbidden()
	}
	var in info.RuleInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.AddRule(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (h *handlers) deleteRule(c *fiber.Ctx) error {
	// The id goes to the service unchecked: it checks the permission first,
	// so a caller without it gets 403 for any id, then answers 404 for an
	// id that is no rule (however long).
	if err := h.svc.DeleteRule(c.UserContext(), actor(c), strings.Clone(c.Params("id"))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
