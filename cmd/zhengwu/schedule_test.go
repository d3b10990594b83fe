package main

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/schedule"
	"zhengwu/search/searchapi"
	"zhengwu/shared/testkit"
)

// The leaders' schedule is invisible to someone without schedule.view in
// the whole binary with its demo data: the week (API), the desktop, and
// the office search — which indexes nothing of the schedule, so that
// even a viewer finds its activities only on the schedule's own pages.
func TestScheduleInvisibleWithoutThePermission(t *testing.T) {
	srv, _ := matrixServer(t)
	ctx := context.Background()
	for _, pr := range srv.parts.projections() {
		if strings.HasPrefix(pr.Collection, "schedule_") {
			t.Fatalf("the %s index projects %s: the schedule's readers are decided by schedule.view, not by index tokens", pr.Index, pr.Collection)
		}
	}
	token := func(user string) string {
		p, err := srv.parts.identity.PrincipalByUsername(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := srv.parts.tokens.Issue(*p, "schedule-"+user)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	staff, director := token("staff"), token("director")
	week := "/api/office/v1/schedule/weeks/" + schedule.WeekOf(time.Now())
	// The demo's published week: its activities are there for a viewer…
	if status, _, body := matrixDo(t, srv, "GET", week, director, nil); status != 200 || !strings.Contains(string(body), "巴伐利亚") {
		t.Fatalf("the director's week: %d %s", status, short(body))
	}
	// …not for staff.
	if status, _, body := matrixDo(t, srv, "GET", week, staff, nil); status != 403 || strings.Contains(string(body), "巴伐利亚") {
		t.Fatalf("staff's week: %d %s", status, short(body))
	}
	desk := func(tok string) desktop.View {
		status, _, body := matrixDo(t, srv, "GET", "/api/office/v1/desktop", tok, nil)
		var v desktop.View
		if status != 200 || json.Unmarshal(body, &v) != nil {
			t.Fatalf("desktop: %d %s", status, short(body))
		}
		return v
	}
	isSchedule := func(e desktop.Entry) bool { return e.Source == "schedule" }
	if v := desk(director); !slices.ContainsFunc(v.Panels, func(p desktop.Panel) bool { return p.Key == "schedule.week" }) ||
		!slices.ContainsFunc(v.ToRead, isSchedule) {
		t.Fatalf("the director's desktop lacks the schedule: %+v", v)
	}
	if v := desk(staff); slices.ContainsFunc(v.Panels, func(p desktop.Panel) bool { return strings.HasPrefix(p.Key, "schedule") }) ||
		slices.ContainsFunc(v.ToRead, isSchedule) || slices.ContainsFunc(v.Todo, isSchedule) {
		t.Fatalf("staff's desktop shows the schedule: %+v", v)
	}
	// The office search: once it has indexed the demo's information item
	// on the same 政务信息工作会议, the schedule's activity of that name is
	// not among the hits, for the director either; nor the 会见.
	search := func(tok, q string) searchapi.Result {
		status, _, body := matrixDo(t, srv, "GET", "/api/search/v1/search?scope=office&q="+url.QueryEscape(q), tok, nil)
		var r searchapi.Result
		if status != 200 || json.Unmarshal(body, &r) != nil {
			t.Fatalf("search %q: %d %s", q, status, short(body))
		}
		return r
	}
	testkit.Eventually(t, 20*time.Second, "the office search indexes the demo information", func() bool {
		return search(director, "政务信息工作会议").Total > 0
	})
	for _, tok := range []string{director, staff} {
		for _, h := range search(tok, "政务信息工作会议").Hits {
			if strings.Contains(h.ID, "-W") || strings.Contains(h.Title, "出席") {
				t.Errorf("a schedule entry in the office search: %+v", h)
			}
		}
		if r := search(tok, "巴伐利亚"); r.Total != 0 {
			t.Errorf("the schedule's 会见 in the office search: %+v", r.Hits)
		}
	}
}
