package openapi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
)

type (
	Item           struct{ ID string }
	Page[T any]    struct{ Items []T }
	Pair[A, B any] struct {
		A A
		B B
	}
	OpenapiItem struct{ Other bool }
)

// A generic type is named after its type arguments, so that each
// capability's page of its own documents is a schema of its own.
func TestNameOfGenericTypes(t *testing.T) {
	for _, c := range []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[Item](), "OpenapiItem"},
		{reflect.TypeFor[*Item](), "OpenapiItem"},
		{reflect.TypeFor[jsonschema.Schema](), "JsonschemaSchema"},
		{reflect.TypeFor[Page[Item]](), "OpenapiItemPage"},
		{reflect.TypeFor[Page[*Item]](), "OpenapiItemPage"},
		{reflect.TypeFor[Page[[]Item]](), "OpenapiItemListPage"},
		{reflect.TypeFor[Page[jsonschema.Schema]](), "JsonschemaSchemaPage"},
		{reflect.TypeFor[Page[Page[Item]]](), "OpenapiItemPagePage"},
		{reflect.TypeFor[Pair[Item, string]](), "OpenapiItemStringPair"},
	} {
		if got := Name(c.t); got != c.want {
			t.Errorf("Name(%v) = %s, want %s", c.t, got, c.want)
		}
	}
	doc := API{Title: "t", Ops: []Op{
		{Method: "GET", Path: "/a", OK: 200, Resp: Page[Item]{}},
		{Method: "GET", Path: "/b", OK: 200, Resp: Page[Pair[Item, string]]{}},
	}}.Document()
	schemas := doc["components"].(Obj)["schemas"].(Obj)
	for _, name := range []string{"OpenapiItemPage", "OpenapiItemStringPairPage", "OpenapiItem", "OpenapiItemStringPair"} {
		if _, ok := schemas[name]; !ok {
			t.Errorf("no schema %s in %v", name, schemas)
		}
	}
}

// Two Go types of one schema name would make one silently replace the
// other in the document: describing them is refused.
func TestSchemaNameCollisionPanics(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "openapi.Item") || !strings.Contains(msg, "openapi.OpenapiItem") {
			t.Fatalf("recovered %q, want a panic naming both types", msg)
		}
	}()
	API{Title: "t", Ops: []Op{
		{Method: "GET", Path: "/a", OK: 200, Resp: Item{}},
		{Method: "GET", Path: "/b", OK: 200, Resp: OpenapiItem{}},
	}}.Document()
}
