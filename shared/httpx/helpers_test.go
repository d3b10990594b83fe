package httpx_test

import (
	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

func validateForTest(v any) error { return validation.Struct(v) }

func firstField(err error) string {
	if p := problem.As(err); p != nil && len(p.Fields) > 0 {
		return p.Fields[0].Field
	}
	return ""
}
