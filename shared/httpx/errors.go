package httpx

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// ProblemContentType is RFC 9457's media type.
const ProblemContentType = "application/problem+json"

// ErrorHandler renders every error a handler returns as problem+json. It
// is the one place where errors become HTTP statuses.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := toProblem(err)
		rid := RequestID(c)
		if rid == "" {
			// The server refused the request before the middleware ran
			// (e.g. an oversized body): still give the client an id to quote.
			rid = uuid.NewString()
			c.Set(fiber.HeaderXRequestID, rid)
		}
		if p.Status >= 500 {
			log.Error("request failed", "requestId", rid, "path", c.Path(), "err", err)
		}
		body := map[string]any{
			"type":      "https://zhengwu.gov.cn/problems/" + p.Code,
			"title":     http.StatusText(p.Status),
			"status":    p.Status,
			"detail":    p.Zh,
			"code":      p.Code,
			"messageZh": p.Zh,
			"messageEn": p.En,
			"instance":  c.Path(),
			"requestId": rid,
		}
		if len(p.Fields) > 0 {
			body["errors"] = p.Fields
		}
		for k, v := range p.Extra {
			body[k] = v
		}
		c.Set(fiber.HeaderContentType, ProblemContentType+"; charset=utf-8")
		c.Status(p.Status)
		return c.JSON(body, ProblemContentType+"; charset=utf-8")
	}
}

// toProblem maps any error to a client-facing problem.
func toProblem(err error) *problem.Error {
	if p := problem.As(err); p != nil {
		return p
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return problem.NotFound("资源不存在", "not found")
	case errors.Is(err, store.ErrConflict):
		return problem.Conflict("数据已被他人修改，请刷新后重试", "the resource was changed by someone else; reload and retry")
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case fiber.StatusRequestEntityTooLarge:
			return problem.New(fe.Code, problem.CodeTooLarge, "请求体过大", "request body too large")
		case fiber.StatusNotFound:
			return problem.NotFound("接口不存在", "no such route")
		case fiber.StatusMethodNotAllowed:
			return problem.New(fe.Code, "method_not_allowed", "不支持该请求方法", "method not allowed")
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return problem.New(fe.Code, "bad_request", "请求无效", fe.Message)
		}
	}
	return &problem.Error{Status: http.StatusInternalServerError, Code: problem.CodeInternal,
		Zh: "内部错误", En: "internal error", Cause: err}
}
