package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// compile loads the document as one JSON Schema resource so that any
// "#/components/schemas/X" inside it resolves.
func compile(t *testing.T) (*jsonschema.Compiler, any) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSON()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	return c, doc
}

// Validate checks a JSON value against a named component schema.
func validate(t *testing.T, c *jsonschema.Compiler, schema string, value any) error {
	t.Helper()
	sch, err := c.Compile("openapi.json#/components/schemas/" + schema)
	if err != nil {
		t.Fatalf("compile %s: %v", schema, err)
	}
	data, _ := json.Marshal(value)
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	return sch.Validate(v)
}

func TestEveryExampleValidates(t *testing.T) {
	c, _ := compile(t)
	n := 0
	for _, o := range operations() {
		if o.bodyExample != nil {
			n++
			if err := validate(t, c, o.body, o.bodyExample); err != nil {
				t.Errorf("%s %s request example: %v", o.method, o.path, err)
			}
		}
		if o.okExample != nil {
			n++
			if err := validate(t, c, o.okSchema, o.okExample); err != nil {
				t.Errorf("%s %s response example: %v", o.method, o.path, err)
			}
		}
	}
	if err := validate(t, c, "Problem", ProblemExample); err != nil {
		t.Errorf("problem example: %v", err)
	}
	if n < 5 {
		t.Fatalf("only %d examples", n)
	}
	// The schemas do reject wrong values (the check above could fail).
	bad := map[string]any{"id": "x", "type": "memo", "channel": "news", "title": "t", "status": "published"}
	if err := validate(t, c, "Item", bad); err == nil {
		t.Fatal("an item of unknown type validated")
	}
}

func TestDocumentShape(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
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
			// Every path parameter in the template is declared.
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") && !strings.Contains(fmt.Sprint(o["parameters"]), "name:"+strings.Trim(seg, "{}")+" ") {
					t.Errorf("%s %s does not declare %s", method, path, seg)
				}
			}
		}
	}
}

func TestDocsPageListsOperations(t *testing.T) {
	page := string(renderPage())
	for _, o := range operations() {
		if !strings.Contains(page, o.path) {
			t.Errorf("docs page lacks %s", o.path)
		}
	}
	if strings.Contains(page, "<script") {
		t.Fatal("docs page carries a script")
	}
}
