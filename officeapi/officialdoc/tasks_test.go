package officialdoc

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

func newTestService(t *testing.T, e *officetest.Env, name string) *Service {
	t.Helper()
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Deps{Deps: e.Deps(name), Calendar: cal, Holders: e.Identity.Holders, Account: e.Identity.User})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, nil)
	return svc
}

// slowTasks is the task list read the slow way: every document in the
// store, those p may read (AccessOf), p's open tasks on them, in the
// order the list promises (overdue, urged, due, arrival, id).
func slowTasks(t *testing.T, st store.Store, p *auth.Principal, now time.Time) TaskList {
	t.Helper()
	var all []TaskEntry
	for doc, err := range store.ScanAll(context.Background(), st, Collection, "") {
		if err != nil {
			t.Fatal(err)
		}
		var d Document
		if err := doc.Decode(&d); err != nil {
			t.Fatal(err)
		}
		if !AccessOf(&d).Allows(p) {
			continue
		}
		for _, task := range d.Tasks {
			if task.Assignee == p.UserID {
				all = append(all, TaskEntry{Task: task, Title: d.Title, DocType: d.DocType, Classification: d.Classification,
					Urgency: d.Urgency, Overdue: !task.Due.IsZero() && now.After(task.Due)})
			}
		}
	}
	slices.SortFunc(all, func(a, b TaskEntry) int {
		switch {
		case a.Overdue != b.Overdue:
			if a.Overdue {
				return -1
			}
			return 1
		case a.Urged != b.Urged:
			return b.Urged - a.Urged
		case !a.Due.Equal(b.Due):
			if a.Due.IsZero() || !b.Due.IsZero() && b.Due.Before(a.Due) {
				return 1
			}
			return -1
		case !a.OpenedAt.Equal(b.OpenedAt):
			return a.OpenedAt.Compare(b.OpenedAt)
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := TaskList{Items: all[:min(len(all), maxTasks)], Total: uint64(len(all))}
	if out.Items == nil {
		out.Items = []TaskEntry{}
	}
	return out
}

// The task list from memory is the slow path's, for every demo user (and
// one whose clearance is lower than a document they hold), on an office
// where random steps left tasks at every stage, some overdue, some 秘密,
// more than a hundred on one person; a step taken by another process
// shows at once.
func TestTasksMatchTheStoreOnARandomOffice(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	e := officetest.New(t)
	svc := newTestService(t, e, "officialdoc")
	ctx := context.Background()
	principal := func(username string) *auth.Principal {
		p, err := e.Identity.PrincipalByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	by := map[string]*auth.Principal{}
	for _, u := range demo.Usernames() {
		p := principal(u)
		by[p.UserID] = p
	}
	as := func(u string) records.Actor { return records.Actor{P: principal(u)} }
	must := func(v View, err error) View {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// taskOf is the open task of the document held by someone, and who.
	taskOf := func(id string) (Task, *auth.Principal) {
		d, _, err := store.Load[Document](ctx, e.Store, Collection, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Tasks) == 0 {
			return Task{}, nil
		}
		task := d.Tasks[rng.IntN(len(d.Tasks))]
		return task, by[task.Assignee]
	}
	for i := range 170 {
		drafter, level := "staff", classification.Feimi
		if i%9 == 0 {
			drafter, level = "chuzhang", classification.Mimi
		}
		in := Input{Direction: Outgoing, DocType: "通知", Title: fmt.Sprintf("关于第%d项工作的通知", i), Classification: level,
			Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", MainTo: []string{"各市人民政府"}, Body: "<p>正文</p>"}
		if level != classification.Feimi {
			in.SecrecyPeriod = "1年"
		}
		id := must(svc.Create(ctx, as(drafter), in)).Document.ID
		must(svc.Submit(ctx, as(drafter), id))
		// Then a few random steps by whoever holds it: most stay at 审核
		// with 秘书二处's head, who ends up with more than a hundred.
		for range rng.IntN(4) {
			task, holder := taskOf(id)
			if holder == nil || rng.IntN(3) > 0 {
				break
			}
			a := records.Actor{P: holder}
			switch x := rng.IntN(4); {
			case x == 0:
				// Refused when the editor holds this node's task already.
				if _, err := svc.Act(ctx, a, task.ID, ActionInput{Action: "transfer", To: e.UserID("editor"), Opinion: "请办理"}); err != nil && problem.As(err) == nil {
					t.Fatal(err)
				}
			case x == 1 && task.Node != nodeDraft:
				must(svc.Act(ctx, a, task.ID, ActionInput{Action: "return", Opinion: "请修改"}))
			default:
				must(svc.Act(ctx, a, task.ID, ActionInput{Action: "approve", Opinion: "同意"}))
			}
		}
		e.Clock.Advance(time.Duration(rng.IntN(10)) * time.Hour)
	}
	e.Clock.Advance(time.Duration(rng.IntN(72)) * time.Hour)
	// Some tasks urged (催办), as an urge step leaves the document: they
	// come first among the overdue, and among the rest.
	var urged int
	for doc, err := range store.ScanAll(ctx, e.Store, Collection, "") {
		if err != nil {
			t.Fatal(err)
		}
		var d Document
		if err := doc.Decode(&d); err != nil {
			t.Fatal(err)
		}
		if len(d.Tasks) == 0 || rng.IntN(8) > 0 {
			continue
		}
		d.Tasks[0].Urged = 1 + rng.IntN(3)
		data, _ := store.Encode(d)
		if _, err := e.Store.Put(ctx, Collection, d.ID, data, doc.Version); err != nil {
			t.Fatal(err)
		}
		urged++
	}
	if urged == 0 {
		t.Fatal("nothing urged")
	}

	check := func(step string, p *auth.Principal) TaskList {
		t.Helper()
		got, err := svc.Tasks(ctx, p, TaskQuery{})
		if err != nil {
			t.Fatal(err)
		}
		want := slowTasks(t, e.Store, p, e.Clock.Now())
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Fatalf("%s: %s's tasks:\n got %s\nwant %s", step, p.Username, g, w)
		}
		return got
	}
	for _, p := range by {
		check("random office", p)
	}
	headList := check("random office", principal("chuzhang"))
	if headList.Total <= maxTasks {
		t.Fatalf("the department head holds %d tasks: the office should load one person past a page", headList.Total)
	}
	// Paged by 37 (urged tasks among them: the long sort), the windows
	// join into the whole list: every task once, the first page's in order.
	var all []TaskEntry
	for off := 0; off < int(headList.Total)+37; off += 37 {
		got, err := svc.Tasks(ctx, principal("chuzhang"), TaskQuery{Offset: off, Size: 37})
		if err != nil || got.Total != headList.Total {
			t.Fatalf("offset %d: %+v %v", off, got.Total, err)
		}
		all = append(all, got.Items...)
	}
	seen := map[string]bool{}
	for i, it := range all {
		if seen[it.ID] {
			t.Fatalf("task %s twice in the pages", it.ID)
		}
		seen[it.ID] = true
		if i < len(headList.Items) && headList.Items[i].ID != it.ID {
			t.Fatalf("page order differs at %d: %s, want %s", i, it.ID, headList.Items[i].ID)
		}
	}
	if uint64(len(all)) != headList.Total {
		t.Fatalf("the pages hold %d tasks of %d", len(all), headList.Total)
	}
	// Below the 密级 of documents they hold: those are left out.
	lowered := *principal("chuzhang")
	lowered.Clearance = classification.Feimi
	if got := check("clearance lowered", &lowered); got.Total == check("clearance lowered", principal("chuzhang")).Total {
		t.Fatalf("lowering the clearance hid nothing: %d tasks", got.Total)
	}

	// A step in this process shows at once.
	head := principal("chuzhang")
	before := check("before a step", head)
	must(svc.Act(ctx, records.Actor{P: head}, before.Items[0].ID, ActionInput{Action: "approve", Opinion: "同意"}))
	after := check("after a step", head)
	if after.Total != before.Total-1 || after.Items[0].ID == before.Items[0].ID {
		t.Fatalf("after approving %s: %d tasks, first %s", before.Items[0].ID, after.Total, after.Items[0].ID)
	}

	// Another process (its own store handle, which tells this one
	// nothing) acts: with the step's sequence the list shows it at once.
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	deps := e.Deps("officialdoc-other")
	deps.Store = e.SQLite
	other, err := New(Deps{Deps: deps, Calendar: cal, Holders: e.Identity.Holders, Account: e.Identity.User})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(other, nil)
	before = after
	v := must(other.Act(ctx, records.Actor{P: head}, before.Items[0].ID, ActionInput{Action: "approve", Opinion: "同意"}))
	got, err := svc.Tasks(ctx, head, TaskQuery{ConsistentWith: strconv.FormatInt(v.Seq, 10)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != before.Total-1 || got.Items[0].ID == before.Items[0].ID {
		t.Fatalf("after another process approved %s: %d tasks, first %s", before.Items[0].ID, got.Total, got.Items[0].ID)
	}
	// Without it, within the feed's poll interval.
	before = got
	must(other.Act(ctx, records.Actor{P: head}, before.Items[0].ID, ActionInput{Action: "approve", Opinion: "同意"}))
	waited := time.Now()
	for {
		got, err := svc.Tasks(ctx, head, TaskQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total == before.Total-1 {
			break
		}
		if time.Since(waited) > 5*time.Second {
			t.Fatalf("another process's step not shown after %s", time.Since(waited))
		}
		time.Sleep(10 * time.Millisecond)
	}
	check("after another process acted", head)
}
