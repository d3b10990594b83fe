package openapi

import (
	"reflect"
	"strings"
)

// pathParams declares the path's {name} parameters that params does not
// already, as strings, so that an operation cannot forget one.
func pathParams(path string, params []Obj) []Obj {
	var out []Obj
	for _, seg := range strings.Split(path, "/") {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		name := strings.Trim(seg, "{}")
		declared := false
		for _, p := range params {
			if p["name"] == name && p["in"] == "path" {
				declared = true
			}
		}
		if !declared {
			out = append(out, Path(name, name))
		}
	}
	return out
}

// queryParams describes the fields of a struct with `query` tags: the
// tag names the parameter, `doc` describes it, `validate` bounds it.
func queryParams(v any) []Obj {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []Obj
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("query")
		if name == "" || name == "-" {
			continue
		}
		schema := Obj{}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Int, reflect.Int64, reflect.Int32:
			schema["type"] = "integer"
		case reflect.Bool:
			schema["type"] = "boolean"
		default:
			schema["type"] = "string"
		}
		required := false
		for _, r := range strings.Split(f.Tag.Get("validate"), ",") {
			key, arg, _ := strings.Cut(r, "=")
			switch key {
			case "required":
				required = true
			case "oneof":
				schema["enum"] = strings.Fields(arg)
			case "max":
				if schema["type"] == "string" {
					schema["maxLength"] = atoi(arg)
				} else {
					schema["maximum"] = atoi(arg)
				}
			case "min":
				if schema["type"] == "string" {
					schema["minLength"] = atoi(arg)
				} else {
					schema["minimum"] = atoi(arg)
				}
			}
		}
		p := Query(name, f.Tag.Get("doc"), schema)
		if required {
			p["required"] = true
		}
		out = append(out, p)
	}
	return out
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}
