package openapi

import (
	"strings"
	"testing"
)

// A route whose tag the API does not list still shows on the docs page
// and in the document's tags.
func TestUnlistedTagsAreNotDropped(t *testing.T) {
	a := API{Title: "t", Tags: []Tag{{Name: "info", Title: "信息"}}, Ops: []Op{
		{Method: "GET", Path: "/info/items", Tag: "info", OK: 200},
		{Method: "GET", Path: "/leave/requests", Tag: "leave", OK: 200},
	}}
	if page := string(a.Page()); !strings.Contains(page, "/info/items") || !strings.Contains(page, "/leave/requests") {
		t.Fatalf("docs page lacks a route:\n%s", page)
	}
	tags, _ := a.Document()["tags"].([]Obj)
	if len(tags) != 2 || tags[1]["name"] != "leave" {
		t.Fatalf("tags: %v", tags)
	}
}
