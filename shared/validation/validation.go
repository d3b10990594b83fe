// Package validation checks request structs with go-playground/validator
// and turns its errors into problem field errors with Chinese and English
// messages (the validator's own zh and en translations). Fields are named
// by their JSON names, so a client can point at the input that is wrong.
package validation

import (
	"errors"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/zh"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	en_translations "github.com/go-playground/validator/v10/translations/en"
	zh_translations "github.com/go-playground/validator/v10/translations/zh"

	"zhengwu/shared/problem"
)

var (
	transZh ut.Translator
	transEn ut.Translator
	// validate names fields by their JSON names, queryValidate by their
	// `query` tags (query parameters).
	validate, queryValidate *validator.Validate
)

func init() {
	uni := ut.New(zh.New(), zh.New(), en.New())
	transZh, _ = uni.GetTranslator("zh")
	transEn, _ = uni.GetTranslator("en")
	validate = newValidator(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	queryValidate = newValidator(func(f reflect.StructField) string { return f.Tag.Get("query") })
}

func newValidator(name validator.TagNameFunc) *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(name)
	// nocontrol rejects control characters (keeps NUL bytes and escape
	// sequences out of names that end up in logs and documents).
	_ = v.RegisterValidation("nocontrol", func(fl validator.FieldLevel) bool {
		for _, r := range fl.Field().String() {
			if r < 0x20 || r == 0x7f {
				return false
			}
		}
		return true
	})
	_ = v.RegisterValidation("classification", classificationTag)
	_ = zh_translations.RegisterDefaultTranslations(v, transZh)
	_ = en_translations.RegisterDefaultTranslations(v, transEn)
	register(v, "nocontrol", "{0}不能包含控制字符", "{0} must not contain control characters")
	registerIDs(v)
	return v
}

func register(v *validator.Validate, tag, zhText, enText string) {
	for _, t := range []struct {
		tr   ut.Translator
		text string
	}{{transZh, zhText}, {transEn, enText}} {
		text := t.text
		_ = v.RegisterTranslation(tag, t.tr,
			func(u ut.Translator) error { return u.Add(tag, text, true) },
			func(u ut.Translator, fe validator.FieldError) string { s, _ := u.T(tag, fe.Field()); return s })
	}
}

// Struct validates v and returns a *problem.Error naming every invalid
// field, or nil.
func Struct(v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	return toProblem(err)
}

func toProblem(err error) error {
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return problem.Invalid(problem.Field("body", "请求体无法校验", "request body cannot be validated"))
	}
	fields := make([]problem.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		if fe.Tag() == "classification" {
			fields = append(fields, classificationError(fieldPath(fe)))
			continue
		}
		fields = append(fields, problem.FieldError{
			Field:     fieldPath(fe),
			Message:   fe.Translate(transZh),
			MessageEn: fe.Translate(transEn),
		})
	}
	return problem.Invalid(fields...)
}

// Query validates a struct of query parameters (httpx.Query): fields are
// named by their `query` tags.
func Query(v any) error {
	err := queryValidate.Struct(v)
	if err == nil {
		return nil
	}
	return toProblem(err)
}

// fieldPath is the JSON path of the field without the struct's own name.
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

// ValidUTF8 reports whether every string is valid UTF-8.
func ValidUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
