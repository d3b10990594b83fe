package identity_test

import (
	"context"
	"slices"
	"testing"

	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/identity"
	"zhengwu/shared/testkit"
)

// Holders answers from accounts and grants held in memory: the answers of
// a second process on the same store must follow every grant, revocation
// and disabled account at once, as a fresh read of the store would.
func TestHoldersFollowGrantsRevocationsAndDisabledAccountsAtOnce(t *testing.T) {
	k := testkit.New(t)
	ctx := context.Background()
	admin := identity.New(k.Store, k.Trail, k.Tokens, identity.DefaultPolicy, k.Clock.Now)
	if _, err := demo.Seed(ctx, admin, "Demo-Pass-2026"); err != nil {
		t.Fatal(err)
	}
	// Another process on the same store, which made none of the changes.
	other := identity.New(k.Store, k.Trail, k.Tokens, identity.DefaultPolicy, k.Clock.Now)
	id := func(username string) string {
		u, _, err := admin.UserByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	staff, head, printer := id("staff"), id("chuzhang"), id("printer")
	heads := identity.HolderQuery{Role: "dept_head", Department: "mishu2"}
	register := identity.HolderQuery{Permission: "doc.register", Unit: "office"}
	hefeiRegister := identity.HolderQuery{Permission: "doc.register", Unit: "hefei"}
	printRoom := identity.HolderQuery{Post: "print_room"}
	want := func(step string, q identity.HolderQuery, ids ...string) {
		t.Helper()
		slices.Sort(ids)
		for name, svc := range map[string]*identity.Service{"the writer": admin, "another process": other} {
			got, err := svc.Holders(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, ids) && !(len(got) == 0 && len(ids) == 0) {
				t.Fatalf("%s: %s answers %+v with %v, want %v", step, name, q, got, ids)
			}
		}
	}
	want("seeded", heads, head)
	want("seeded", register, id("clerk"))
	want("seeded", printRoom, printer)
	want("seeded", hefeiRegister, id("hfclerk"))
	// Every unit's 收发员 hold doc.register; a query without a unit sees all.
	want("seeded", identity.HolderQuery{Permission: "doc.register"}, id("clerk"), id("hfclerk"), id("fgwclerk"))

	// A new department under 合肥 and staff moved into it as its 收发员:
	// both processes place it in its unit (the tree follows the feed too).
	if _, err := admin.CreateDepartment(ctx, identity.Actor{}, identity.NewDepartment{ID: "hefei-mishu", Name: "合肥市政府办公室秘书科", ParentID: "hefei", Order: 9}); err != nil {
		t.Fatal(err)
	}
	depts := []string{"hefei-mishu"}
	if _, err := admin.UpdateUser(ctx, identity.Actor{}, staff, identity.UserChange{DepartmentIDs: &depts}); err != nil {
		t.Fatal(err)
	}
	moved, err := admin.GrantRole(ctx, identity.Actor{}, staff, "clerk", "hefei-mishu")
	if err != nil {
		t.Fatal(err)
	}
	want("a new department in 合肥", hefeiRegister, id("hfclerk"), staff)
	want("a new department in 合肥", register, id("clerk"))
	if err := admin.RevokeGrant(ctx, identity.Actor{}, staff, moved.ID); err != nil {
		t.Fatal(err)
	}
	home := []string{"mishu2"}
	if _, err := admin.UpdateUser(ctx, identity.Actor{}, staff, identity.UserChange{DepartmentIDs: &home}); err != nil {
		t.Fatal(err)
	}

	g, err := admin.GrantRole(ctx, identity.Actor{}, staff, "dept_head", "mishu2")
	if err != nil {
		t.Fatal(err)
	}
	want("granted", heads, head, staff)
	// Another department's query does not see a grant in 秘书二处.
	want("granted", identity.HolderQuery{Role: "dept_head", Department: "xinxi"})

	disabled := true
	if _, err := admin.UpdateUser(ctx, identity.Actor{}, head, identity.UserChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	want("disabled", heads, staff)
	if err := admin.RevokeGrant(ctx, identity.Actor{}, staff, g.ID); err != nil {
		t.Fatal(err)
	}
	want("revoked", heads)

	enabled := false
	if _, err := admin.UpdateUser(ctx, identity.Actor{}, head, identity.UserChange{Disabled: &enabled}); err != nil {
		t.Fatal(err)
	}
	posts := []string{}
	if _, err := admin.UpdateUser(ctx, identity.Actor{}, printer, identity.UserChange{PostIDs: &posts}); err != nil {
		t.Fatal(err)
	}
	want("enabled again, the printer moved", heads, head)
	want("enabled again, the printer moved", printRoom)

	// A process started now, reading everything afresh, agrees.
	fresh := identity.New(k.Store, k.Trail, k.Tokens, identity.DefaultPolicy, k.Clock.Now)
	for _, q := range []identity.HolderQuery{heads, register, hefeiRegister, printRoom, {Role: "leader"}, {Permission: "doc.draft", Department: "mishu2"}} {
		a, err := other.Holders(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fresh.Holders(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a, b) {
			t.Fatalf("%+v: the long-running process answers %v, a fresh one %v", q, a, b)
		}
	}
}
