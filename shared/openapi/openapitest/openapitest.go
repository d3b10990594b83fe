// Package openapitest checks an API description (shared/openapi): that
// every route mounted under its base is described and every described
// operation is mounted, that every example validates against its schema
// (JSON Schema 2020-12), and that the document is well formed.
package openapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"zhengwu/shared/openapi"
)

// Check runs every check of the package on api, with app the application
// the API is mounted on.
func Check(t *testing.T, api openapi.API, app *fiber.App) {
	t.Helper()
	Routes(t, api, app)
	Examples(t, api)
	Shape(t, api)
}

var fiberParam = regexp.MustCompile(`:([A-Za-z]+)\??`)

// Routes checks that every route of app under api.Base is described, and
// every described operation is mounted. A Fiber wildcard (*) stands for a
// parameter named path.
func Routes(t *testing.T, api openapi.API, app *fiber.App) {
	t.Helper()
	described := map[string]bool{}
	for _, o := range api.Ops {
		described[strings.ToUpper(o.Method)+" "+o.Path] = true
	}
	mounted := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, api.Base+"/") || r.Method == "HEAD" {
			continue
		}
		p := strings.TrimPrefix(r.Path, api.Base)
		p = fiberParam.ReplaceAllString(p, "{$1}")
		p = strings.Replace(p, "*", "{path}", 1)
		key := r.Method + " " + p
		mounted[key] = true
		if !described[key] {
			t.Errorf("route %s %s%s is not in openapi.json", r.Method, api.Base, p)
		}
	}
	for key := range described {
		if !mounted[key] {
			t.Errorf("openapi.json describes %s (under %s), which is not mounted", key, api.Base)
		}
	}
}

// Examples checks every request and response example, and the problem
// example, against their schemas; and that a schema can reject (a check
// that nothing validates would pass vacuously).
func Examples(t *testing.T, api openapi.API) {
	t.Helper()
	c := compile(t, api)
	n := 0
	for _, o := range api.Ops {
		if o.BodyExample != nil {
			n++
			if err := validatePtr(t, c, requestPtr(o), o.BodyExample); err != nil {
				t.Errorf("%s %s request example: %v", o.Method, o.Path, err)
			}
		}
		if o.OKExample != nil {
			n++
			if err := validatePtr(t, c, responsePtr(o, o.OK), o.OKExample); err != nil {
				t.Errorf("%s %s response example: %v", o.Method, o.Path, err)
			}
		}
	}
	if api.ProblemExample == nil {
		t.Error("the API has no problem example")
	} else if err := validate(t, c, "Problem", api.ProblemExample); err != nil {
		t.Errorf("problem example: %v", err)
	}
	if err := validate(t, c, "Problem", map[string]any{"title": "no type, no status"}); err == nil {
		t.Error("the Problem schema accepts a document without type and status")
	}
	if n == 0 {
		t.Error("the API has no examples")
	}
}

// Shape checks the document: OpenAPI 3.1, unique operation ids, responses
// on every operation, every path parameter declared, a docs page without
// scripts that lists every path.
func Shape(t *testing.T, api openapi.API) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi version %v", doc["openapi"])
	}
	ids := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, raw := range item.(map[string]any) {
			o := raw.(map[string]any)
			id := o["operationId"].(string)
			if ids[id] {
				t.Errorf("duplicate operationId %s", id)
			}
			ids[id] = true
			if _, ok := o["responses"].(map[string]any); !ok {
				t.Errorf("%s %s has no responses", method, path)
			}
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") && !strings.Contains(fmt.Sprint(o["parameters"]), "name:"+strings.Trim(seg, "{}")+" ") {
					t.Errorf("%s %s does not declare %s", method, path, seg)
				}
			}
		}
	}
	page := string(api.Page())
	for _, o := range api.Ops {
		if !strings.Contains(page, o.Path) {
			t.Errorf("docs page lacks %s", o.Path)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("docs page carries a script")
	}
}

func compile(t *testing.T, api openapi.API) *jsonschema.Compiler {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.JSON()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	return c
}

func validate(t *testing.T, c *jsonschema.Compiler, schema string, value any) error {
	t.Helper()
	return validatePtr(t, c, "openapi.json#/components/schemas/"+schema, value)
}

func esc(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1") }

// requestPtr points at an operation's JSON request body schema.
func requestPtr(o openapi.Op) string {
	ct := o.BodyType
	if ct == "" {
		ct = "application/json"
	}
	return "openapi.json#/paths/" + esc(o.Path) + "/" + strings.ToLower(o.Method) + "/requestBody/content/" + esc(ct) + "/schema"
}

// responsePtr points at the schema of an operation's answer with status.
func responsePtr(o openapi.Op, status int) string {
	ct := "application/problem+json"
	if status < 400 {
		ct = o.OKType
		if ct == "" {
			ct = "application/json"
		}
	}
	return "openapi.json#/paths/" + esc(o.Path) + "/" + strings.ToLower(o.Method) + "/responses/" +
		strconv.Itoa(status) + "/content/" + esc(ct) + "/schema"
}

// schemaAt compiles the schema ptr points at; a pointer that does not
// compile fails the test.
func schemaAt(t *testing.T, c *jsonschema.Compiler, ptr string) *jsonschema.Schema {
	t.Helper()
	sch, err := c.Compile(ptr)
	if err != nil {
		t.Fatalf("compile %s: %v", ptr, err)
	}
	return sch
}

// validatePtr validates value, as JSON, against the schema ptr points at.
func validatePtr(t *testing.T, c *jsonschema.Compiler, ptr string, value any) error {
	t.Helper()
	sch := schemaAt(t, c, ptr)
	data, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(v)
}

// Valid reports whether value validates against the API's named schema.
func Valid(t *testing.T, api openapi.API, schema string, value any) bool {
	t.Helper()
	return validate(t, compile(t, api), schema, value) == nil
}

// Response checks a real response against what the description says op
// answers with that status: the status is declared, and the body (JSON,
// or problem+json for an error) validates against the declared schema. A
// body that is not JSON (a download) and a bodiless status (304, 301) are
// checked for their status only.
func Response(t *testing.T, api openapi.API, method, path string, status int, body []byte) {
	t.Helper()
	var op *openapi.Op
	for i, o := range api.Ops {
		if strings.EqualFold(o.Method, method) && o.Path == path {
			op = &api.Ops[i]
		}
	}
	if op == nil {
		t.Fatalf("no operation %s %s in the description", method, path)
	}
	declared := status == op.OK
	for _, e := range op.Errors {
		declared = declared || e == status
	}
	if !declared {
		t.Errorf("%s %s answered %d, which the description does not list: %s", method, path, status, body)
		return
	}
	if status < 400 {
		if status != op.OK || (op.Resp == nil && op.OKSchema == "") {
			return // no body described (304, a redirect, 204)
		}
		if ct := op.OKType; ct != "" && !strings.Contains(ct, "json") {
			return // bytes (a download), described by hand
		}
	}
	sch := schemaAt(t, compile(t, api), responsePtr(*op, status))
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s %s: the body is not JSON: %s", method, path, body)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s %s (%d) does not match its description: %v\n%s", method, path, status, err, body)
	}
}

// RequestValid reports whether body validates against the request body
// the description gives the operation (its JSON content).
func RequestValid(t *testing.T, api openapi.API, method, path string, body any) bool {
	t.Helper()
	return validatePtr(t, compile(t, api), requestPtr(openapi.Op{Method: method, Path: path}), body) == nil
}
