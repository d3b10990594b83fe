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
	validate *validator.Validate
	transZh  ut.Translator
	transEn  ut.Translator
)

func init() {
	validate = validator.New(validator.WithRequiredStructEnabled())
	validate.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	// nochars rejects control characters (keeps NUL bytes and escape
	// sequences out of names that end up in logs and documents).
	_ = validate.RegisterValidation("nocontrol", func(fl validator.FieldLevel) bool {
		for _, r := range fl.Field().String() {
			if r < 0x20 || r == 0x7f {
				return false
			}
		}
		return true
	})
	_ = validate.RegisterValidation("classification", classificationTag)
	uni := ut.New(zh.New(), zh.New(), en.New())
	transZh, _ = uni.GetTranslator("zh")
	transEn, _ = uni.GetTranslator("en")
	_ = zh_translations.RegisterDefaultTranslations(validate, transZh)
	_ = en_translations.RegisterDefaultTranslations(validate, transEn)
	register("nocontrol", "{0}不能包含控制字符", "{0} must not contain control characters")
	registerIDs(validate)
}

func register(tag, zhText, enText string) {
	for _, t := range []struct {
		tr   ut.Translator
		text string
	}{{transZh, zhText}, {transEn, enText}} {
		text := t.text
		_ = validate.RegisterTranslation(tag, t.tr,
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
