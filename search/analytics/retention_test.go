package analytics_test

import (
	"context"
	"testing"

	"zhengwu/search/analytics"
	"zhengwu/search/source"
)

// Retention: searches older than the cut and their clicks are deleted,
// newer ones kept.
func TestRetentionDeletesOldEntries(t *testing.T) {
	e := newEnv(t)
	now := e.Clock.Now()
	old1 := e.log.Record(analytics.Entry{Query: "旧的检索", Scope: source.PortalName, Results: 3, At: now.AddDate(0, 0, -200)})
	old2 := e.log.Record(analytics.Entry{Query: "旧的检索", Scope: source.PortalName, Results: 3, At: now.AddDate(0, 0, -181)})
	kept := e.log.Record(analytics.Entry{Query: "新的检索", Scope: source.PortalName, Results: 3, At: now.AddDate(0, 0, -179)})
	recent := e.log.Record(analytics.Entry{Query: "新的检索", Scope: source.PortalName, Results: 3, At: now})
	for _, id := range []string{old1, kept} {
		_ = e.log.Click(id, 1)
	}
	e.flush()
	n, err := analytics.Prune(context.Background(), e.Store, now.Add(-analytics.DefaultRetention))
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 { // two searches and a click
		t.Errorf("pruned %d, want 3", n)
	}
	ids := func(c string) []string {
		var out []string
		for _, d := range e.stored(c) {
			out = append(out, d["id"].(string))
		}
		return out
	}
	if got := ids(analytics.LogCollection); len(got) != 2 || got[0] != kept || got[1] != recent {
		t.Errorf("entries left %v, want %s %s (not %s %s)", got, kept, recent, old1, old2)
	}
	if got := ids(analytics.ClickCollection); len(got) != 1 || got[0] != kept {
		t.Errorf("clicks left %v, want %s", got, kept)
	}
	if n, err := analytics.Prune(context.Background(), e.Store, now.Add(-analytics.DefaultRetention)); err != nil || n != 0 {
		t.Errorf("a second sweep pruned %d (%v)", n, err)
	}
}
