package desktop_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
)

// source contributes a fixed contribution (or fails).
type source struct {
	c   desktop.Contribution
	err error
}

func (s source) Contribute(context.Context, *auth.Principal) (desktop.Contribution, error) {
	return s.c, s.err
}

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func entry(id string, at time.Duration, overdue, urged bool) desktop.Entry {
	return desktop.Entry{ID: id, Source: "test", Action: "do", At: t0.Add(at), Overdue: overdue, Urged: urged}
}

// A desktop made with Of asks the sources named when it is asked for, so
// that a module built after the desktop's entry still contributes.
func TestOfAsksTheSourcesAtEachRequest(t *testing.T) {
	var built []desktop.Source
	d := desktop.Of(func() []desktop.Source { return built })
	v, err := d.Desktop(context.Background(), &auth.Principal{UserID: "u-1"})
	if err != nil || len(v.Todo) != 0 {
		t.Fatalf("empty desktop: %+v, %v", v, err)
	}
	built = append(built, source{c: desktop.Contribution{Todo: []desktop.Entry{entry("a", 0, false, false)}, TodoTotal: 1}})
	v, err = d.Desktop(context.Background(), &auth.Principal{UserID: "u-1"})
	if err != nil || len(v.Todo) != 1 || v.Counts.Todo != 1 {
		t.Fatalf("a source added after the desktop was made is missing: %+v, %v", v, err)
	}
}

// To-do merges every source's: overdue, then urged, then newest first;
// counts are the sources' totals; panels keep the sources' order; a list
// shows at most Limit.
func TestDesktopMergesUrgentFirst(t *testing.T) {
	var many []desktop.Entry
	for i := range desktop.Limit + 5 {
		many = append(many, entry(fmt.Sprint("m", i), -time.Duration(i+10)*time.Hour, false, false))
	}
	d := desktop.New(
		source{c: desktop.Contribution{Todo: append(many, entry("new", 0, false, false)), TodoTotal: 40,
			Panels: []desktop.Panel{{Key: "first"}}}},
		source{c: desktop.Contribution{Todo: []desktop.Entry{entry("urged", -time.Hour, false, true),
			entry("late", -48*time.Hour, true, false)}, TodoTotal: 2, Panels: []desktop.Panel{{Key: "second"}}}},
	)
	v, err := d.Desktop(context.Background(), &auth.Principal{UserID: "u-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Todo) != desktop.Limit || v.Todo[0].ID != "late" || v.Todo[1].ID != "urged" || v.Todo[2].ID != "new" {
		t.Fatalf("order: %d entries, first %v", len(v.Todo), []string{v.Todo[0].ID, v.Todo[1].ID, v.Todo[2].ID})
	}
	if v.Counts.Todo != 42 || v.Counts.Overdue != 1 {
		t.Fatalf("counts %+v", v.Counts)
	}
	if len(v.Panels) != 2 || v.Panels[0].Key != "first" || v.Panels[1].Key != "second" {
		t.Fatalf("panels %+v", v.Panels)
	}
}

// One source failing fails the desktop (the handler answers a problem)
// rather than showing a desktop silently missing its work.
func TestDesktopFailsWithASource(t *testing.T) {
	boom := errors.New("index closed")
	d := desktop.New(source{}, source{err: boom})
	if _, err := d.Desktop(context.Background(), &auth.Principal{UserID: "u-1"}); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}
