package validation

import (
	"strings"
	"sync/atomic"

	"github.com/go-playground/validator/v10"

	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// The deployment's ceiling: the highest 密级 it may hold (configuration
// max-classification, set once at start). It is process-wide on purpose:
// it is a property of the network the deployment runs on, the same for
// every capability.
var ceiling atomic.Value // classification.Level

// SetCeiling sets the highest level the deployment accepts; an invalid
// level leaves the default (classification.DefaultCeiling).
func SetCeiling(l classification.Level) {
	if l.Valid() {
		ceiling.Store(l)
	}
}

// Ceiling is the highest level the deployment accepts.
func Ceiling() classification.Level {
	if l, ok := ceiling.Load().(classification.Level); ok {
		return l
	}
	return classification.DefaultCeiling
}

// Classification checks a level given in field: one of the deployment's
// levels (a 400 problem naming the field otherwise).
func Classification(field string, l classification.Level) error {
	if l.Valid() && l.Rank() <= Ceiling().Rank() {
		return nil
	}
	return problem.Invalid(classificationError(field))
}

func classificationError(field string) problem.FieldError {
	allowed := strings.Join(classification.Names(classification.UpTo(Ceiling())), "、")
	return problem.Field(field, "密级必须是 "+allowed+" 之一", "must be one of "+allowed)
}

// classificationTag is the `classification` struct tag.
func classificationTag(fl validator.FieldLevel) bool {
	l := classification.Level(fl.Field().String())
	return l.Valid() && l.Rank() <= Ceiling().Rank()
}
