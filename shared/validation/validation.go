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

// checker is a validator with the translators of its messages. Each
// validator has its own: the default translations can be added to a
// translator once only, and a second validator sharing it would be left
// with none (its messages the validator's raw Go errors).
type checker struct {
	v      *validator.Validate
	zh, en ut.Translator
}

var (
	// validate names fields by their JSON names, queryValidate by their
	// `query` tags (query parameters).
	validate, queryValidate *checker
)

func init() {
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

func newValidator(name validator.TagNameFunc) *checker {
	uni := ut.New(zh.New(), zh.New(), en.New())
	c := &checker{v: validator.New(validator.WithRequiredStructEnabled())}
	c.zh, _ = uni.GetTranslator("zh")
	c.en, _ = uni.GetTranslator("en")
	v := c.v
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
	_ = zh_translations.RegisterDefaultTranslations(v, c.zh)
	_ = en_translations.RegisterDefaultTranslations(v, c.en)
	register(c, "nocontrol", "{0}不能包含控制字符", "{0} must not contain control characters")
	registerIDs(c)
	return c
}

func register(c *checker, tag, zhText, enText string) {
	for _, t := range []struct {
		tr   ut.Translator
		text string
	}{{c.zh, zhText}, {c.en, enText}} {
		text := t.text
		_ = c.v.RegisterTranslation(tag, t.tr,
			func(u ut.Translator) error { return u.Add(tag, text, true) },
			func(u ut.Translator, fe validator.FieldError) string { s, _ := u.T(tag, fe.Field()); return s })
	}
}

// Struct validates v and returns a *problem.Error naming every invalid
// field, or nil.
func Struct(v any) error {
	err := validate.v.Struct(v)
	if err == nil {
		return nil
	}
	return validate.toProblem(err)
}

func (c *checker) toProblem(err error) error {
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
			Message:   fe.Translate(c.zh),
			MessageEn: fe.Translate(c.en),
		})
	}
	return problem.Invalid(fields...)
}

// Query validates a struct of query parameters (httpx.Query): fields are
// named by their `query` tags.
func Query(v any) error {
	err := queryValidate.v.Struct(v)
	if err == nil {
		return nil
	}
	return queryValidate.toProblem(err)
}

// fieldPath is the JSON path of the field without the struct's own name
// nor those of embedded structs (their fields are the JSON object's own):
// a Go type name is the one segment that starts with a capital letter, as
// no JSON name here does.
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		parts := strings.Split(rest, ".")
		for len(parts) > 1 && parts[0] != "" && parts[0][0] >= 'A' && parts[0][0] <= 'Z' {
			parts = parts[1:]
		}
		return strings.Join(parts, ".")
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
