package schedulehttp_test

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/schedule"
	"zhengwu/officeapi/schedule/schedulehttp"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/schedule"

// The test clock starts on Monday 2026-03-02 09:00 (ISO week 2026-W10);
// next week, 2026-W11, is due on Thursday 2026-03-05 17:00.
const (
	thisWeek = "2026-W10"
	week     = "2026-W11"
	monday   = "2026-03-09"
	tuesday  = "2026-03-10"
)

// newEnv is the demo office with the schedule mounted and three leaders
// listed by 综合处's clerk (schedule_clerk): 省长, 常务副省长 and the
// director (秘书长, the one with an account).
func newEnv(t *testing.T) (*officetest.Env, *schedule.Service) {
	e := officetest.New(t)
	svc, err := schedule.New(e.Deps("schedule"))
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, schedulehttp.Routes(svc, e.Tokens))
	r := e.Do("PUT", base+"/leaders", e.TokenOf("clerk"), map[string]any{"leaders": []map[string]any{
		{"id": "l1", "name": "王振华", "title": "省长"}, {"id": "l2", "name": "刘建明", "title": "常务副省长"},
		{"id": "l9", "name": "王建国", "title": "秘书长", "userId": e.UserID("director")}}})
	if r.Status != 200 {
		t.Fatalf("leaders: %d %s", r.Status, r.Body)
	}
	return e, svc
}

func entry(kv ...any) map[string]any {
	in := map[string]any{"leaderId": "l1", "date": monday, "period": "上午", "start": "09:00", "end": "11:30",
		"type": "会议", "content": "主持召开省政府常务会议", "place": "省政府第一会议室", "city": "合肥"}
	for i := 0; i < len(kv); i += 2 {
		in[kv[i].(string)] = kv[i+1]
	}
	return in
}

func submit(t *testing.T, e *officetest.Env, user string, body map[string]any) string {
	t.Helper()
	r := e.Do("POST", base+"/entries", e.TokenOf(user), body)
	if r.Status != 201 {
		t.Fatalf("submit as %s: %d %s", user, r.Status, r.Body)
	}
	return r.JSON()["id"].(string)
}

func grid(t *testing.T, e *officetest.Env, user, w string) schedule.Grid {
	t.Helper()
	var g schedule.Grid
	r := e.Do("GET", base+"/weeks/"+w, e.TokenOf(user), nil)
	if r.Status != 200 {
		t.Fatalf("grid as %s: %d %s", user, r.Status, r.Body)
	}
	r.Decode(t, &g)
	return g
}

// cell is the entries' ids in one leader's cell of the grid.
func cell(g schedule.Grid, leader, date, period string) []string {
	out := []string{}
	for _, r := range g.Rows {
		for _, c := range r.Cells {
			if r.Leader.ID == leader && c.Date == date && c.Period == period {
				for _, en := range c.Entries {
					out = append(out, en.ID)
				}
			}
		}
	}
	return out
}

func desk(t *testing.T, e *officetest.Env, user string) desktop.View {
	var v desktop.View
	e.Do("GET", "/api/office/v1/desktop", e.TokenOf(user), nil).Decode(t, &v)
	return v
}

func hasPanel(v desktop.View, key string) bool {
	return slices.ContainsFunc(v.Panels, func(p desktop.Panel) bool { return p.Key == key })
}

func TestSubmitCompileApprovePublish(t *testing.T) {
	e, _ := newEnv(t)
	api := officeapi.API(e.Routes)
	// 秘书二处's head (dept_head: submits, views) files three activities,
	// two of them overlapping for the 省长; 省发改委's head one more.
	r := e.Do("POST", base+"/entries", e.TokenOf("chuzhang"), entry())
	openapitest.Response(t, api, "POST", "/schedule/entries", r.Status, r.Body)
	meeting := r.JSON()["id"].(string)
	if v := r.JSON(); r.Status != 201 || v["state"] != "submitted" || v["late"] != false || v["department"] != "mishu2" ||
		v["leaderName"] != "王振华" || v["week"] != week || !strings.HasPrefix(meeting, week+".") {
		t.Fatalf("submitted: %d %s", r.Status, r.Body)
	}
	clash := submit(t, e, "chuzhang", entry("start", "10:30", "end", "12:00", "type", "会见", "content", "会见省工商联代表"))
	evening := submit(t, e, "chuzhang", entry("period", "晚上", "start", "19:30", "end", "21:00", "type", "外事", "content", "宴请外宾"))
	trip := submit(t, e, "fgwhead", entry("leaderId", "l2", "endDate", "2026-03-11", "period", "上午", "start", "08:30", "end", "17:30",
		"type", "调研", "content", "赴芜湖调研先进制造业", "place", "芜湖市", "city", "芜湖"))

	// Before the compile: viewers see that the week is not published, and
	// nothing of it; the office (the clerk, the approving director) sees
	// the submissions as pending.
	if g := grid(t, e, "chuzhang", week); g.Published || g.State != "open" || len(cell(g, "l1", monday, "上午")) != 0 || len(g.Pending) != 0 {
		t.Fatalf("a viewer sees an unpublished week: %+v", g)
	}
	if g := grid(t, e, "clerk", week); len(g.Pending) != 4 {
		t.Fatalf("the office's pending: %d", len(g.Pending))
	}
	r = e.Do("GET", base+"/weeks/"+week, e.TokenOf("clerk"), nil)
	openapitest.Response(t, api, "GET", "/schedule/weeks/{week}", r.Status, r.Body)

	// Compile: the overlap is flagged, and approval refused until resolved.
	r = e.Do("POST", base+"/weeks/"+week+"/compile", e.TokenOf("clerk"), nil)
	openapitest.Response(t, api, "POST", "/schedule/weeks/{week}/compile", r.Status, r.Body)
	var wv schedule.WeekView
	r.Decode(t, &wv)
	if wv.State != "compiled" || len(wv.Conflicts) != 1 || wv.Entries != 4 || wv.Pending != 0 ||
		!(wv.Conflicts[0].A == meeting && wv.Conflicts[0].B == clash || wv.Conflicts[0].A == clash && wv.Conflicts[0].B == meeting) {
		t.Fatalf("compiled: %s", r.Body)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/weeks/"+week+"/approve", e.TokenOf("director"), nil), 409, schedule.CodeConflict)
	if r := e.Do("POST", base+"/entries/"+clash+"/return", e.TokenOf("clerk"), map[string]any{"comment": "与常务会议时间冲突，请改期"}); r.JSON()["state"] != "returned" {
		t.Fatalf("return: %s", r.Body)
	}
	// A new submission after the compile waits for the next one.
	late := submit(t, e, "chuzhang", entry("leaderId", "l9", "date", tuesday, "period", "下午", "start", "15:00", "end", "16:00", "content", "听取信息工作汇报"))
	r = e.Do("POST", base+"/weeks/"+week+"/approve", e.TokenOf("director"), nil)
	if p := testkit.WantProblem(t, r, 409, schedule.CodeConflict); p["pending"] != 1.0 {
		t.Fatalf("approval with a pending submission: %s", r.Body)
	}
	if r := e.Do("POST", base+"/weeks/"+week+"/compile", e.TokenOf("clerk"), nil); r.JSON()["pending"] != 0.0 || len(r.JSON()["conflicts"].([]any)) != 0 {
		t.Fatalf("recompile: %s", r.Body)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/weeks/"+week+"/publish", e.TokenOf("clerk"), nil), 409, "invalid_state")
	r = e.Do("POST", base+"/weeks/"+week+"/approve", e.TokenOf("director"), nil)
	openapitest.Response(t, api, "POST", "/schedule/weeks/{week}/approve", r.Status, r.Body)
	if r.JSON()["state"] != "approved" {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	if r := e.Do("POST", base+"/weeks/"+week+"/publish", e.TokenOf("clerk"), nil); r.JSON()["state"] != "published" {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}

	// Published: the viewers see it by leader, day and part of the day;
	// an activity over several days in the days after too.
	g := grid(t, e, "chuzhang", week)
	if !g.Published || len(g.Pending) != 0 || len(g.Conflicts) != 0 {
		t.Fatalf("the viewer's published grid: %+v", g)
	}
	for _, c := range []struct {
		leader, date, period string
		want                 []string
	}{
		{"l1", monday, "上午", []string{meeting}}, {"l1", monday, "晚上", []string{evening}}, {"l1", monday, "下午", []string{}},
		{"l2", monday, "上午", []string{trip}}, {"l2", tuesday, "下午", []string{trip}}, {"l2", "2026-03-11", "上午", []string{trip}},
		{"l2", "2026-03-11", "晚上", []string{}}, {"l9", tuesday, "下午", []string{late}},
	} {
		if got := cell(g, c.leader, c.date, c.period); !slices.Equal(got, c.want) {
			t.Errorf("%s %s %s: %v, want %v", c.leader, c.date, c.period, got, c.want)
		}
	}
	if len(g.Rows) != 3 || g.Rows[0].Leader.Title != "省长" || len(g.Days) != 7 || g.Days[0].Weekday != "周一" || g.Prev != "2026-W10" || g.Next != "2026-W12" {
		t.Fatalf("the grid's frame: %+v", g)
	}
	for _, action := range []string{"schedule.week.compile", "schedule.week.approve", "schedule.week.publish"} {
		if en := e.Audited(action, schedule.WeekCollection+"/"+week); len(en) == 0 || en[len(en)-1].Outcome != audit.Success {
			t.Errorf("audit of %s: %+v", action, en)
		}
	}
	if en := e.Audited("schedule.entry.submit", schedule.Collection+"/"+meeting); len(en) != 1 {
		t.Errorf("audit of the submission: %+v", en)
	}
}

// Changes after publishing: only the office makes them, each is in the
// week's log with before and after, on the viewers' desktops to read.
func TestChangesAfterPublishing(t *testing.T) {
	e, _ := newEnv(t)
	id := submit(t, e, "chuzhang", entry("type", "会见", "content", "会见德国巴伐利亚州经济代表团", "period", "下午", "start", "15:00", "end", "16:30"))
	other := submit(t, e, "chuzhang", entry("leaderId", "l2"))
	publish(t, e, week)
	if v := desk(t, e, "chuzhang"); !hasPanel(v, "schedule.week") || len(v.ToRead) != 0 {
		t.Fatalf("before any change: %+v", v)
	}
	// The submitter may no longer change it.
	testkit.WantProblem(t, e.Do("PUT", base+"/entries/"+id, e.TokenOf("chuzhang"), entry("start", "16:00", "end", "17:30", "period", "下午")), 409, "invalid_state")
	testkit.WantProblem(t, e.Do("POST", base+"/entries", e.TokenOf("chuzhang"), entry("date", tuesday)), 409, "invalid_state")
	r := e.Do("PUT", base+"/entries/"+id, e.TokenOf("clerk"), entry("type", "会见", "content", "会见德国巴伐利亚州经济代表团",
		"period", "下午", "start", "16:00", "end", "17:30", "place", "稻香楼宾馆1号楼"))
	openapitest.Response(t, officeapi.API(e.Routes), "PUT", "/schedule/entries/{id}", r.Status, r.Body)
	if r.JSON()["state"] != "changed" {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	e.Do("POST", base+"/entries/"+other+"/cancel", e.TokenOf("clerk"), map[string]any{"comment": "领导另有安排"})
	added := submit(t, e, "clerk", entry("leaderId", "l9", "date", tuesday, "department", "xinxi", "content", "出席全省政务信息工作会议"))
	g := grid(t, e, "chuzhang", week)
	if len(g.Changes) != 3 {
		t.Fatalf("changes: %+v", g.Changes)
	}
	c := g.Changes[0]
	if c.Kind != "changed" || c.EntryID != id || c.Before.Start != "15:00" || c.After.Start != "16:00" || c.Before.Place != "省政府第一会议室" ||
		!slices.Equal(c.Fields, []string{"时间", "地点"}) || c.ByName != "张明华" {
		t.Fatalf("the change: %+v", c)
	}
	if c := g.Changes[1]; c.Kind != "cancelled" || c.After.State != "cancelled" || c.Before.State != "scheduled" {
		t.Fatalf("the cancellation: %+v", c)
	}
	if c := g.Changes[2]; c.Kind != "added" || c.EntryID != added || c.Before != nil {
		t.Fatalf("the addition: %+v", c)
	}
	if got := cell(g, "l9", tuesday, "上午"); !slices.Equal(got, []string{added}) {
		t.Fatalf("the added entry is not on the grid: %v", got)
	}
	// Re-notified: each change is on the viewers' desktops to read, not
	// on the desktop of someone without schedule.view.
	v := desk(t, e, "chuzhang")
	if len(v.ToRead) != 3 || !strings.Contains(v.ToRead[0].Title+v.ToRead[1].Title+v.ToRead[2].Title, "巴伐利亚") {
		t.Fatalf("the viewer's to-read: %+v", v.ToRead)
	}
	if v := desk(t, e, "director"); len(v.ToRead) < 3 {
		t.Fatalf("the director's to-read: %+v", v.ToRead)
	}
	// A week after, the notices are gone; the log stays.
	e.Clock.Advance(8 * 24 * time.Hour)
	maps.DeleteFunc(e.TokenCache(), func(string, string) bool { return true })
	if v := desk(t, e, "chuzhang"); len(v.ToRead) != 0 {
		t.Fatalf("old changes still to read: %+v", v.ToRead)
	}
}

// publish compiles, approves and publishes a week.
func publish(t *testing.T, e *officetest.Env, w string) {
	t.Helper()
	for _, step := range []struct{ user, action string }{{"clerk", "compile"}, {"director", "approve"}, {"clerk", "publish"}} {
		if r := e.Do("POST", base+"/weeks/"+w+"/"+step.action, e.TokenOf(step.user), nil); r.Status != 200 {
			t.Fatalf("%s: %d %s", step.action, r.Status, r.Body)
		}
	}
}

func TestDeadlineAndLateSubmissions(t *testing.T) {
	e, _ := newEnv(t)
	if r := e.Do("POST", base+"/entries", e.TokenOf("chuzhang"), entry()); r.JSON()["late"] != false {
		t.Fatalf("before the deadline: %s", r.Body)
	}
	// This week's was due last Thursday: accepted, marked late.
	if r := e.Do("POST", base+"/entries", e.TokenOf("chuzhang"), entry("date", "2026-03-04")); r.Status != 201 || r.JSON()["late"] != true {
		t.Fatalf("after the deadline: %d %s", r.Status, r.Body)
	}
	// Thursday 17:00 passes: next week's are late now.
	e.Clock.Set(time.Date(2026, 3, 5, 17, 0, 1, 0, schedule.China))
	maps.DeleteFunc(e.TokenCache(), func(string, string) bool { return true })
	if r := e.Do("POST", base+"/entries", e.TokenOf("chuzhang"), entry()); r.JSON()["late"] != true {
		t.Fatalf("a minute after the deadline: %s", r.Body)
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "a day past", Method: "POST", Path: base + "/entries", Token: e.TokenOf("chuzhang"),
			Body: entry("date", "2026-03-04"), Status: 400, Field: "date"},
		// The office records what happened anyway (a phone call, say).
		testkit.Scenario{Name: "the office may record a past day", Method: "POST", Path: base + "/entries", Token: e.TokenOf("clerk"),
			Body: entry("date", "2026-03-04", "department", "mishu2"), Status: 201, Contains: []string{`"late":true`}},
	)
}

func TestRefusalsAndBadInput(t *testing.T) {
	e, _ := newEnv(t)
	id := submit(t, e, "chuzhang", entry())
	fgw := submit(t, e, "fgwhead", entry("leaderId", "l2"))
	staff, head, clerk, director := e.TokenOf("staff"), e.TokenOf("chuzhang"), e.TokenOf("clerk"), e.TokenOf("director")
	// Someone who compiles and approves: never both for one week.
	both := e.Token(testkit.Principal("both", classification.Jimi, []string{"zonghe"},
		testkit.Holds(auth.PermScheduleCompile, auth.OfficeWide), testkit.Holds(auth.PermScheduleApprove, auth.OfficeWide)))
	long := strings.Repeat("长", 501)
	post := func(name string, body map[string]any, field string) testkit.Scenario {
		return testkit.Scenario{Name: name, Method: "POST", Path: base + "/entries", Token: head, Body: body, Status: 400, Field: field}
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "staff submit nothing", Method: "POST", Path: base + "/entries", Token: staff, Body: entry(), Status: 403},
		testkit.Scenario{Name: "nor read an entry", Method: "GET", Path: base + "/entries/" + id, Token: staff, Status: 404},
		testkit.Scenario{Name: "nor list", Method: "GET", Path: base + "/entries", Token: staff, Status: 403},
		testkit.Scenario{Name: "another department's entry is not listed", Method: "GET", Path: base + "/entries", Token: head, Status: 200, NotContains: []string{fgw}},
		testkit.Scenario{Name: "nor read", Method: "GET", Path: base + "/entries/" + fgw, Token: head, Status: 404},
		testkit.Scenario{Name: "the office reads it", Method: "GET", Path: base + "/entries/" + fgw, Token: clerk, Status: 200},
		testkit.Scenario{Name: "only the submitter withdraws", Method: "POST", Path: base + "/entries/" + id + "/withdraw", Token: clerk, Status: 403},
		testkit.Scenario{Name: "a department does not compile", Method: "POST", Path: base + "/weeks/" + week + "/compile", Token: head, Status: 403},
		testkit.Scenario{Name: "a leader does not compile", Method: "POST", Path: base + "/weeks/" + week + "/compile", Token: director, Status: 403},
		testkit.Scenario{Name: "nothing to approve yet", Method: "POST", Path: base + "/weeks/" + week + "/approve", Token: director, Status: 409, Code: "invalid_state"},
		testkit.Scenario{Name: "return needs a reason", Method: "POST", Path: base + "/entries/" + id + "/return", Token: clerk, Body: map[string]any{}, Status: 400, Field: "comment"},
		testkit.Scenario{Name: "cancel is for published weeks", Method: "POST", Path: base + "/entries/" + id + "/cancel", Token: clerk, Status: 409},
		testkit.Scenario{Name: "staff see no week", Method: "GET", Path: base + "/weeks/" + week, Token: staff, Status: 403},
		testkit.Scenario{Name: "staff see no statistics", Method: "GET", Path: base + "/stats?from=2026-03-01&to=2026-03-31", Token: staff, Status: 403},
		testkit.Scenario{Name: "nor exports", Method: "GET", Path: base + "/stats.xlsx?from=2026-03-01&to=2026-03-31", Token: staff, Status: 403},
		testkit.Scenario{Name: "nor the leaders", Method: "GET", Path: base + "/leaders", Token: staff, Status: 403},
		testkit.Scenario{Name: "a department does not list leaders", Method: "PUT", Path: base + "/leaders", Token: head,
			Body: map[string]any{"leaders": []map[string]any{{"name": "甲", "title": "省长"}}}, Status: 403},
		testkit.Scenario{Name: "a stale leaders list", Method: "PUT", Path: base + "/leaders", Token: clerk,
			Body: map[string]any{"leaders": []map[string]any{{"name": "甲", "title": "省长"}}, "version": 0}, Status: 409},
		testkit.Scenario{Name: "week: no ISO week", Method: "GET", Path: base + "/weeks/2026-50", Token: head, Status: 400, Field: "week"},
		testkit.Scenario{Name: "week: no week 53 in 2027", Method: "GET", Path: base + "/weeks/2027-W53", Token: head, Status: 400, Field: "week"},
		testkit.Scenario{Name: "week: zero", Method: "GET", Path: base + "/weeks/2026-W00", Token: head, Status: 400, Field: "week"},
		testkit.Scenario{Name: "week of a compile", Method: "POST", Path: base + "/weeks/x/compile", Token: clerk, Status: 400, Field: "week"},
		testkit.Scenario{Name: "a malformed entry id", Method: "PUT", Path: base + "/entries/nope", Token: clerk, Body: entry(), Status: 404},
		post("no such leader", entry("leaderId", "l7"), "leaderId"),
		post("end before start", entry("end", "08:00"), "end"),
		post("the period of the start", entry("start", "14:00", "end", "15:00"), "period"),
		post("no such period", entry("period", "中午"), "period"),
		post("no such type", entry("type", "宴请"), "type"),
		post("not a date", entry("date", "3月9日"), "date"),
		post("not a time", entry("start", "9点"), "start"),
		post("last day before the first", entry("endDate", "2026-03-08"), "endDate"),
		post("content too long", entry("content", long), "content"),
		post("no place", entry("place", "  "), "place"),
		post("another's department", entry("department", "xinxi"), "department"),
		post("no such classification", entry("classification", "内部"), "classification"),
		testkit.Scenario{Name: "stats: to before from", Method: "GET", Path: base + "/stats?from=2026-03-31&to=2026-03-01", Token: head, Status: 400, Field: "to"},
		testkit.Scenario{Name: "stats: no dates", Method: "GET", Path: base + "/stats", Token: head, Status: 400, Field: "from"},
		testkit.Scenario{Name: "stats: over a year", Method: "GET", Path: base + "/stats?from=2025-01-01&to=2026-03-01", Token: head, Status: 400, Field: "to"},
		testkit.Scenario{Name: "withdraw while submitted", Method: "POST", Path: base + "/entries/" + id + "/withdraw", Token: head, Status: 200, Contains: []string{`"state":"withdrawn"`}},
		testkit.Scenario{Name: "withdraw twice", Method: "POST", Path: base + "/entries/" + id + "/withdraw", Token: head, Status: 409, Code: "invalid_state"},
	)
	// Self-review: who compiled a week does not approve it.
	if r := e.Do("POST", base+"/weeks/"+week+"/compile", both, nil); r.Status != 200 {
		t.Fatalf("compile: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/weeks/"+week+"/approve", both, nil), 403, "self_review")
	if en := e.Audited("schedule.week.approve", schedule.WeekCollection+"/"+week); len(en) != 2 || en[1].Outcome != audit.Failure || en[1].Reason != "self_review" {
		t.Errorf("the refused self-approval's audit: %+v", en)
	}
}

// An approval and a recompile at once: one wins, the other is told the
// state moved on.
func TestConcurrentStepsOneWins(t *testing.T) {
	e, _ := newEnv(t)
	submit(t, e, "chuzhang", entry())
	e.Do("POST", base+"/weeks/"+week+"/compile", e.TokenOf("clerk"), nil)
	e.Do("POST", base+"/weeks/"+week+"/approve", e.TokenOf("director"), nil)
	var wg sync.WaitGroup
	status := make([]int, 2)
	for i, step := range []struct{ user, action string }{{"clerk", "publish"}, {"clerk", "publish"}} {
		path, tok := base+"/weeks/"+week+"/"+step.action, e.TokenOf(step.user)
		wg.Go(func() { status[i] = testkit.Do(t, e.App, "POST", path, tok, nil).Status })
	}
	wg.Wait()
	if slices.Sort(status); status[0] != 200 || status[1] != 409 {
		t.Fatalf("statuses %v, want one 200 and one 409", status)
	}
}

// Without schedule.view nothing of the schedule shows: not the week (API),
// not a panel or a change (desktop). The search side: the schedule has no
// search projection (cmd/zhengwu's TestScheduleNotInSearch).
func TestInvisibleWithoutThePermission(t *testing.T) {
	e, _ := newEnv(t)
	id := submit(t, e, "chuzhang", entry("content", "会见新加坡贸工部长"))
	publish(t, e, week)
	e.Do("PUT", base+"/entries/"+id, e.TokenOf("clerk"), entry("content", "会见新加坡贸工部长", "start", "10:00"))
	e.Clock.Advance(7 * 24 * time.Hour) // week W11 is this week now
	maps.DeleteFunc(e.TokenCache(), func(string, string) bool { return true })
	staff := e.TokenOf("staff")
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "week", Method: "GET", Path: base + "/weeks/" + week, Token: staff, Status: 403, NotContains: []string{"新加坡"}},
		testkit.Scenario{Name: "entry", Method: "GET", Path: base + "/entries/" + id, Token: staff, Status: 404},
		testkit.Scenario{Name: "anonymous", Method: "GET", Path: base + "/weeks/" + week, Status: 401},
		testkit.Scenario{Name: "desktop", Method: "GET", Path: "/api/office/v1/desktop", Token: staff, Status: 200, NotContains: []string{"新加坡", "schedule"}},
	)
	// The same requests as a viewer do show it: the test could fail.
	v := desk(t, e, "chuzhang")
	if !hasPanel(v, "schedule.week") || len(v.ToRead) != 1 {
		t.Fatalf("the viewer's desktop: %+v", v)
	}
	if g := grid(t, e, "chuzhang", week); len(cell(g, "l1", monday, "上午")) != 1 {
		t.Fatalf("the viewer's grid: %+v", g.Rows)
	}
	// A classified activity is left out for a viewer without the clearance.
	low := e.Token(testkit.Principal("low", classification.Feimi, []string{"mishu1"}, testkit.Holds(auth.PermScheduleView, "mishu1")))
	e.Do("PUT", base+"/entries/"+id, e.TokenOf("clerk"), entry("content", "会见新加坡贸工部长", "start", "10:00", "classification", "秘密"))
	r := e.Do("GET", base+"/weeks/"+week, low, nil)
	if r.Status != 200 || strings.Contains(string(r.Body), "新加坡") {
		t.Fatalf("a 秘密 activity shown to a 非密 viewer: %d %s", r.Status, r.Body)
	}
}

// The office changes a compiled activity after the approval: the approval
// is void (the week waits for it again); an addition after publishing that
// overlaps another activity is flagged for the office.
func TestChangesVoidTheApprovalAndAreChecked(t *testing.T) {
	e, _ := newEnv(t)
	id := submit(t, e, "chuzhang", entry())
	for _, step := range []struct{ user, action string }{{"clerk", "compile"}, {"director", "approve"}} {
		e.Do("POST", base+"/weeks/"+week+"/"+step.action, e.TokenOf(step.user), nil)
	}
	if r := e.Do("PUT", base+"/entries/"+id, e.TokenOf("clerk"), entry("start", "09:30")); r.Status != 200 || r.JSON()["state"] != "scheduled" {
		t.Fatalf("the office's change: %d %s", r.Status, r.Body)
	}
	if g := grid(t, e, "clerk", week); g.State != "compiled" || g.Approved != nil {
		t.Fatalf("the approval stands after a change: %s %+v", g.State, g.Approved)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/weeks/"+week+"/publish", e.TokenOf("clerk"), nil), 409, "invalid_state")
	e.Do("POST", base+"/weeks/"+week+"/approve", e.TokenOf("director"), nil)
	if r := e.Do("POST", base+"/weeks/"+week+"/publish", e.TokenOf("clerk"), nil); r.Status != 200 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	added := submit(t, e, "clerk", entry("start", "11:00", "end", "12:00", "department", "mishu2", "content", "会见外宾"))
	g := grid(t, e, "clerk", week)
	// A and B are the two activities in the order of their start, not of
	// their (random) ids: compare them as a pair.
	if len(g.Conflicts) != 1 || !slices.Equal(sorted(g.Conflicts[0].A, g.Conflicts[0].B), sorted(id, added)) {
		t.Fatalf("the overlap the addition made: %+v", g.Conflicts)
	}
	if v := grid(t, e, "chuzhang", week); len(v.Conflicts) != 0 {
		t.Fatalf("a viewer is shown the office's conflicts: %+v", v.Conflicts)
	}
}

// sorted is ids in order, to compare pairs whatever their order.
func sorted(ids ...string) []string { slices.Sort(ids); return ids }
