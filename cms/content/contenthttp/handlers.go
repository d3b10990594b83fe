package contenthttp

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/content"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/problem"
)

type handlers struct{ svc *content.Service }

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
	return c.JSON(content.EditionList{Items: eds})
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

// diffQuery names the two editions to compare.
type diffQuery struct {
	From *int `query:"from" validate:"required,min=1,max=100000" doc:"版本号"`
	To   *int `query:"to" validate:"required,min=1,max=100000" doc:"版本号"`
}

func (h handlers) diff(c *fiber.Ctx) error {
	docID, err := id(c)
	if err != nil {
		return err
	}
	var q diffQuery
	if err := httpx.Query(c, &q); err != nil {
		return err
	}
	d, err := h.svc.Diff(c.UserContext(), auth.Caller(c), docID, *q.From, *q.To)
	if err != nil {
		return err
	}
	return c.JSON(content.DiffResult{From: *q.From, To: *q.To, Changes: d})
}

// listQuery is the parameters of the document list and the review queue.
type listQuery struct {
	State          string `query:"state" validate:"max=20,nocontrol" doc:"流程状态：draft、in_review、scheduled、published、withdrawn、redirected、gone"`
	Channel        string `query:"channel" validate:"max=64,nocontrol" doc:"栏目"`
	Department     string `query:"department" validate:"max=64,nocontrol" doc:"处室"`
	Type           string `query:"type" validate:"max=20,nocontrol" doc:"稿件类型"`
	Q              string `query:"q" validate:"max=200,nocontrol" doc:"标题关键词"`
	Size           *int   `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=2000,nocontrol" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到写操作返回的变更序号（读己之写）"`
}

func (q listQuery) query() content.ListQuery {
	out := content.ListQuery{State: q.State, Channel: q.Channel, Department: q.Department, Type: q.Type, Q: q.Q,
		Cursor: q.Cursor}
	if q.Size != nil {
		out.Size = *q.Size
	}
	return out
}

func (h handlers) waitIndex(c *fiber.Ctx, seq string) error {
	err := index.ConsistentWith(c.UserContext(), h.svc.Index(), seq, ConsistentWaitTimeout, h.svc.LastSeq)
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
	var q listQuery
	if err := httpx.Query(c, &q); err != nil {
		return err
	}
	if err := h.waitIndex(c, q.ConsistentWith); err != nil {
		return err
	}
	res, err := h.svc.List(c.UserContext(), auth.Caller(c), q.query())
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (h handlers) queue(c *fiber.Ctx) error {
	var q listQuery
	if err := httpx.Query(c, &q); err != nil {
		return err
	}
	if err := h.waitIndex(c, q.ConsistentWith); err != nil {
		return err
	}
	res, err := h.svc.ReviewQueue(c.UserContext(), auth.Caller(c), q.query())
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
