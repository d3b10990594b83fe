package analytics_test

import (
	"context"
	"testing"
	"time"

	"zhengwu/search/analytics"
	"zhengwu/search/source"
	"zhengwu/shared/testkit"
)

var cst = source.ChinaTime

// The report's counts for one ISO week in China time: searches (first
// pages only), those that found nothing, those whose results nobody
// opened; other weeks and the office scope apart.
func TestWeeklyReportCounts(t *testing.T) {
	e := newEnv(t)
	w := analytics.Week{Year: 2026, Number: 10} // Monday 2 March 2026
	mon := time.Date(2026, 3, 2, 0, 0, 0, 0, cst)
	if !w.Start().Equal(mon) {
		t.Fatalf("2026-W10 starts %v, want %v", w.Start(), mon)
	}
	rec := func(q string, results uint64, page int, at time.Time, scope string) string {
		return e.log.Record(analytics.Entry{Query: q, Scope: scope, Results: results, Page: page, At: at})
	}
	in := mon.Add(10 * time.Hour)
	// 营商环境: 4 searches, 2 clicked, 2 not; a later page is no new search.
	a1 := rec("营商环境", 40, 1, in, source.PortalName)
	a2 := rec("營商環境", 40, 1, in.Add(time.Hour), source.PortalName) // traditional: the same query
	rec("营商环境", 40, 1, in.Add(2*time.Hour), source.PortalName)
	rec("营商环境 ", 40, 1, in.Add(3*time.Hour), source.PortalName)
	rec("营商环境", 40, 2, in.Add(4*time.Hour), source.PortalName)
	// 公基金: 3 searches, nothing found.
	for i := range 3 {
		rec("公基金", 0, 1, in.Add(time.Duration(i)*time.Hour), source.PortalName)
	}
	// 发改委: 2 searches, neither clicked.
	rec("发改委", 283, 1, in, source.PortalName)
	rec("发改委", 283, 1, in, source.PortalName)
	// The last instant of Sunday is in the week; Monday 00:00 of the next
	// and the Sunday before are not; nor is the office's search.
	rec("人才引进", 5, 1, w.End().Add(-time.Nanosecond), source.PortalName)
	rec("十四五规划", 5, 1, w.End(), source.PortalName)
	rec("十四五规划", 5, 1, mon.Add(-time.Second), source.PortalName)
	rec("营商环境", 3, 1, in, source.OfficeName)
	for _, id := range []string{a1, a2} {
		if err := e.log.Click(id, 1); err != nil {
			t.Fatal(err)
		}
	}
	e.flush()

	r, err := analytics.Report(context.Background(), e.Store, w, source.PortalName)
	if err != nil {
		t.Fatal(err)
	}
	if r.Week != "2026-W10" || r.Start != "2026-03-02" || r.Searches != 10 || r.Zero != 3 || r.Clicks != 2 || r.NoClick != 5 {
		t.Errorf("totals: %+v; want 2026-W10 from 2026-03-02, 10 searches, 3 zero, 2 clicked, 5 not", r)
	}
	want := func(name string, got []analytics.QueryCount, queries []string, counts []int, key func(analytics.QueryCount) int) {
		t.Helper()
		if len(got) != len(queries) {
			t.Fatalf("%s: %+v; want %v", name, got, queries)
		}
		for i := range got {
			if got[i].Query != queries[i] || key(got[i]) != counts[i] {
				t.Errorf("%s[%d] = %+v; want %s %d", name, i, got[i], queries[i], counts[i])
			}
		}
	}
	want("top", r.Top, []string{"营商环境", "公基金", "发改委", "人才引进"}, []int{4, 3, 2, 1},
		func(c analytics.QueryCount) int { return c.Searches })
	want("zero", r.ZeroResult, []string{"公基金"}, []int{3}, func(c analytics.QueryCount) int { return c.Zero })
	// Ties in pinyin order: 发改委 (fa) before 人才引进 (ren)... and 营商环境 2.
	want("no click", r.NoClicks, []string{"发改委", "营商环境", "人才引进"}, []int{2, 2, 1},
		func(c analytics.QueryCount) int { return c.NoClick })

	office, err := analytics.Report(context.Background(), e.Store, w, source.OfficeName)
	if err != nil {
		t.Fatal(err)
	}
	if office.Searches != 1 || len(office.Top) != 1 || office.Top[0].Query != "营商环境" {
		t.Errorf("office report: %+v", office)
	}
}

// The report through the API: the week named, this week by default, a
// malformed week refused naming the field.
func TestReportRoute(t *testing.T) {
	e := newEnv(t)
	e.save("p1", page{Title: "政府工作报告", Body: "全文"})
	e.search("政府工作报告", "")
	e.search("没有这个词语", "")
	e.flush()
	this := analytics.WeekOf(e.Clock.Now()).String()
	r := testkit.Do(t, e.app, "GET", "/api/search/v1/analytics/report", e.edit, nil)
	var rep analytics.WeekReport
	r.Decode(t, &rep)
	if r.Status != 200 || rep.Week != this || rep.Searches != 2 || rep.Zero != 1 || len(rep.ZeroResult) != 1 || rep.ZeroResult[0].Query != "没有这个词语" {
		t.Fatalf("this week's report: %d %s", r.Status, r.Body)
	}
	prev := analytics.WeekOf(e.Clock.Now()).Prev().String()
	r = testkit.Do(t, e.app, "GET", "/api/search/v1/analytics/report?week="+prev, e.edit, nil)
	r.Decode(t, &rep)
	if r.Status != 200 || rep.Week != prev || rep.Searches != 0 || rep.Top == nil {
		t.Fatalf("last week's report: %d %s", r.Status, r.Body)
	}
	testkit.Run(t, e.app,
		testkit.Scenario{Name: "week 54", Method: "GET", Path: "/api/search/v1/analytics/report?week=2026-W54", Token: e.edit, Status: 400, Code: "invalid", Field: "week"},
		testkit.Scenario{Name: "not a week", Method: "GET", Path: "/api/search/v1/analytics/report?week=last", Token: e.edit, Status: 400, Code: "invalid", Field: "week"},
		testkit.Scenario{Name: "anonymous", Method: "GET", Path: "/api/search/v1/analytics/report", Status: 401},
		testkit.Scenario{Name: "staff without the permission", Method: "GET", Path: "/api/search/v1/analytics/report",
			Token: e.Token(testkit.Principal("u-x", "非密", []string{"xinxi"})), Status: 403},
	)
}

// ISO weeks at the year's edges: 2026-01-01 is a Thursday (week 1 of
// 2026); 2027-01-01 a Friday (week 53 of 2026).
func TestWeeks(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 1, 1, 12, 0, 0, 0, cst), "2026-W01"},
		{time.Date(2025, 12, 29, 0, 0, 0, 0, cst), "2026-W01"},
		{time.Date(2027, 1, 1, 12, 0, 0, 0, cst), "2026-W53"},
		{time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC), "2026-W10"}, // Monday 00:30 in Beijing
	} {
		w := analytics.WeekOf(c.at)
		if w.String() != c.want {
			t.Errorf("WeekOf(%v) = %s, want %s", c.at, w, c.want)
		}
		if p, ok := analytics.ParseWeek(c.want); !ok || p != w || c.at.Before(p.Start()) || !c.at.Before(p.End()) {
			t.Errorf("ParseWeek(%s) = %v %v, [%v, %v) should hold %v", c.want, p, ok, p.Start(), p.End(), c.at)
		}
	}
	for _, bad := range []string{"2025-W53", "2026-W00", "2026W10", "2026-X10", ""} {
		if _, ok := analytics.ParseWeek(bad); ok {
			t.Errorf("ParseWeek(%q) accepted", bad)
		}
	}
}

// The demo's weeks of searches: this week's report is not empty, the
// three tables have rows, and a restart seeds nothing twice.
func TestSeedDemoOnce(t *testing.T) {
	e := newEnv(t)
	n, err := analytics.SeedDemo(context.Background(), e.Store, e.log)
	if err != nil || n < 100 {
		t.Fatalf("seeded %d (%v)", n, err)
	}
	again, err := analytics.SeedDemo(context.Background(), e.Store, e.log)
	if err != nil || again != 0 {
		t.Fatalf("a second seeding added %d (%v)", again, err)
	}
	last := analytics.WeekOf(e.Clock.Now()).Prev()
	r, err := analytics.Report(context.Background(), e.Store, last, source.PortalName)
	if err != nil {
		t.Fatal(err)
	}
	if r.Searches < 50 || len(r.Top) < 10 || len(r.ZeroResult) == 0 || len(r.NoClicks) == 0 || r.Clicks == 0 {
		t.Errorf("last week's demo report: %d searches, %d top, %d zero, %d no-click, %d clicks",
			r.Searches, len(r.Top), len(r.ZeroResult), len(r.NoClicks), r.Clicks)
	}
}
