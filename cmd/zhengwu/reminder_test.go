package main

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/reminder"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/store"
)

// The server started with --demo, its reminder scheduler passing every
// few milliseconds on a clock two months on (the demo's tasks all overdue
// and past escalation): every open task with a limit gets one reminder
// and one escalation, recorded with one audit entry each; a second
// scheduler that takes over records none of them again; the reminded
// holder's desktop shows them, linking to the document.
func TestDemoRemindersOnceWithTwoSchedulers(t *testing.T) {
	ctx := context.Background()
	reminderClock = func() time.Time { return time.Now().AddDate(0, 2, 0) }
	t.Cleanup(func() { reminderClock = nil })
	srv, rt := demoServer(t, "Reminder-Demo-2026", "--target", "officeapi", "--reminder-interval", "5ms")
	st := rt.store

	want := 0
	for d, err := range store.ScanAll(ctx, st, workflow.InstanceCollection, "") {
		if err != nil {
			t.Fatal(err)
		}
		var in workflow.Instance
		if err := d.Decode(&in); err != nil {
			t.Fatal(err)
		}
		for _, task := range in.Tasks {
			if !task.Due.IsZero() {
				want++
			}
			if !task.EscalateAt.IsZero() {
				want++
			}
		}
	}
	if want == 0 {
		t.Fatal("the demo has no open task with a time limit")
	}
	var got []reminder.Notice
	deadline := time.Now().Add(30 * time.Second)
	for len(got) < want {
		if time.Now().After(deadline) {
			t.Fatalf("%d notices of %d after 30 s", len(got), want)
		}
		var err error
		if got, err = reminder.All(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	// The server's scheduler stops (its process ends, the lease is let
	// go); a second one, built as the module builds its own, as another
	// process would, takes the lease over and passes again: it records
	// nothing the first recorded.
	srv.stopBackground()
	second := reminderScheduler(srv.parts)
	scans := make(chan struct{}, 100)
	second.Tasks = scanned{second.Tasks, scans}
	ctx2, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- second.Run(ctx2) }()
	for range 2 {
		select {
		case <-scans:
		case <-time.After(40 * time.Second): // the lease's TTL, if the first did not let it go
			t.Fatal("the second scheduler never passed")
		}
	}
	stop()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	all, err := srv.parts.trail.List(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	entries := 0
	for _, en := range all {
		if en.Action == reminder.ActionRemind || en.Action == reminder.ActionEscalate {
			entries++
		}
	}
	if got, _ = reminder.All(ctx, st); len(got) != want || entries != want {
		t.Fatalf("%d notices and %d audit entries, want %d of each", len(got), entries, want)
	}
	tokens := map[int64]bool{}
	for _, n := range got {
		tokens[n.Token] = true
	}
	if len(tokens) != 1 {
		t.Fatalf("notices sent under %d lease tokens: the second sender sent again", len(tokens))
	}

	// The reminded holder's desktop has the 提醒 panel, linking to the 公文.
	p := srv.parts
	chuzhang, err := p.identity.PrincipalByUsername(ctx, "chuzhang")
	if err != nil {
		t.Fatal(err)
	}
	v, err := p.desktop.Desktop(ctx, chuzhang)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(v.Panels, func(pn desktop.Panel) bool { return pn.Key == "reminder" })
	if i < 0 || len(v.Panels[i].Items) == 0 || !strings.HasPrefix(v.Panels[i].Items[0].Link, "/office/documents/") {
		t.Fatalf("chuzhang's desktop has no reminder linking to the document: %+v", v.Panels)
	}
}

// scanned is Tasks that says when a scan of the open tasks has ended.
type scanned struct {
	reminder.Tasks
	done chan<- struct{}
}

func (s scanned) Open(ctx context.Context, fn func(in *workflow.Instance, t workflow.TaskItem) error) error {
	err := s.Tasks.Open(ctx, fn)
	s.done <- struct{}{}
	return err
}
