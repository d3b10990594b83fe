package flowadminhttp_test

import (
	"context"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/flowadmin"
	"zhengwu/shared/audit"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

// edit2027 is a plausible 2027 劳动节 (1–5 May off, Sunday 25 April worked),
// over the edit at version.
func edit2027(version int64) map[string]any {
	return map[string]any{"year": 2027, "version": version,
		"source":   map[string]any{"title": "关于2027年部分节假日安排的通知（测试）"},
		"holidays": []map[string]any{{"name": "劳动节", "first": "2027-05-01", "last": "2027-05-05"}},
		"workdays": []map[string]any{{"date": "2027-04-25", "for": "劳动节"}}}
}

func TestTheCalendarIsEditedByYearAndAppliedAtOnce(t *testing.T) {
	e, _, cal := newEnv(t)
	api := officeapi.API(e.Routes)
	admin := e.TokenOf("officeadmin")

	r := e.Do("GET", base+"/calendar/2026", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/calendar/{year}", r.Status, r.Body)
	var y flowadmin.CalendarYear
	r.Decode(t, &y)
	if y.Origin != flowadmin.OriginShipped || len(y.Calendar.Holidays) == 0 || y.Calendar.Source.DocNo == "" || y.Version != 0 {
		t.Fatalf("2026: %s", r.Body)
	}
	r = e.Do("GET", base+"/calendar/2027", admin, nil)
	r.Decode(t, &y)
	if y.Origin != flowadmin.OriginNone || len(y.Calendar.Holidays) != 0 || cal.Live().Current().Known(2027) {
		t.Fatalf("2027 before: %s", r.Body)
	}

	// Refused by workcal's rules, naming the field: a make-up day on a
	// Monday, a period in another year.
	bad := edit2027(0)
	bad["workdays"] = []map[string]any{{"date": "2027-04-26", "for": "劳动节"}}
	r = e.Do("PUT", base+"/calendar/2027", admin, bad)
	testkit.WantProblem(t, r, 400, problem.CodeInvalid)
	if !hasField(r, "workdays[0].date") {
		t.Fatalf("bad make-up day: %s", r.Body)
	}
	bad = edit2027(0)
	bad["holidays"] = []map[string]any{{"name": "劳动节", "first": "2028-05-01", "last": "2028-05-05"}}
	if r = e.Do("PUT", base+"/calendar/2027", admin, bad); !hasField(r, "holidays[0].first") {
		t.Fatalf("a period in another year: %d %s", r.Status, r.Body)
	}
	bad = edit2027(0)
	bad["year"] = 2028
	testkit.WantProblem(t, e.Do("PUT", base+"/calendar/2027", admin, bad), 400, problem.CodeInvalid)
	testkit.WantProblem(t, e.Do("GET", base+"/calendar/1900", admin, nil), 404, problem.CodeNotFound)

	r = e.Do("PUT", base+"/calendar/2027", admin, edit2027(0))
	openapitest.Response(t, api, "PUT", "/calendar/{year}", r.Status, r.Body)
	r.Decode(t, &y)
	if r.Status != 200 || y.Origin != flowadmin.OriginEdited || y.Version == 0 || y.EditedBy != e.UserID("officeadmin") {
		t.Fatalf("saved: %d %s", r.Status, r.Body)
	}
	// In force at once: 30 April + 3 working days skips 1–5 May.
	c := cal.Live().Current()
	due, err := c.AddWorkdays(time.Date(2027, 4, 30, 10, 0, 0, 0, c.Location()), 3)
	if err != nil || due.Day() != 10 || !c.Known(2027) {
		t.Fatalf("due %v (%v), known %v", due, err, c.Known(2027))
	}
	if got := e.Audited("calendar.edit", flowadmin.CalendarCollection+"/2027"); len(got) != 1 || got[0].Outcome != audit.Success {
		t.Fatalf("audit: %+v", got)
	}
	// A second editor who read the year before the edit: 409.
	testkit.WantProblem(t, e.Do("PUT", base+"/calendar/2027", admin, edit2027(0)), 409, problem.CodeConflict)
	// Editing a shipped year keeps the notice beside the edit.
	r = e.Do("GET", base+"/calendar/2026", admin, nil)
	r.Decode(t, &y)
	shipped := y.Calendar
	shipped.Workdays = nil
	r = e.Do("PUT", base+"/calendar/2026", admin, map[string]any{"year": 2026, "source": shipped.Source, "holidays": shipped.Holidays, "version": 0})
	r.Decode(t, &y)
	if r.Status != 200 || y.Shipped == nil || len(y.Shipped.Workdays) == 0 || len(y.Calendar.Workdays) != 0 {
		t.Fatalf("2026 edited: %d %s", r.Status, r.Body)
	}

	// Another process (a fresh calendar on the same store) starts with the
	// edits, and takes one saved elsewhere at its next reload.
	ctx := context.Background()
	other, err := flowadmin.NewCalendar(ctx, flowadmin.Deps{Store: e.Store, Trail: e.Trail, Now: e.Clock.Now})
	if err != nil || !other.Live().Current().Known(2027) {
		t.Fatalf("a fresh process: %v", err)
	}
	edit := edit2027(0)
	edit["year"] = 2028
	edit["holidays"] = []map[string]any{{"name": "元旦", "first": "2028-01-01", "last": "2028-01-03"}}
	edit["workdays"] = []map[string]any{}
	if r := e.Do("PUT", base+"/calendar/2028", admin, edit); r.Status != 200 {
		t.Fatalf("2028: %d %s", r.Status, r.Body)
	}
	if other.Live().Current().Known(2028) {
		t.Fatal("the other process saw the edit before reloading")
	}
	if err := other.Reload(ctx); err != nil || !other.Live().Current().Known(2028) {
		t.Fatalf("after reloading: %v", err)
	}
}
