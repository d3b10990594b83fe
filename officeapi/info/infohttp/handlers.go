package infohttp

import (
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

func actor(c *fiber.Ctx) info.Actor { return info.Actor{P: auth.Caller(c), IP: c.IP()} }

// id is the path id, bounded (ids are uuids).
func id(c *fiber.Ctx) (string, error) {
	v := c.Params("id")
	if v == "" || len(v) > 64 {
		return "", problem.NotFound("信息不存在", "no such item")
	}
	return v, nil
}

// listParams are the list's query parameters.
type listParams struct {
	Scope          string `query:"scope" validate:"omitempty,oneof=department office" doc:"范围：department 本处室，office 全办已发布"`
	Department     string `query:"department" validate:"max=64" doc:"处室"`
	Kind           string `query:"kind" validate:"omitempty,oneof=notice briefing update internal" doc:"类别"`
	State          string `query:"state" validate:"omitempty,oneof=draft submitted published rejected withdrawn" doc:"流程状态"`
	Q              string `query:"q" validate:"max=100" doc:"检索词"`
	Size           *int   `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

type consistentParam struct {
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

func (h *handlers) list(c *fiber.Ctx) error {
	var in listParams
	if err := httpx.Query(c, &in); err != nil {
		return err
	}
	page, err := h.svc.List(c.UserContext(), auth.Caller(c), info.ListQuery{Scope: in.Scope,
		Department: in.Department, Kind: in.Kind, State: in.State, Q: in.Q, Size: deref(in.Size), Cursor: in.Cursor,
		ConsistentWith: in.ConsistentWith})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(page)
}

func (h *handlers) desktop(c *fiber.Ctx) error {
	var in consistentParam
	if err := httpx.Query(c, &in); err != nil {
		return err
	}
	d, err := h.svc.Desktop(c.UserContext(), auth.Caller(c), in.ConsistentWith)
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
	Version int64 `json:"version" validate:"required,min=1"`
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

type stepFunc func(s *info.Service, c *fiber.Ctx, id string) (info.View, error)

// step runs a transition whose body is empty, {} or {"version": n}.
func (h *handlers) step(c *fiber.Ctx, fn stepFunc) error {
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

func (h *handlers) submit(c *fiber.Ctx) error {
	return h.step(c, func(s *info.Service, c *fiber.Ctx, id string) (info.View, error) {
		return s.Submit(c.UserContext(), actor(c), id)
	})
}

func (h *handlers) approve(c *fiber.Ctx) error {
	return h.step(c, func(s *info.Service, c *fiber.Ctx, id string) (info.View, error) {
		return s.Approve(c.UserContext(), actor(c), id)
	})
}

func (h *handlers) portalApprove(c *fiber.Ctx) error {
	return h.step(c, func(s *info.Service, c *fiber.Ctx, id string) (info.View, error) {
		return s.PortalApprove(c.UserContext(), actor(c), id)
	})
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
	return c.JSON(info.RuleList{Items: rs, Total: len(rs)})
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
	if err := h.svc.DeleteRule(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
