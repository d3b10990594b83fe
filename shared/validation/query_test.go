package validation_test

import (
	"strings"
	"testing"

	"zhengwu/shared/problem"
	"zhengwu/shared/validation"
)

// Query parameters get the same Chinese and English messages as bodies,
// never the validator's raw error (which names the Go struct).
func TestQueryMessagesAreTranslated(t *testing.T) {
	type params struct {
		Sort string `query:"sort" validate:"omitempty,oneof=relevance date"`
		Size *int   `query:"size" validate:"omitempty,min=1,max=100"`
	}
	size := 200
	p := problem.As(validation.Query(&params{Sort: "sideways", Size: &size}))
	if p == nil || len(p.Fields) != 2 {
		t.Fatalf("problem: %+v", p)
	}
	for _, f := range p.Fields {
		if strings.Contains(f.Message, "Key:") || strings.Contains(f.MessageEn, "Key:") ||
			!strings.Contains(f.Message, f.Field) || !strings.ContainsAny(f.Message, "必须") {
			t.Errorf("%s: %q / %q", f.Field, f.Message, f.MessageEn)
		}
	}
	// And bodies still are.
	type body struct {
		Name string `json:"name" validate:"oneof=a b"`
	}
	b := problem.As(validation.Struct(&body{Name: "c"}))
	if b == nil || b.Fields[0].Message != "name必须是[a b]中的一个" {
		t.Fatalf("body: %+v", b)
	}
}
