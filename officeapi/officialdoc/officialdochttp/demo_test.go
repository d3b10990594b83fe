package officialdochttp_test

import (
	"context"
	"slices"
	"testing"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/officialdoc"
)

// The demo's 公文 show each part of the domain on someone's desk: an
// overdue task that was urged, an exchanged 收文 waiting 签收 at 合肥, a
// 收文 at 传阅 with some readers done; seeding again adds nothing.
func TestDemoDocumentsShowEveryState(t *testing.T) {
	e, svc := newService(t)
	ctx := context.Background()
	n, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername)
	if err != nil || n == 0 {
		t.Fatalf("seed: %d %v", n, err)
	}
	if again, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil || again != 0 {
		t.Fatalf("second seed: %d %v", again, err)
	}
	tasks := func(user string) officialdoc.TaskList {
		t.Helper()
		var list officialdoc.TaskList
		e.Do("GET", base+"/tasks", e.TokenOf(user), nil).Decode(t, &list)
		return list
	}
	if first := tasks("chuzhang").Items[0]; !first.Overdue || first.Urged == 0 || first.Node != "review" {
		t.Fatalf("the head's first task is not the overdue, urged 审核: %+v", first)
	}
	found := false
	for _, it := range tasks("hfclerk").Items {
		found = found || it.Node == "receive"
	}
	if !found {
		t.Fatal("合肥's 收发员 has nothing to sign for")
	}
	var circ []officialdoc.TaskEntry
	for _, user := range []string{"staff", "editor"} {
		for _, it := range tasks(user).Items {
			if it.Node == "circulate" {
				circ = append(circ, it)
			}
		}
	}
	if len(circ) != 2 {
		t.Fatalf("传阅 tasks of staff and the editor: %+v", circ)
	}
	// On the desktop they are to read (待阅), not to do.
	var desk desktop.View
	e.Do("GET", base+"/desktop", e.TokenOf("editor"), nil).Decode(t, &desk)
	if !slices.ContainsFunc(desk.ToRead, func(en desktop.Entry) bool { return en.Action == "circulate" }) ||
		slices.ContainsFunc(desk.Todo, func(en desktop.Entry) bool { return en.Action == "circulate" }) {
		t.Fatalf("the editor's desktop: todo %+v, toread %+v", desk.Todo, desk.ToRead)
	}
	d := load(t, e, circ[0].DocumentID)
	read := 0
	for _, r := range d.Circulation {
		if !r.ReadAt.IsZero() {
			read++
		}
	}
	if len(d.Circulation) != 4 || read != 2 {
		t.Fatalf("the 传阅 record: %+v", d.Circulation)
	}
}
