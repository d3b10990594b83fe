package infohttp

import (
	"context"
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

// validID refuses a path id that cannot be an item's (ids are uuids) as
// 404, as an unknown one, before the body is read.
func validID(c *fiber.Ctx) error {
	if v := c.Params("id"); v == "" || len(v) > 64 {
		return problem.NotFound("信息不存在", "no such item")
	}
	return c.Next()
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

func (h *handlers) list(c *fiber.Ctx, in listParams) (info.Page, error) {
	return h.svc.List(c.UserContext(), auth.Caller(c), info.ListQuery{Scope: in.Scope,
		Department: in.Department, Kind: in.Kind, State: in.State, Q: in.Q, Size: deref(in.Size), Cursor: in.Cursor,
		ConsistentWith: in.ConsistentWith})
}

func (h *handlers) desktop(c *fiber.Ctx, in consistentParam) (info.Desktop, error) {
	return h.svc.Desktop(c.UserContext(), auth.Caller(c), in.ConsistentWith)
}

func (h *handlers) create(c *fiber.Ctx, in info.Input) (info.View, error) {
	return h.svc.Create(c.UserContext(), actor(c), in)
}

func (h *handlers) get(c *fiber.Ctx, _ struct{}) (info.View, error) {
	return h.svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
}

type updateBody struct {
	Version int64 `json:"version" validate:"required,min=1"`
	info.Input
}

// update decodes its body itself (updateBody describes it): the version
// is refused with its own message, and the embedded Input is validated on
// its own so that fields are named as the client sent them ("title", not
// "Input.title").
func (h *handlers) update(c *fiber.Ctx, _ struct{}) (info.View, error) {
	var in updateBody
	if err := httpx.Decode(c, &in); err != nil {
		return info.View{}, err
	}
	if in.Version < 1 {
		return info.View{}, problem.Invalid(problem.Field("version", "必须提供当前版本号（正整数）", "version is required: the version you read"))
	}
	if err := validation.Struct(&in.Input); err != nil {
		return info.View{}, err
	}
	return h.svc.Update(c.UserContext(), actor(c), c.Params("id"), in.Version, in.Input)
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
func (h *handlers) checkVersion(c *fiber.Ctx, version *int64) error {
	if version == nil {
		return nil
	}
	cur, err := h.svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
	if err != nil {
		return err
	}
	if cur.Version != *version {
		return problem.Conflict("该信息已被他人修改，请刷新后重试", "the item was changed by someone else; reload and retry")
	}
	return nil
}

// step is a transition whose body is empty, {} or {"version": n}
// (svc.Submit …) on the item the path names.
func (h *handlers) step(call func(context.Context, info.Actor, string) (info.View, error)) func(*fiber.Ctx, versionBody) (info.View, error) {
	return func(c *fiber.Ctx, in versionBody) (info.View, error) {
		if err := h.checkVersion(c, in.Version); err != nil {
			return info.View{}, err
		}
		return call(c.UserContext(), actor(c), c.Params("id"))
	}
}

// withReason is a transition that needs a reason, not blank (svc.Reject …).
func (h *handlers) withReason(call func(context.Context, info.Actor, string, string) (info.View, error)) func(*fiber.Ctx, reasonBody) (info.View, error) {
	return func(c *fiber.Ctx, in reasonBody) (info.View, error) {
		if strings.TrimSpace(in.Reason) == "" {
			return info.View{}, problem.Invalid(problem.Field("reason", "原因不能为空", "reason is required"))
		}
		if err := h.checkVersion(c, in.Version); err != nil {
			return info.View{}, err
		}
		return call(c.UserContext(), actor(c), c.Params("id"), strings.TrimSpace(in.Reason))
	}
}

type designateBody struct {
	Version      *int64 `json:"version"`
	Channel      string `json:"channel" validate:"required,max=64"`
	EmbargoUntil string `json:"embargoUntil" validate:"max=64"`
}

func (h *handlers) designate(c *fiber.Ctx, in designateBody) (info.View, error) {
	if err := h.checkVersion(c, in.Version); err != nil {
		return info.View{}, err
	}
	if !info.ValidChannel(in.Channel) {
		return info.View{}, problem.Invalid(problem.Field("channel", "栏目标识只能由小写字母、数字、-和_组成", "channel must be a lowercase key"))
	}
	var embargo *time.Time
	if in.EmbargoUntil != "" {
		t, err := time.Parse(time.RFC3339, in.EmbargoUntil)
		if err != nil {
			return info.View{}, problem.Invalid(problem.Field("embargoUntil", "必须是 RFC 3339 格式的时间", "must be an RFC 3339 date-time"))
		}
		t = t.UTC()
		embargo = &t
	}
	return h.svc.Designate(c.UserContext(), actor(c), c.Params("id"), in.Channel, embargo)
}

func (h *handlers) rules(c *fiber.Ctx, _ struct{}) (info.RuleList, error) {
	rs, err := h.svc.Rules(c.UserContext())
	return info.RuleList{Items: rs, Total: len(rs)}, err
}

func (h *handlers) addRule(c *fiber.Ctx, in info.RuleInput) (info.Rule, error) {
	return h.svc.AddRule(c.UserContext(), actor(c), in)
}

// deleteRule passes the id to the service unchecked: it checks the
// permission first, so a caller without it gets 403 for any id, then
// answers 404 for an id that is no rule (however long).
func (h *handlers) deleteRule(c *fiber.Ctx, _ struct{}) (struct{}, error) {
	return struct{}{}, h.svc.DeleteRule(c.UserContext(), actor(c), c.Params("id"))
}
