package validation

import (
	"testing"

	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

type classified struct {
	Level classification.Level `json:"level" validate:"required,classification"`
}

func TestClassificationTagHonoursTheCeiling(t *testing.T) {
	t.Cleanup(func() { SetCeiling(classification.DefaultCeiling) })
	for _, l := range []classification.Level{classification.Feimi, classification.Mimi, classification.Jimi} {
		if err := Struct(&classified{Level: l}); err != nil {
			t.Errorf("%s refused under 机密: %v", l, err)
		}
	}
	for _, l := range []classification.Level{classification.Juemi, "secret", "内部"} {
		err := Struct(&classified{Level: l})
		p := problem.As(err)
		if p == nil || len(p.Fields) != 1 || p.Fields[0].Field != "level" {
			t.Errorf("%q accepted or field not named: %v", l, err)
		}
	}
	SetCeiling(classification.Mimi)
	if err := Struct(&classified{Level: classification.Jimi}); err == nil {
		t.Error("机密 accepted under a 秘密 ceiling")
	}
	if p := problem.As(Classification("clearance", classification.Jimi)); p == nil || p.Fields[0].Field != "clearance" ||
		p.Fields[0].Message != "密级必须是 非密、秘密 之一" {
		t.Errorf("message: %+v", p)
	}
}
