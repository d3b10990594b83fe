package infohttp_test

import (
	"context"
	"slices"
	"testing"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/info"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/testkit"
)

// #10 finding 2: a director outside the department read a department-only
// item, and an unlisted reader a need-to-know item, by id (200) while
// lists and search hid them. One rule (info.AccessOf) now decides all.
func TestRestrictedItemsCannotBeOpenedByIDEither(t *testing.T) {
	e := newEnv(t)
	dept := e.publish(map[string]any{"audience": "department"})
	ntk := e.publish(map[string]any{"principals": []string{e.UserID("staff")}})
	e.problem(e.as("director", "GET", "/items/"+dept, nil), 404, "")
	e.problem(e.as("director", "GET", "/items/"+ntk, nil), 404, "")
	e.problem(e.as("reviewer", "GET", "/items/"+ntk, nil), 404, "") // same department, not listed
	e.ok(e.as("reviewer", "GET", "/items/"+dept, nil), 200)
	e.ok(e.as("staff", "GET", "/items/"+ntk, nil), 200)
	for _, id := range []string{dept, ntk} {
		if ids, _ := e.list("director", ""); slices.Contains(ids, id) {
			t.Fatalf("the director lists %s", id)
		}
	}
}

// #10 finding 4: an account with editor and reviewer rights submitted and
// approved its own item.
func TestNoOneApprovesTheirOwnItem(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	grantor := identity.Actor{IP: "test"} // the local system, as the CLI
	if _, err := e.Identity.GrantRole(ctx, grantor, e.UserID("editor"), "reviewer", "xinxi"); err != nil {
		t.Fatal(err)
	}
	delete(e.tokensByUser(), "editor") // its new rights come with a new token
	id := e.create(map[string]any{"audience": "department"})
	e.ok(e.as("editor", "POST", "/items/"+id+"/submit", nil), 200)
	m := e.problem(e.as("editor", "POST", "/items/"+id+"/approve", nil), 403, "")
	if m["code"] != "self_review" {
		t.Fatalf("self-approval: %v", m)
	}
	// The reviewer submits the editor's item back after a rejection: now
	// the submitter may not approve either, but the author's colleague…
	e.ok(e.as("reviewer", "POST", "/items/"+id+"/reject", map[string]any{"reason": "请补充"}), 200)
	e.ok(e.as("editor", "POST", "/items/"+id+"/submit", nil), 200)
	e.ok(e.as("reviewer", "POST", "/items/"+id+"/approve", nil), 200)
}

// #10 "references are not validated": an attachment naming no stored file,
// or claiming a type the file does not have, and rules naming departments
// like a\u0000b or ../../etc.
func TestReferencesAreChecked(t *testing.T) {
	const pdf = "8d6ea3a0a7e58b32c1f44a1b5c6c2e8ee5e5d21ab86d47c1c2f08f3b1b2c9e11"
	o := officetest.NewWith(t, officetest.Options{Media: func(_ context.Context, id string) (info.Attachment, bool, error) {
		if id != pdf {
			return info.Attachment{}, false, nil
		}
		return info.Attachment{MediaID: pdf, Name: "上传.pdf", Size: 48213, Type: "application/pdf"}, true, nil
	}})
	e := &env{Env: o, t: t, store: o.Store}
	editor, sec := e.tok("editor"), e.tok("secadmin")
	base := "/api/office/v1/info"
	with := func(id, typ string) map[string]any {
		return item(map[string]any{"attachments": []any{map[string]any{"mediaId": id, "name": "附件.pdf", "size": 1, "type": typ}}})
	}
	testkit.Run(t, o.App,
		testkit.Scenario{Name: "unknown file", Method: "POST", Path: base + "/items", Token: editor,
			Body:   with("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "application/pdf"),
			Status: 400, Field: "attachments[0].mediaId"},
		testkit.Scenario{Name: "claimed type ignored", Method: "POST", Path: base + "/items", Token: editor,
			Body: with(pdf, "text/html"), Status: 201, Contains: []string{`"type":"application/pdf"`, `"size":48213`},
			NotContains: []string{"text/html"}},
		testkit.Scenario{Name: "rule for no department", Method: "POST", Path: base + "/rules", Token: sec,
			Body: map[string]string{"department": "nosuch", "kind": "update", "channel": "news"}, Status: 400, Field: "department"},
		testkit.Scenario{Name: "rule with a NUL", Method: "POST", Path: base + "/rules", Token: sec,
			Body: map[string]string{"department": "a\u0000b", "kind": "update", "channel": "news"}, Status: 400, Field: "department"},
		testkit.Scenario{Name: "rule with a path", Method: "POST", Path: base + "/rules", Token: sec,
			Body: map[string]string{"department": "../../etc", "kind": "update", "channel": "news"}, Status: 400, Field: "department"},
		testkit.Scenario{Name: "rule for 信息处", Method: "POST", Path: base + "/rules", Token: sec,
			Body: map[string]string{"department": "xinxi", "kind": "update", "channel": "news"}, Status: 201},
	)
}
