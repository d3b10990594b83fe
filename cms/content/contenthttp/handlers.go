package contenthttp

import (
	"context"
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
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// documentCall is a service call on the document the path's {id} names,
// as the caller, with the request's input (content.Service.Approve …).
type documentCall[In, Out any] func(ctx context.Context, p *auth.Principal, id string, in In) (Out, error)

// onDocument is the route of a call on one document: after signedIn, an
// {id} that cannot be a document's is refused (404) before the body is
// read; then openapi.Handle binds In and answers Out.
func onDocument[In, Out any](o openapi.Op, signedIn fiber.Handler, call documentCall[In, Out]) openapi.Route {
	return openapi.Handle(o, func(c *fiber.Ctx, in In) (Out, error) {
		return call(c.UserContext(), auth.Caller(c), c.Params("id"), in)
	}, signedIn, validID)
}

// decoded is onDocument for a step whose service validates its body
// itself, so that its own messages (退回原因为必填字段, not the validator's
// "reason为必填字段") reach the caller: the body is decoded, not bound, which
// openapi.Handle has no way to say.
func decoded[In any](o openapi.Op, signedIn fiber.Handler, call documentCall[In, content.View]) openapi.Route {
	var zero In
	o.Req, o.Resp = zero, content.View{}
	return openapi.Route{Op: o, Handlers: []fiber.Handler{signedIn, validID, func(c *fiber.Ctx) error {
		var in In
		if err := httpx.Decode(c, &in); err != nil {
			return err
		}
		v, err := call(c.UserContext(), auth.Caller(c), c.Params("id"), in)
		if err != nil {
			return err
		}
		return c.Status(o.OK).JSON(v)
	}}}
}

// noInput is a call that reads nothing from the request but the {id}.
func noInput[Out any](call func(context.Context, *auth.Principal, string) (Out, error)) documentCall[struct{}, Out] {
	return func(ctx context.Context, p *auth.Principal, id string, _ struct{}) (Out, error) {
		return call(ctx, p, id)
	}
}

func notFound() error { return problem.NotFound("文档不存在", "document not found") }

// validID refuses an {id} that cannot be a document's id as 404, as an
// unknown one.
func validID(c *fiber.Ctx) error {
	v := c.Params("id")
	if v == "" || len(v) > 64 || !utf8.ValidString(v) || strings.ContainsAny(v, "/\x00") {
		return notFound()
	}
	return c.Next()
}

func editions(svc *content.Service) documentCall[struct{}, content.EditionList] {
	return func(ctx context.Context, p *auth.Principal, id string, _ struct{}) (content.EditionList, error) {
		eds, err := svc.Editions(ctx, p, id)
		return content.EditionList{Items: eds}, err
	}
}

// edition answers the edition the path's {n} names (after validID).
func edition(svc *content.Service) func(c *fiber.Ctx, _ struct{}) (content.Edition, error) {
	return func(c *fiber.Ctx, _ struct{}) (content.Edition, error) {
		n, err := strconv.Atoi(c.Params("n"))
		if err != nil || n < 1 {
			return content.Edition{}, problem.NotFound("该版本不存在", "no such edition")
		}
		return svc.Edition(c.UserContext(), auth.Caller(c), c.Params("id"), n)
	}
}

// diffQuery names the two editions to compare.
type diffQuery struct {
	From *int `query:"from" validate:"required,min=1,max=100000" doc:"版本号"`
	To   *int `query:"to" validate:"required,min=1,max=100000" doc:"版本号"`
}

func diff(svc *content.Service) documentCall[diffQuery, content.DiffResult] {
	return func(ctx context.Context, p *auth.Principal, id string, q diffQuery) (content.DiffResult, error) {
		d, err := svc.Diff(ctx, p, id, *q.From, *q.To)
		if err != nil {
			return content.DiffResult{}, err
		}
		return content.DiffResult{From: *q.From, To: *q.To, Changes: d}, nil
	}
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

// listing is a list of documents (svc.List, svc.ReviewQueue), answered
// once the list index has applied ?consistentWith=.
func listing(svc *content.Service, list func(context.Context, *auth.Principal, content.ListQuery) (content.ListResult, error),
) func(c *fiber.Ctx, q listQuery) (content.ListResult, error) {
	return func(c *fiber.Ctx, q listQuery) (content.ListResult, error) {
		if err := waitIndex(c, svc, q.ConsistentWith); err != nil {
			return content.ListResult{}, err
		}
		return list(c.UserContext(), auth.Caller(c), q.query())
	}
}

func waitIndex(c *fiber.Ctx, svc *content.Service, seq string) error {
	err := index.ConsistentWith(c.UserContext(), svc.Index(), seq, ConsistentWaitTimeout, svc.LastSeq)
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
