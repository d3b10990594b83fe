package httpx

import (
	"reflect"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

// Query reads the query string into v, a pointer to a struct whose
// `query` tags name the parameters, and validates it (`validate` tags):
// a parameter of the wrong type or out of bounds is a 400 naming it.
// Parameters the struct does not name are ignored, as browsers and
// proxies add their own.
func Query(c *fiber.Ctx, v any) error {
	rv := reflect.ValueOf(v).Elem()
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name := f.Tag.Get("query")
		if name == "" || name == "-" {
			continue
		}
		raw := c.Query(name)
		if raw == "" {
			continue
		}
		fv := rv.Field(i)
		if fv.Kind() == reflect.Pointer { // given or not: nil when absent
			fv.Set(reflect.New(fv.Type().Elem()))
			fv = fv.Elem()
		}
		switch fv.Kind() {
		case reflect.String:
			if !validation.ValidUTF8(raw) {
				return problem.Invalid(problem.Field(name, "参数不是有效的 UTF-8 文本", "not valid UTF-8"))
			}
			fv.SetString(raw)
		case reflect.Int, reflect.Int64:
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return problem.Invalid(problem.Field(name, "必须是整数", "must be an integer"))
			}
			fv.SetInt(n)
		case reflect.Bool:
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return problem.Invalid(problem.Field(name, "必须是 true 或 false", "must be true or false"))
			}
			fv.SetBool(b)
		}
	}
	return validation.Query(v)
}
