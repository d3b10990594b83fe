package openapi

import (
	"slices"
	"testing"

	"zhengwu/shared/auth"
)

// What a route needs and which document its {id} names are in its
// operation, machine-readable: the authorisation matrix is generated from
// them. A collection means nothing on a path without {id}.
func TestOperationExtensions(t *testing.T) {
	perm, or := auth.Permissions()[0], auth.Permissions()[1]
	a := API{Title: "t", Ops: []Op{
		{Method: "POST", Path: "/leave/requests/{id}/approve", Perm: perm, OrPerm: []auth.Permission{or}, Scope: "department",
			Collection: "leave_requests", OK: 200},
		{Method: "GET", Path: "/leave/requests", Collection: "leave_requests", OK: 200},
	}}
	paths := a.Document()["paths"].(Obj)
	step := paths["/leave/requests/{id}/approve"].(Obj)["post"].(Obj)
	if step["x-permission"] != perm.Key() || step["x-scope"] != "department" || step["x-collection"] != "leave_requests" ||
		!slices.Equal(step["x-permission-or"].([]string), []string{or.Key()}) {
		t.Fatalf("step: %v", step)
	}
	list := paths["/leave/requests"].(Obj)["get"].(Obj)
	for _, k := range []string{"x-permission", "x-permission-or", "x-scope", "x-collection"} {
		if v, ok := list[k]; ok {
			t.Errorf("list has %s: %v", k, v)
		}
	}
}
