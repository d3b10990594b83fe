package officeapi_test

import (
	"context"
	"testing"

	"zhengwu/officeapi/desktop"
)

// The demo office is a living one: after seeding, each demo account's
// desktop has something on it, and seeding again adds nothing.
func TestDemoDataFillsTheDesktops(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n, err := e.Info.SeedDemo(ctx, e.Identity.PrincipalByUsername)
	if err != nil || n == 0 {
		t.Fatalf("seed: %d %v", n, err)
	}
	if again, err := e.Info.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil || again != 0 {
		t.Fatalf("second seed: %d %v", again, err)
	}
	if err := e.Info.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	desk := func(user string) desktop.View {
		t.Helper()
		r := e.do("GET", "/api/office/v1/desktop", e.token(user), nil)
		if r.Status != 200 {
			t.Fatalf("%s desktop: %d %s", user, r.Status, r.Body)
		}
		var v desktop.View
		r.Decode(t, &v)
		return v
	}
	actions := func(v desktop.View) map[string]int {
		m := map[string]int{}
		for _, e := range v.Todo {
			m[e.Action]++
		}
		return m
	}
	panelItems := func(v desktop.View, key string) int {
		for _, p := range v.Panels {
			if p.Key == key {
				return len(p.Items)
			}
		}
		return -1
	}
	director := desk("director")
	if a := actions(director); a["review"] == 0 || a["portal_approve"] == 0 {
		t.Errorf("the director has nothing to review or approve: %v", a)
	}
	editor := desk("editor")
	if a := actions(editor); a["draft"] == 0 || a["revise"] == 0 {
		t.Errorf("the editor has no drafts or returned items: %v", a)
	}
	if panelItems(editor, "info.department") == 0 || panelItems(editor, "info.office") == 0 {
		t.Errorf("the editor's panels are empty: %+v", editor.Panels)
	}
	staff := desk("staff")
	if panelItems(staff, "info.office") == 0 {
		t.Errorf("staff see no office-wide information: %+v", staff.Panels)
	}
	// The 秘密 report is on 秘密-cleared desks only.
	for user, want := range map[string]bool{"staff": false, "editor": true} {
		found := false
		for _, p := range desk(user).Panels {
			for _, it := range p.Items {
				found = found || it.Title == "关于重点项目推进有关情况的报告"
			}
		}
		if found != want {
			t.Errorf("%s sees the 秘密 report: %v, want %v", user, found, want)
		}
	}
}
