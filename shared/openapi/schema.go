package openapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/invopop/jsonschema"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/validation"
)

// Schemas are reflected from the Go types the handlers decode and encode
// (github.com/invopop/jsonschema, JSON Schema 2020-12 as OpenAPI 3.1
// uses), so that the description cannot drift from the code:
//
//   - a response type becomes a component schema (#/components/schemas/
//     named after its package and type: info.View → InfoView; a generic
//     one after its type arguments: records.Page[leave.Request] →
//     LeaveRequestPage) whose required properties are the fields JSON
//     always writes (no omitempty); two Go types of one name are refused;
//   - a request type is described inline, strict (additionalProperties
//     false, as httpx.Bind decodes), with the constraints of its validate
//     tags (required, max, min, len, oneof, classification).
type reflector struct {
	defs  map[string]any
	types map[string]reflect.Type // the Go type of each name
}

func newReflector() *reflector {
	return &reflector{defs: map[string]any{}, types: map[string]reflect.Type{}}
}

// name is Name(t), remembered: two Go types of one name would make one
// schema silently replace the other in the document, a programming error.
func (r *reflector) name(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n := Name(t)
	if n == "" {
		return n // unnamed: described inline
	}
	if prev, ok := r.types[n]; ok && prev != t {
		panic(fmt.Sprintf("openapi: %v and %v are both schema %s", prev, t, n))
	}
	r.types[n] = t
	return n
}

var (
	levelType      = reflect.TypeOf(classification.Level(""))
	permissionType = reflect.TypeOf(auth.Permission{})
	rawType        = reflect.TypeOf(json.RawMessage(nil))
)

// mapper gives the schemas of types the reflector cannot see into.
func mapper(request bool) func(reflect.Type) *jsonschema.Schema {
	return func(t reflect.Type) *jsonschema.Schema {
		switch t {
		case levelType:
			levels := classification.All
			if request {
				levels = classification.UpTo(validation.Ceiling())
			}
			enum := make([]any, len(levels))
			for i, l := range levels {
				enum[i] = string(l)
			}
			return &jsonschema.Schema{Type: "string", Enum: enum, Description: "密级"}
		case permissionType:
			return &jsonschema.Schema{Type: "string", Description: "权限"}
		case rawType:
			return &jsonschema.Schema{}
		}
		return nil
	}
}

// Name is the component name of a type: its package's name, capitalised,
// then its own (info.View → InfoView), unless the type's name already
// starts with it (identity.IdentityX stays). A generic type is named after
// its type arguments, then its own name without its package
// (records.Page[leave.Request] → LeaveRequestPage), so that every
// capability can answer the same generic type under a name of its own.
func Name(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return typeName(t.PkgPath(), t.Name())
}

// typeName names the type name of package pkgPath as Name does; name may
// be an instantiation, as reflect writes it: "Page[zhengwu/officeapi/leave.Request]".
func typeName(pkgPath, name string) string {
	if base, args, generic := strings.Cut(name, "["); generic {
		var b strings.Builder
		for _, arg := range typeArgs(strings.TrimSuffix(args, "]")) {
			b.WriteString(argName(arg))
		}
		return b.String() + base
	}
	pkg := pkgPath[strings.LastIndexByte(pkgPath, '/')+1:]
	// A capability's HTTP layer names its types after the capability
	// (identityhttp.UserList → IdentityUserList).
	pkg = strings.TrimSuffix(pkg, "http")
	if pkg == "" || name == "" {
		return upper(name)
	}
	if p := upper(pkg); !strings.HasPrefix(name, p) {
		return p + name
	}
	return name
}

// typeArgs splits a list of type arguments at its top-level commas.
func typeArgs(list string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range list {
		switch r {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, list[start:i])
				start = i + 1
			}
		}
	}
	return append(out, list[start:])
}

// argName names a type argument: a named type as Name does (the package
// path is the part before the last dot outside brackets), a pointer as
// what it points to, a slice as a List of its elements; builtin types
// capitalised (string → String).
func argName(arg string) string {
	arg = strings.TrimSpace(arg)
	switch {
	case strings.HasPrefix(arg, "*"):
		return argName(arg[1:])
	case strings.HasPrefix(arg, "[]"):
		return argName(arg[2:]) + "List"
	}
	head := arg
	if i := strings.IndexByte(arg, '['); i >= 0 {
		head = arg[:i]
	}
	dot := strings.LastIndexByte(head, '.')
	if dot < 0 {
		return typeName("", arg)
	}
	return typeName(arg[:dot], arg[dot+1:])
}

func upper(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// response registers v's type (and every named type in it) as component
// schemas and returns a reference to it.
func (r *reflector) response(v any) Obj {
	jr := &jsonschema.Reflector{Anonymous: true, AllowAdditionalProperties: true, Mapper: mapper(false),
		Namer: r.name}
	s := jr.Reflect(v)
	for name, def := range s.Definitions {
		r.defs[name] = toObj(def)
	}
	root := toObj(s)
	delete(root, "$defs")
	delete(root, "$schema")
	return root
}

// request describes v's type inline, strict and with its validation rules.
func (r *reflector) request(v any) Obj {
	jr := &jsonschema.Reflector{Anonymous: true, DoNotReference: true, RequiredFromJSONSchemaTags: true,
		Mapper: mapper(true)}
	t := reflect.TypeOf(v)
	s := jr.ReflectFromType(t)
	applyRules(t, s)
	root := toObj(s)
	delete(root, "$schema")
	return root
}

// toObj turns a reflected schema into the document's plain JSON, with
// references into the reflector's definitions made references into the
// OpenAPI components.
func toObj(s *jsonschema.Schema) Obj {
	data, err := json.Marshal(s)
	if err != nil {
		panic(err) // a schema is plain data
	}
	data = []byte(strings.ReplaceAll(string(data), `"#/$defs/`, `"#/components/schemas/`))
	var o Obj
	if err := json.Unmarshal(data, &o); err != nil {
		panic(err)
	}
	return o
}

// applyRules adds the constraints of t's validate tags to s (a request
// schema, described inline).
func applyRules(t reflect.Type, s *jsonschema.Schema) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if s.Items != nil {
			applyRules(t.Elem(), s.Items)
		}
		return
	case reflect.Struct:
	default:
		return
	}
	if s.Properties == nil {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			applyRules(f.Type, s) // embedded: its fields are s's
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		prop, ok := s.Properties.Get(name)
		if !ok || prop == nil {
			continue
		}
		rules, elemRules, _ := strings.Cut(f.Tag.Get("validate"), ",dive")
		if rule(prop, f.Type, rules) {
			s.Required = append(s.Required, name)
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if elemRules != "" && prop.Items != nil {
			rule(prop.Items, ft.Elem(), strings.TrimPrefix(elemRules, ","))
		}
		applyRules(ft, prop)
	}
}

// rule applies one field's validate rules to its schema and reports
// whether the field is required.
func rule(s *jsonschema.Schema, t reflect.Type, tag string) (required bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for _, r := range strings.Split(tag, ",") {
		key, arg, _ := strings.Cut(r, "=")
		n, numErr := strconv.ParseUint(arg, 10, 64)
		switch {
		case key == "required":
			required = true
		case key == "oneof":
			for _, v := range strings.Fields(arg) {
				s.Enum = append(s.Enum, v)
			}
		case (key == "max" || key == "min" || key == "len") && numErr == nil:
			limit(s, t, key, n)
		case key == "orgid":
			s.Pattern = validation.OrgIDPattern
		case key == "hexid":
			s.Pattern = validation.HexIDPattern
		case key == "datetime" && arg == "2006-01-02":
			s.Format = "date"
		}
	}
	return required
}

func limit(s *jsonschema.Schema, t reflect.Type, key string, n uint64) {
	switch t.Kind() {
	case reflect.String:
		// validator counts runes, as maxLength does.
		if key != "min" {
			s.MaxLength = &n
		}
		if key != "max" {
			s.MinLength = &n
		}
	case reflect.Slice, reflect.Array, reflect.Map:
		if key != "min" {
			s.MaxItems = &n
		}
		if key != "max" {
			s.MinItems = &n
		}
	default:
		num := json.Number(strconv.FormatUint(n, 10))
		if key != "min" {
			s.Maximum = num
		}
		if key != "max" {
			s.Minimum = num
		}
	}
}
