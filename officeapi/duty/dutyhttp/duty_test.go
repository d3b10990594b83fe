package dutyhttp_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/duty"
	"zhengwu/officeapi/duty/dutyhttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/audit"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/duty"

// The test clock starts on 2026-03-02 at 09:00 in Shanghai: today's duty
// day is 2026-03-02.
const month, today = "2026-03", "2026-03-02"

func newEnv(t *testing.T) (*officetest.Env, *duty.Service) {
	e := officetest.New(t)
	svc, err := duty.New(duty.Deps{Deps: e.Deps("duty"), Directory: e.Identity})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, dutyhttp.Routes(svc, e.Tokens))
	return e, svc
}

// rotation is the test roster of day i of a month (from 0): leaders,
// mains and deputies by turns. On 2026-03-02 (i=1): 陈立新 leads, 林晓峰
// (zhiban1) is the main, 周丽 (reviewer) the deputy; on 03-03 王建国,
// 何静 (zhiban2), 张明华 (clerk); 李文静 (editor) is the deputy on 03-08.
func rotation(e *officetest.Env, i int) (leader, main, deputy string) {
	leaders := []string{"director", "fumishuzhang"}
	mains := []string{"zhibanzhuren", "zhiban1", "zhiban2"}
	deputies := []string{"editor", "reviewer", "clerk", "staff", "chuzhang", "printer", "officeadmin"}
	return leaders[i%2], mains[i%3], deputies[i%7]
}

func days(e *officetest.Env, m string) []map[string]any {
	first, _ := time.Parse(duty.MonthLayout, m)
	var out []map[string]any
	for d, i := first, 0; d.Month() == first.Month(); d, i = d.AddDate(0, 0, 1), i+1 {
		l, mn, dp := rotation(e, i)
		out = append(out, map[string]any{"date": d.Format(duty.DateLayout), "leader": e.UserID(l), "main": e.UserID(mn), "deputy": e.UserID(dp)})
	}
	return out
}

// publish drafts and publishes the month's roster as 值班室's head.
func publish(t *testing.T, e *officetest.Env, m string) {
	t.Helper()
	head := e.TokenOf("zhibanzhuren")
	if r := e.Do("PUT", base+"/rosters/"+m, head, map[string]any{"days": days(e, m)}); r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	if r := e.Do("POST", base+"/rosters/"+m+"/publish", head, nil); r.Status != 200 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
}

func idOf(t *testing.T, r testkit.Response) string {
	t.Helper()
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	return r.JSON()["id"].(string)
}

// desk is a person's desktop after every write so far (testkit.Run's
// too, which e.LastSeq does not see: the lists catch up first).
func desk(t *testing.T, e *officetest.Env, svc *duty.Service, user string) desktop.View {
	t.Helper()
	if err := svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	var v desktop.View
	e.Do("GET", "/api/office/v1/desktop", e.TokenOf(user), nil).Decode(t, &v)
	return v
}

// succeeded are the successful audit entries of an action on a target.
func succeeded(e *officetest.Env, action, target string) int {
	n := 0
	for _, en := range e.Audited(action, target) {
		if en.Outcome == audit.Success {
			n++
		}
	}
	return n
}

// listed are the ids of a list of the log as user sees it after every
// write so far.
func listed(t *testing.T, e *officetest.Env, svc *duty.Service, user string, query url.Values) []string {
	t.Helper()
	if err := svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	var page duty.EntryPage
	e.Do("GET", base+"/logs?"+query.Encode(), e.TokenOf(user), nil).Decode(t, &page)
	out := []string{}
	for _, it := range page.Items {
		out = append(out, it.ID)
	}
	return out
}

func todo(v desktop.View, id, action string) bool {
	return slices.ContainsFunc(v.Todo, func(en desktop.Entry) bool { return en.ID == id && en.Action == action })
}

func TestRosterValidation(t *testing.T) {
	e, svc := newEnv(t)
	api := officeapi.API(e.Routes)
	head, staff := e.TokenOf("zhibanzhuren"), e.TokenOf("staff")
	day := func(date, leader, main, deputy string) map[string]any {
		return map[string]any{"date": date, "leader": e.UserID(leader), "main": e.UserID(main), "deputy": e.UserID(deputy)}
	}
	roster := func(ds ...map[string]any) map[string]any { return map[string]any{"days": ds} }
	path := base + "/rosters/" + month
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "one person twice on a shift", Method: "PUT", Path: path, Token: head,
			Body: roster(day("2026-03-01", "director", "zhiban1", "zhiban1")), Status: 400, Field: "days[0].deputy", Contains: []string{"同一班次不得重复安排同一人"}},
		testkit.Scenario{Name: "the leader must hold a leader role", Method: "PUT", Path: path, Token: head,
			Body: roster(day("2026-03-01", "staff", "zhiban1", "editor")), Status: 400, Field: "days[0].leader", Contains: []string{"不是带班领导"}},
		testkit.Scenario{Name: "the main must be a duty officer", Method: "PUT", Path: path, Token: head,
			Body: roster(day("2026-03-01", "director", "editor", "staff")), Status: 400, Field: "days[0].main"},
		testkit.Scenario{Name: "the deputy must be staff of the office, not of another unit", Method: "PUT", Path: path, Token: head,
			Body: roster(day("2026-03-01", "director", "zhiban1", "hfclerk")), Status: 400, Field: "days[0].deputy"},
		testkit.Scenario{Name: "a day outside the month", Method: "PUT", Path: path, Token: head,
			Body: roster(day("2026-04-01", "director", "zhiban1", "staff")), Status: 400, Field: "days[0].date"},
		testkit.Scenario{Name: "a day twice", Method: "PUT", Path: path, Token: head,
			Body: roster(day("2026-03-01", "director", "zhiban1", "staff"), day("2026-03-01", "director", "zhiban2", "editor")), Status: 400, Field: "days[1].date"},
		testkit.Scenario{Name: "no such person", Method: "PUT", Path: path, Token: head,
			Body: roster(map[string]any{"date": "2026-03-01", "leader": "nobody", "main": e.UserID("zhiban1"), "deputy": e.UserID("staff")}), Status: 400, Field: "days[0].leader"},
		testkit.Scenario{Name: "not a month", Method: "PUT", Path: base + "/rosters/2026-13", Token: head,
			Body: roster(day("2026-03-01", "director", "zhiban1", "staff")), Status: 400, Field: "month"},
		testkit.Scenario{Name: "only 值班室 drafts", Method: "PUT", Path: path, Token: staff,
			Body: roster(day("2026-03-01", "director", "zhiban1", "staff")), Status: 403},
		testkit.Scenario{Name: "a partial draft", Method: "PUT", Path: path, Token: head,
			Body: roster(day("2026-03-01", "director", "zhiban1", "staff")), Status: 200, Contains: []string{`"state":"draft"`, `"name":"林晓峰"`}},
		testkit.Scenario{Name: "a draft is 值班室's", Method: "GET", Path: path, Token: staff, Status: 404},
		testkit.Scenario{Name: "a month not covered is not published", Method: "POST", Path: path + "/publish", Token: head, Status: 400, Field: "days", Contains: []string{"3月2日"}},
		testkit.Scenario{Name: "a stale draft", Method: "PUT", Path: path, Token: head,
			Body: map[string]any{"days": days(e, month), "version": 7}, Status: 409},
		testkit.Scenario{Name: "the whole month", Method: "PUT", Path: path, Token: head,
			Body: map[string]any{"days": days(e, month), "version": 1}, Status: 200},
		testkit.Scenario{Name: "publish", Method: "POST", Path: path + "/publish", Token: head, Status: 200, Contains: []string{`"state":"published"`}},
		testkit.Scenario{Name: "everyone reads the published roster", Method: "GET", Path: path, Token: staff, Status: 200, Contains: []string{"陈立新", "何静"}},
		testkit.Scenario{Name: "a published roster changes only by swaps", Method: "PUT", Path: path, Token: head,
			Body: map[string]any{"days": days(e, month), "version": 2}, Status: 409, Code: "invalid_state"},
	)
	r := e.Do("GET", path, staff, nil)
	openapitest.Response(t, api, "GET", "/duty/rosters/{month}", r.Status, r.Body)
	// Whom 值班室 may put on a roster.
	var people duty.People
	r = e.Do("GET", base+"/people", head, nil)
	openapitest.Response(t, api, "GET", "/duty/people", r.Status, r.Body)
	r.Decode(t, &people)
	names := func(ps []duty.Person) (out []string) {
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	if got := names(people.Leaders); !slices.Equal(got, []string{"陈立新", "王建国"}) {
		t.Errorf("leaders: %v", got)
	}
	if got := names(people.Officers); !slices.Equal(got, []string{"何静", "林晓峰", "马国庆"}) {
		t.Errorf("officers: %v", got)
	}
	if got := names(people.Staff); !slices.Contains(got, "陈晓燕") || slices.Contains(got, "孙丽娟") {
		t.Errorf("staff (the office's, not 合肥's): %v", got)
	}
	testkit.Run(t, e.App, testkit.Scenario{Name: "only 值班室 lists people", Method: "GET", Path: base + "/people", Token: staff, Status: 403})
	// Each person sees their own duties: 周丽 is today's deputy.
	var mine []duty.MyDuty
	e.Do("GET", base+"/mine", e.TokenOf("reviewer"), nil).Decode(t, &mine)
	if len(mine) == 0 || mine[0] != (duty.MyDuty{Date: today, Position: duty.PosDeputy, LeaderName: "陈立新"}) {
		t.Fatalf("周丽's duties: %+v", mine)
	}
	v := desk(t, e, svc, "reviewer")
	if i := slices.IndexFunc(v.Panels, func(p desktop.Panel) bool { return p.Key == "duty.mine" }); i < 0 || !strings.Contains(v.Panels[i].Items[0].Title, today) {
		t.Fatalf("the desktop lacks 周丽's duty: %+v", v.Panels)
	}
	if n := succeeded(e, "duty.roster.publish", duty.RosterCollection+"/"+month); n != 1 {
		t.Fatalf("%d publications audited, want 1", n)
	}
}

func TestSwapApprovalFlow(t *testing.T) {
	e, svc := newEnv(t)
	publish(t, e, month)
	api := officeapi.API(e.Routes)
	editor, reviewer, head, staff := e.TokenOf("editor"), e.TokenOf("reviewer"), e.TokenOf("zhibanzhuren"), e.TokenOf("staff")
	// 李文静 is the deputy on 03-08; 周丽 on 03-09 and today.
	ask := map[string]any{"date": "2026-03-08", "position": "deputy", "counterpart": e.UserID("reviewer"), "reason": "参加业务培训"}
	r := e.Do("POST", base+"/swaps", editor, ask)
	openapitest.Response(t, api, "POST", "/duty/swaps", r.Status, r.Body)
	id := idOf(t, r)
	if !todo(desk(t, e, svc, "reviewer"), id, "agree") {
		t.Fatal("the counterpart's desktop lacks the swap")
	}
	swap := func(step string) string { return base + "/swaps/" + id + "/" + step }
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "approve before the counterpart agreed", Method: "POST", Path: swap("approve"), Token: head, Status: 409, Code: "invalid_state"},
		testkit.Scenario{Name: "only the counterpart agrees", Method: "POST", Path: swap("agree"), Token: editor, Status: 403},
		testkit.Scenario{Name: "a third person cannot see it", Method: "POST", Path: swap("agree"), Token: staff, Status: 404},
		testkit.Scenario{Name: "agree", Method: "POST", Path: swap("agree"), Token: reviewer, Status: 200, Contains: []string{`"state":"agreed"`}},
		testkit.Scenario{Name: "a party is no approver", Method: "POST", Path: swap("approve"), Token: reviewer, Status: 403},
		testkit.Scenario{Name: "a refusal needs a comment", Method: "POST", Path: swap("refuse"), Token: head, Body: map[string]any{}, Status: 400, Field: "comment"},
	)
	// The roster has not changed yet.
	var ro duty.RosterView
	e.Do("GET", base+"/rosters/"+month, staff, nil).Decode(t, &ro)
	if ro.Document.Days[7].Deputy.Name != "李文静" {
		t.Fatalf("the roster changed before approval: %+v", ro.Document.Days[7])
	}
	if !todo(desk(t, e, svc, "zhibanzhuren"), id, "approve") {
		t.Fatal("值班室's desktop lacks the agreed swap")
	}
	r = e.Do("POST", swap("approve"), head, map[string]any{"comment": "同意"})
	openapitest.Response(t, api, "POST", "/duty/swaps/{id}/approve", r.Status, r.Body)
	if r.Status != 200 || r.JSON()["state"] != "approved" || r.JSON()["approverName"] != "马国庆" {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	e.Do("GET", base+"/rosters/"+month, staff, nil).Decode(t, &ro)
	if d := ro.Document.Days[7]; d.Deputy.Name != "周丽" || ro.Document.Swaps != 1 {
		t.Fatalf("the approved swap did not change the roster: %+v", d)
	}
	for _, a := range []struct{ action, target string }{{"duty.swap.approve", duty.SwapCollection + "/" + id}, {"duty.roster.swap", duty.RosterCollection + "/" + month}} {
		if n := succeeded(e, a.action, a.target); n != 1 {
			t.Errorf("%d successful %s audited, want 1", n, a.action)
		}
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "approve twice", Method: "POST", Path: swap("approve"), Token: head, Status: 409},
		testkit.Scenario{Name: "withdraw after approval", Method: "POST", Path: swap("withdraw"), Token: editor, Status: 409},
		// 李文静 is no longer on duty on 03-08.
		testkit.Scenario{Name: "a duty one does not hold", Method: "POST", Path: base + "/swaps", Token: editor, Body: ask, Status: 400, Field: "date"},
		// 张明华 (clerk) is deputy on 03-03; 何静 is its main already.
		testkit.Scenario{Name: "the counterpart is on duty that day", Method: "POST", Path: base + "/swaps", Token: e.TokenOf("clerk"),
			Body: map[string]any{"date": "2026-03-03", "position": "deputy", "counterpart": e.UserID("zhiban2"), "reason": "家中有事"}, Status: 400, Field: "counterpart"},
		testkit.Scenario{Name: "the counterpart may not take the position", Method: "POST", Path: base + "/swaps", Token: e.TokenOf("zhiban2"),
			Body: map[string]any{"date": "2026-03-03", "position": "main", "counterpart": e.UserID("staff"), "reason": "家中有事"}, Status: 400, Field: "counterpart"},
		testkit.Scenario{Name: "a past duty", Method: "POST", Path: base + "/swaps", Token: e.TokenOf("zhibanzhuren"),
			Body: map[string]any{"date": "2026-03-01", "position": "main", "counterpart": e.UserID("zhiban2"), "reason": "补"}, Status: 400, Field: "date"},
	)
	// 值班室's head swapping his own 主班 may not approve it himself.
	own := idOf(t, e.Do("POST", base+"/swaps", head, map[string]any{"date": "2026-03-04", "position": "main", "counterpart": e.UserID("zhiban1"),
		"counterpartDate": "2026-03-05", "reason": "出差"}))
	e.Do("POST", base+"/swaps/"+own+"/agree", e.TokenOf("zhiban1"), nil)
	testkit.Run(t, e.App, testkit.Scenario{Name: "self-approval", Method: "POST", Path: base + "/swaps/" + own + "/approve", Token: head, Status: 403, Code: "self_review"})
	if en := e.Audited("duty.swap.approve", duty.SwapCollection+"/"+own); len(en) != 1 || en[0].Outcome != audit.Failure || en[0].Reason != "self_review" {
		t.Errorf("the refused self-approval's audit: %+v", en)
	}
}

// Two agreed swaps of one duty: the first approved changes the roster,
// so the second no longer fits and is refused.
func TestSwapNoLongerFits(t *testing.T) {
	e, svc := newEnv(t)
	publish(t, e, month)
	ctx := context.Background()
	ask := func(counterpart string) string {
		id := idOf(t, e.Do("POST", base+"/swaps", e.TokenOf("editor"), map[string]any{"date": "2026-03-08", "position": "deputy",
			"counterpart": e.UserID(counterpart), "reason": "培训"}))
		if r := e.Do("POST", base+"/swaps/"+id+"/agree", e.TokenOf(counterpart), nil); r.Status != 200 {
			t.Fatalf("agree: %s", r.Body)
		}
		return id
	}
	first, second := ask("reviewer"), ask("staff")
	p, err := e.Identity.PrincipalByUsername(ctx, "zhibanzhuren")
	if err != nil {
		t.Fatal(err)
	}
	_ = svc
	if r := e.Do("POST", base+"/swaps/"+first+"/approve", e.TokenOf("zhibanzhuren"), nil); r.Status != 200 {
		t.Fatalf("first: %s", r.Body)
	}
	r := e.Do("POST", base+"/swaps/"+second+"/approve", e.TokenOf(p.Username), nil)
	testkit.WantProblem(t, r, 400, "invalid")
}

func record(t *testing.T, e *officetest.Env, user string, body map[string]any) string {
	t.Helper()
	in := map[string]any{"kind": "来电", "callerUnit": "省应急管理厅值班室", "callerName": "李强", "callerPhone": "0551-62999110",
		"title": "暴雪橙色预警", "content": "预计今夜至明天皖北地区有大到暴雪，请做好防范应对。"}
	for k, v := range body {
		in[k] = v
	}
	return idOf(t, e.Do("POST", base+"/logs", e.TokenOf(user), in))
}

func TestEscalationReachesTheDutyLeader(t *testing.T) {
	e, svc := newEnv(t)
	publish(t, e, month)
	api := officeapi.API(e.Routes)
	r := e.Do("POST", base+"/logs", e.TokenOf("zhiban1"), map[string]any{"kind": "突发事件", "callerUnit": "合肥市人民政府办公室总值班室",
		"callerName": "张伟", "callerPhone": "13905510123", "title": "庐阳区在建工地基坑局部坍塌", "content": "1人受轻伤已送医，现场已封控。", "important": true})
	openapitest.Response(t, api, "POST", "/duty/logs", r.Status, r.Body)
	id := idOf(t, r)
	if v := r.JSON(); v["escalation"] != "pending" || v["escalatedToName"] != "陈立新" || v["shift"] != today {
		t.Fatalf("escalation: %s", r.Body)
	}
	if !todo(desk(t, e, svc, "fumishuzhang"), id, "acknowledge") {
		t.Fatal("today's 带班领导 陈立新 lacks the important item on his desktop")
	}
	if todo(desk(t, e, svc, "director"), id, "acknowledge") {
		t.Fatal("a leader not on duty today got the item")
	}
	entry := base + "/logs/" + id
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "staff do not read the log (callers' phones)", Method: "GET", Path: entry, Token: e.TokenOf("staff"), Status: 404},
		testkit.Scenario{Name: "nor list it", Method: "GET", Path: base + "/logs", Token: e.TokenOf("staff"), Status: 403},
		testkit.Scenario{Name: "a leader reads it, phone included", Method: "GET", Path: entry, Token: e.TokenOf("director"), Status: 200, Contains: []string{"13905510123"}},
		testkit.Scenario{Name: "only the leader it went to acknowledges", Method: "POST", Path: entry + "/acknowledge", Token: e.TokenOf("director"), Status: 403},
		testkit.Scenario{Name: "a duty officer records a 批示 naming the leader", Method: "POST", Path: entry + "/instruction", Token: e.TokenOf("zhiban1"),
			Body: map[string]any{"instruction": "全力救治伤员"}, Status: 400, Field: "leader"},
		testkit.Scenario{Name: "staff give no 批示", Method: "POST", Path: entry + "/instruction", Token: e.TokenOf("staff"),
			Body: map[string]any{"instruction": "同意"}, Status: 403},
		testkit.Scenario{Name: "acknowledge", Method: "POST", Path: entry + "/acknowledge", Token: e.TokenOf("fumishuzhang"), Status: 200, Contains: []string{`"escalation":"acknowledged"`}},
		testkit.Scenario{Name: "twice", Method: "POST", Path: entry + "/acknowledge", Token: e.TokenOf("fumishuzhang"), Status: 409},
		testkit.Scenario{Name: "the 批示", Method: "POST", Path: entry + "/instruction", Token: e.TokenOf("fumishuzhang"),
			Body: map[string]any{"instruction": "请合肥市全力做好伤员救治，及时续报。"}, Status: 200, Contains: []string{`"instructedByName":"陈立新"`}},
		testkit.Scenario{Name: "a bad phone number", Method: "POST", Path: base + "/logs", Token: e.TokenOf("zhiban1"),
			Body: map[string]any{"kind": "来电", "callerUnit": "某单位", "callerPhone": "12ab", "title": "t", "content": "c"}, Status: 400, Field: "callerPhone"},
		testkit.Scenario{Name: "a call in the future", Method: "POST", Path: base + "/logs", Token: e.TokenOf("zhiban1"),
			Body: map[string]any{"kind": "来电", "callerUnit": "某单位", "receivedAt": "2026-03-03T09:00:00+08:00", "title": "t", "content": "c"}, Status: 400, Field: "receivedAt"},
		testkit.Scenario{Name: "an unknown kind", Method: "POST", Path: base + "/logs", Token: e.TokenOf("zhiban1"),
			Body: map[string]any{"kind": "闲聊", "callerUnit": "某单位", "title": "t", "content": "c"}, Status: 400, Field: "kind"},
		testkit.Scenario{Name: "staff keep no log", Method: "POST", Path: base + "/logs", Token: e.TokenOf("staff"),
			Body: map[string]any{"kind": "来电", "callerUnit": "某单位", "title": "t", "content": "c"}, Status: 403},
	)
	if todo(desk(t, e, svc, "fumishuzhang"), id, "acknowledge") {
		t.Fatal("an acknowledged item is still on the leader's desktop")
	}
}

func TestHandoverCarriesOpenItems(t *testing.T) {
	e, svc := newEnv(t)
	publish(t, e, month)
	api := officeapi.API(e.Routes)
	open := record(t, e, "zhiban1", nil)
	done := record(t, e, "zhiban1", map[string]any{"title": "群众反映供暖不热", "kind": "来电", "callerPhone": "12345"})
	if r := e.Do("POST", base+"/logs/"+done+"/progress", e.TokenOf("zhiban1"), map[string]any{"action": "已转12345热线办理", "close": true}); r.JSON()["state"] != "closed" {
		t.Fatalf("close: %s", r.Body)
	}
	shift := base + "/shifts/" + today + "/handover"
	testkit.Run(t, e.App,
		// zhiban2 is tomorrow's main, not today's.
		testkit.Scenario{Name: "only today's shift hands over", Method: "POST", Path: shift, Token: e.TokenOf("zhiban2"), Status: 403},
		testkit.Scenario{Name: "a shift not begun", Method: "POST", Path: base + "/shifts/2026-03-03/handover", Token: e.TokenOf("zhibanzhuren"), Status: 400, Field: "date"},
	)
	r := e.Do("POST", shift, e.TokenOf("zhiban1"), map[string]any{"note": "暴雪预警防范通知待印发"})
	openapitest.Response(t, api, "POST", "/duty/shifts/{date}/handover", r.Status, r.Body)
	var h duty.HandoverView
	r.Decode(t, &h)
	if r.Status != 201 || len(h.Document.OpenItems) != 1 || h.Document.OpenItems[0].EntryID != open || h.Document.NextDate != "2026-03-03" {
		t.Fatalf("handover: %d %s", r.Status, r.Body)
	}
	if !todo(desk(t, e, svc, "zhiban2"), today, "accept") {
		t.Fatal("the incoming shift's desktop lacks the handover")
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "twice", Method: "POST", Path: shift, Token: e.TokenOf("zhiban1"), Status: 409},
		testkit.Scenario{Name: "the one who handed over does not accept", Method: "POST", Path: shift + "/accept", Token: e.TokenOf("zhiban1"), Status: 403, Code: "self_review"},
		testkit.Scenario{Name: "the next shift accepts", Method: "POST", Path: shift + "/accept", Token: e.TokenOf("zhiban2"), Status: 200, Contains: []string{`"state":"accepted"`, `"acceptedByName":"何静"`}},
		testkit.Scenario{Name: "the open item carries over", Method: "GET", Path: base + "/logs/" + open, Token: e.TokenOf("zhiban2"), Status: 200,
			Contains: []string{`"carriedTo":"2026-03-03"`, `"handovers":1`}},
		testkit.Scenario{Name: "the closed one does not", Method: "GET", Path: base + "/logs/" + done, Token: e.TokenOf("zhiban2"), Status: 200, Contains: []string{`"handovers":0`}},
	)
	if n := succeeded(e, "duty.handover.accept", duty.HandoverCollection+"/"+today); n != 1 {
		t.Fatalf("%d acceptances audited, want 1", n)
	}
}

func TestLogSearchFindsChinese(t *testing.T) {
	e, svc := newEnv(t)
	publish(t, e, month)
	collapse := record(t, e, "zhiban1", map[string]any{"kind": "突发事件", "title": "庐阳区在建工地基坑局部坍塌",
		"content": "今日14时许庐阳区一在建工地发生基坑局部坍塌，1人受轻伤。", "important": true})
	snow := record(t, e, "zhiban1", nil)
	energy := record(t, e, "zhiban2", map[string]any{"kind": "信息报送", "callerUnit": "省发展和改革委员会", "title": "今冬明春能源保供情况",
		"content": "全省电煤库存可用天数22天。", "callerPhone": ""})
	for q, want := range map[string][]string{"基坑": {collapse}, "在建工地": {collapse}, "基坑局部坍塌": {collapse}, "暴雪": {snow}, "电煤": {energy}, "发展和改革": {energy}, "地震": {}} {
		if got := listed(t, e, svc, "director", url.Values{"q": {q}}); !slices.Equal(got, want) {
			t.Errorf("q=%s: %v, want %v", q, got, want)
		}
	}
	var page duty.EntryPage
	e.Do("GET", base+"/logs?important=true&consistentWith="+fmt.Sprint(e.LastSeq), e.TokenOf("zhiban1"), nil).Decode(t, &page)
	if page.Total != 1 || page.Items[0].ID != collapse || page.Items[0].Content == "" {
		t.Fatalf("important only: %+v", page)
	}
	r := e.Do("GET", base+"/logs?kind="+url.QueryEscape("信息报送"), e.TokenOf("zhibanzhuren"), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/duty/logs", r.Status, r.Body)
	// The summary counts them.
	var sum duty.Summary
	e.Do("GET", base+"/summary?month="+month, e.TokenOf("director"), nil).Decode(t, &sum)
	if sum.Entries != 3 || sum.Important != 1 || sum.Open != 3 || !sum.Published || len(sum.Duties) != 12 {
		t.Fatalf("summary: %+v", sum)
	}
	testkit.Run(t, e.App, testkit.Scenario{Name: "staff get no summary", Method: "GET", Path: base + "/summary?month=" + month, Token: e.TokenOf("staff"), Status: 403})
}

func TestDemoData(t *testing.T) {
	e, svc := newEnv(t)
	ctx := context.Background()
	n, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername)
	if err != nil || n == 0 {
		t.Fatalf("seed: %d %v", n, err)
	}
	if n, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil || n != 0 {
		t.Fatalf("second seed: %d %v", n, err)
	}
	if err := svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got := listed(t, e, svc, "zhibanzhuren", url.Values{}); len(got) != 6 {
		t.Fatalf("%d log entries, want 6", len(got))
	}
	var swaps duty.SwapPage
	e.Do("GET", base+"/swaps?state=agreed", e.TokenOf("zhibanzhuren"), nil).Decode(t, &swaps)
	if swaps.Total != 1 || swaps.Items[0].Department != "xinxi" {
		t.Fatalf("the pending swap: %+v", swaps)
	}
	if r := e.Do("GET", base+"/shifts/2026-03-01/handover", e.TokenOf("zhiban1"), nil); r.Status != 200 || r.JSON()["state"] != "handed" {
		t.Fatalf("the handover: %d %s", r.Status, r.Body)
	}
	var xinxi duty.EntryPage
	e.Do("GET", base+"/logs?q="+url.QueryEscape("能源保供"), e.TokenOf("zhiban1"), nil).Decode(t, &xinxi)
	if xinxi.Total != 1 || xinxi.Items[0].Department != "xinxi" {
		t.Fatalf("the entry passed to 信息处: %+v", xinxi)
	}
}

// The summary as a workbook: its figures, who was on duty, the open
// items; a caller's text that looks like a formula stays text.
func TestSummaryXLSX(t *testing.T) {
	e, svc := newEnv(t)
	publish(t, e, month)
	record(t, e, "zhiban1", map[string]any{"title": `=HYPERLINK("http://evil.example","点我")`, "important": true})
	if err := svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := e.Do("GET", base+"/summary.xlsx?month="+month, e.TokenOf("zhibanzhuren"), nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
		t.Fatalf("xlsx: %d %s", r.Status, r.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell := func(sheet, at string) string {
		v, err := f.GetCellValue(sheet, at)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if cell("概况", "A1") != month+" 值班月报" || cell("概况", "B3") != "1" || cell("概况", "B4") != "1" {
		t.Errorf("overview: %q %q %q", cell("概况", "A1"), cell("概况", "B3"), cell("概况", "B4"))
	}
	if cell("值班人员", "A2") == "" || cell("值班人员", "E2") == "" {
		t.Errorf("duties: %q %q", cell("值班人员", "A2"), cell("值班人员", "E2"))
	}
	if got, _ := f.GetCellFormula("未办结事项", "D2"); got != "" || !strings.HasPrefix(cell("未办结事项", "D2"), "=HYPERLINK") {
		t.Errorf("the title became a formula %q (value %q)", got, cell("未办结事项", "D2"))
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "staff get no workbook", Method: "GET", Path: base + "/summary.xlsx?month=" + month, Token: e.TokenOf("staff"), Status: 403},
		testkit.Scenario{Name: "not a month", Method: "GET", Path: base + "/summary.xlsx?month=2026-3", Token: e.TokenOf("director"), Status: 400, Field: "month"},
	)
}
