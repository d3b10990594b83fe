package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

// Bind decodes the JSON body into v strictly (no unknown fields, no
// trailing data, valid UTF-8, types as declared) and validates it. Every
// failure is a 400 problem naming the field, but a body not declared as
// JSON (Content-Type: application/json, optionally with charset=utf-8),
// which is a 415: a browser form or a text/plain fetch from another site
// cannot reach a JSON route (a cross-site request forgery needs one of
// those, since only they are sent without a CORS preflight).
func Bind(c *fiber.Ctx, v any) error {
	if err := Decode(c, v); err != nil {
		return err
	}
	return validation.Struct(v)
}

// Decode is Bind without the validation (for a caller that validates
// parts of v itself).
func Decode(c *fiber.Ctx, v any) error {
	// The raw body: limitBodies has read it, within the route's limit.
	body := c.Request().Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return malformed("body", "请求体为空", "request body is empty")
	}
	if err := requireJSON(c); err != nil {
		return err
	}
	return decode(body, v)
}

// HasBody reports whether the request carries a body that is not blank,
// for a route whose body is optional: decode it with Bind or Decode.
func HasBody(c *fiber.Ctx) bool {
	return len(bytes.TrimSpace(c.Request().Body())) > 0
}

// requireJSON refuses a body whose Content-Type is not JSON in UTF-8.
func requireJSON(c *fiber.Ctx) error {
	mt, params, err := mime.ParseMediaType(string(c.Request().Header.ContentType()))
	if err == nil && mt == fiber.MIMEApplicationJSON {
		cs, hasCharset := params["charset"]
		if len(params) == 0 || len(params) == 1 && hasCharset && strings.EqualFold(cs, "utf-8") {
			return nil
		}
	}
	return problem.New(fiber.StatusUnsupportedMediaType, problem.CodeUnsupportedMedia,
		"请求体必须是 JSON，并声明 Content-Type: application/json",
		"the request body must be JSON, sent with Content-Type: application/json")
}

// decode is the strict JSON decoding of Decode.
func decode(body []byte, v any) error {
	if trimmed := bytes.TrimSpace(body); trimmed[0] != '{' {
		return malformed("body", "请求体必须是 JSON 对象", "request body must be a JSON object")
	}
	if !utf8.Valid(body) {
		return malformed("body", "请求体不是有效的 UTF-8 编码", "request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeProblem(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed("body", "请求体在 JSON 之后还有多余内容", "unexpected data after the JSON value")
	}
	return nil
}

func decodeProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return malformed(field, "字段类型错误，应为 "+jsonKind(typeErr.Type.Kind().String()),
			"wrong type, expected "+jsonKind(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr):
		off := strconv.FormatInt(syntaxErr.Offset, 10)
		return malformed("body", "JSON 格式错误（位置 "+off+"）", "malformed JSON at offset "+off)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return malformed(name, "不支持的字段", "unknown field")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("body", "JSON 不完整", "truncated JSON")
	}
	return malformed("body", "请求体无法解析", "request body cannot be parsed")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	}
	return "number"
}

func malformed(field, zh, en string) *problem.Error {
	p := problem.Invalid(problem.Field(field, zh, en))
	p.Code = problem.CodeMalformed
	return p
}
