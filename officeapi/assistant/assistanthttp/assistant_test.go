package assistanthttp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/assistant"
	"zhengwu/officeapi/assistant/assistanthttp"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1"

// sent records the notices the reminder sweep sends.
type sent struct {
	mu sync.Mutex
	n  []notify.Notice
}

func (s *sent) Send(_ context.Context, n notify.Notice) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n = append(s.n, n)
	return nil
}

func (s *sent) all() []notify.Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.n)
}

// a document the "task" linker knows: what officialdoc would answer for a
// reader who may read it (a 秘密 公文), 404 for any other id.
const taskID = "doc-1"

func taskLinker(_ context.Context, p *auth.Principal, id string) (string, string, classification.Level, error) {
	if id != taskID || !p.MayRead(classification.Mimi) {
		return "", "", "", problem.NotFound("公文不存在", "no such document")
	}
	return "关于做好春季防汛工作的通知", "/office/documents/" + id, classification.Mimi, nil
}

// The demo office (clock: Monday 2026-03-02 09:00 China time) with the
// assistant mounted; a meeting laid over every calendar on Tuesday 10:00,
// and one above everyone's clearance that nobody must see.
func newEnv(t *testing.T) (*officetest.Env, *assistant.Service, *sent) { return newEnvB(t) }

func newEnvB(t testing.TB) (*officetest.Env, *assistant.Service, *sent) {
	e := officetest.New(t)
	rec := &sent{}
	meetings := func(_ context.Context, _ *auth.Principal, from, to time.Time) ([]assistant.Occurrence, error) {
		at := time.Date(2026, 3, 3, 10, 0, 0, 0, assistant.China)
		return []assistant.Occurrence{
			{Kind: assistant.KindMeeting, ID: "m1", Title: "全省防汛工作会议", Start: at, End: at.Add(2 * time.Hour), Link: "/office/meetings/m1", Classification: classification.Feimi},
			{Kind: assistant.KindMeeting, ID: "m2", Title: "绝密会议", Start: at, End: at.Add(time.Hour), Classification: classification.Juemi},
		}, nil
	}
	refused := func(context.Context, *auth.Principal, time.Time, time.Time) ([]assistant.Occurrence, error) {
		return nil, problem.Forbidden() // the leaders' schedule for one without schedule.view
	}
	svc, err := assistant.New(assistant.Deps{Deps: e.Deps("assistant"), Org: e.Identity, Notify: rec,
		Linkers:  map[string]assistant.Linker{"task": taskLinker},
		Overlays: map[string]assistant.Overlay{assistant.KindMeeting: meetings, assistant.KindLeader: refused}})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, assistanthttp.Routes(svc, e.Tokens))
	return e, svc, rec
}

func at(day, hm string) string { return day + "T" + hm + ":00+08:00" }

func created(t *testing.T, r testkit.Response) (string, float64) {
	t.Helper()
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	return r.JSON()["id"].(string), r.JSON()["version"].(float64)
}

func titles(t *testing.T, e *officetest.Env, user, from, to string) []string {
	t.Helper()
	var cal assistant.Calendar
	r := e.Do("GET", fmt.Sprintf("%s/assistant/calendar?from=%s&to=%s&consistentWith=%d", base, from, to, e.LastSeq), e.TokenOf(user), nil)
	if r.Status != 200 {
		t.Fatalf("calendar: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &cal)
	var out []string
	for _, o := range cal.Items {
		out = append(out, o.Start.In(assistant.China).Format("01-02 15:04")+" "+o.Title)
	}
	return out
}

func TestCalendarOwnEventsRepeatsAndOverlays(t *testing.T) {
	e, _, _ := newEnv(t)
	api := officeapi.API(e.Routes)
	staff := e.TokenOf("staff")
	r := e.Do("POST", base+"/assistant/events", staff, map[string]any{"title": "处务会", "place": "会议室",
		"start": at("2026-03-02", "09:30"), "end": at("2026-03-02", "10:30"), "repeat": "weekly", "repeatUntil": "2026-03-16", "remind": 15})
	openapitest.Response(t, api, "POST", "/assistant/events", r.Status, r.Body)
	weekly, _ := created(t, r)
	allDay, v := created(t, e.Do("POST", base+"/assistant/events", staff, map[string]any{"title": "体检",
		"allDay": true, "start": at("2026-03-04", "00:00"), "end": at("2026-03-04", "00:00")}))

	got := titles(t, e, "staff", "2026-03-02", "2026-03-09")
	want := []string{"03-02 09:30 处务会", "03-03 10:00 全省防汛工作会议", "03-04 00:00 体检"}
	if !slices.Equal(got, want) {
		t.Fatalf("the week: %q, want %q", got, want)
	}
	// Three weeks of the repeat, not a fourth (it ends on the 16th).
	if got := titles(t, e, "staff", "2026-03-01", "2026-04-01"); len(slices.DeleteFunc(got, func(s string) bool { return !strings.Contains(s, "处务会") })) != 3 {
		t.Fatalf("the month's 处务会: %q", got)
	}
	r = e.Do("GET", base+"/assistant/calendar?from=2026-03-02&to=2026-03-09", staff, nil)
	openapitest.Response(t, api, "GET", "/assistant/calendar", r.Status, r.Body)
	if strings.Contains(string(r.Body), "绝密会议") || !strings.Contains(string(r.Body), `"readOnly":true`) {
		t.Fatalf("overlays: %s", r.Body)
	}
	// Nobody else sees them.
	if got := titles(t, e, "editor", "2026-03-02", "2026-03-09"); slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "处务会") }) {
		t.Fatalf("editor sees staff's events: %q", got)
	}
	edit := map[string]any{"title": "体检（改期）", "allDay": true, "start": at("2026-03-05", "00:00"), "end": at("2026-03-05", "00:00"), "version": v}
	editor := e.TokenOf("editor")
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "another's event", Method: "GET", Path: base + "/assistant/events/" + weekly, Token: editor, Status: 404},
		testkit.Scenario{Name: "nor edits it", Method: "PUT", Path: base + "/assistant/events/" + allDay, Token: editor, Body: edit, Status: 404},
		testkit.Scenario{Name: "nor deletes it", Method: "DELETE", Path: base + "/assistant/events/" + weekly, Token: editor, Status: 404},
		testkit.Scenario{Name: "end before start", Method: "POST", Path: base + "/assistant/events", Token: staff, Status: 400, Field: "end",
			Body: map[string]any{"title": "x", "start": at("2026-03-02", "10:00"), "end": at("2026-03-02", "09:00")}},
		testkit.Scenario{Name: "a repeat without its end", Method: "POST", Path: base + "/assistant/events", Token: staff, Status: 400, Field: "repeatUntil",
			Body: map[string]any{"title": "x", "start": at("2026-03-02", "10:00"), "end": at("2026-03-02", "11:00"), "repeat": "daily"}},
		testkit.Scenario{Name: "an unknown reminder", Method: "POST", Path: base + "/assistant/events", Token: staff, Status: 400, Field: "remind",
			Body: map[string]any{"title": "x", "start": at("2026-03-02", "10:00"), "end": at("2026-03-02", "11:00"), "remind": 7}},
		testkit.Scenario{Name: "a range too long", Method: "GET", Path: base + "/assistant/calendar?from=2026-01-01&to=2026-06-01", Token: staff, Status: 400, Field: "to"},
	)
	// The edit and the delete through Do, so that the calendar read after
	// them waits for their feed sequence (consistentWith=LastSeq).
	if r := e.Do("PUT", base+"/assistant/events/"+allDay, staff, edit); r.Status != 200 || !strings.Contains(string(r.Body), "体检（改期）") {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	if r := e.Do("DELETE", base+"/assistant/events/"+weekly, staff, nil); r.Status != 200 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "edit at a stale version", Method: "PUT", Path: base + "/assistant/events/" + allDay, Token: staff, Body: edit, Status: 409},
		testkit.Scenario{Name: "deleted is gone", Method: "GET", Path: base + "/assistant/events/" + weekly, Token: staff, Status: 404},
	)
	if got := titles(t, e, "staff", "2026-03-02", "2026-03-09"); !slices.Equal(got, []string{"03-03 10:00 全省防汛工作会议", "03-05 00:00 体检（改期）"}) {
		t.Fatalf("after the edit and the delete: %q", got)
	}
	if en := e.Audited("assistant.event.delete", assistant.EventCollection+"/"+weekly); len(en) != 1 {
		t.Fatalf("the delete's audit: %+v", en)
	}
}

func TestTodosFromATaskAndTheDesktop(t *testing.T) {
	e, _, _ := newEnv(t)
	api := officeapi.API(e.Routes)
	due := at("2026-03-02", "17:30")
	r := e.Do("POST", base+"/assistant/todos", e.TokenOf("chuzhang"), map[string]any{"source": "task", "sourceId": taskID, "due": due, "priority": "high"})
	openapitest.Response(t, api, "POST", "/assistant/todos", r.Status, r.Body)
	id, v := created(t, r)
	if m := r.JSON(); m["title"] != "关于做好春季防汛工作的通知" || m["classification"] != "秘密" || m["link"] != "/office/documents/doc-1" {
		t.Fatalf("a to-do from a task: %s", r.Body)
	}
	staff := e.TokenOf("staff") // 非密: may not read the 秘密 document
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "a task one may not read", Method: "POST", Path: base + "/assistant/todos", Token: staff, Status: 404,
			Body: map[string]any{"source": "task", "sourceId": taskID}},
		testkit.Scenario{Name: "no such source", Method: "POST", Path: base + "/assistant/todos", Token: staff, Status: 400, Field: "source",
			Body: map[string]any{"source": "fax", "sourceId": "x"}},
		testkit.Scenario{Name: "a source without its id", Method: "POST", Path: base + "/assistant/todos", Token: staff, Status: 400, Field: "sourceId",
			Body: map[string]any{"source": "task"}},
		testkit.Scenario{Name: "no title", Method: "POST", Path: base + "/assistant/todos", Token: staff, Status: 400, Field: "title", Body: map[string]any{}},
		testkit.Scenario{Name: "a reminder without a due time", Method: "POST", Path: base + "/assistant/todos", Token: staff, Status: 400, Field: "remind",
			Body: map[string]any{"title": "x", "remind": 60}},
		testkit.Scenario{Name: "another's to-do", Method: "GET", Path: base + "/assistant/todos/" + id, Token: staff, Status: 404},
	)
	var desk desktop.View
	e.Do("GET", fmt.Sprintf("%s/desktop?consistentWith=%d", base, e.LastSeq), e.TokenOf("chuzhang"), nil).Decode(t, &desk)
	if !slices.ContainsFunc(desk.Todo, func(en desktop.Entry) bool { return en.ID == id && en.Source == "assistant" }) {
		t.Fatalf("the to-do due today is not on the desktop: %+v", desk.Todo)
	}
	r = e.Do("PUT", base+"/assistant/todos/"+id, e.TokenOf("chuzhang"), map[string]any{"title": "防汛通知：拟办意见", "priority": "high",
		"due": due, "done": true, "version": v})
	if r.Status != 200 || r.JSON()["done"] != true || r.JSON()["doneAt"] == nil {
		t.Fatalf("done: %d %s", r.Status, r.Body)
	}
	if r := e.Do("GET", fmt.Sprintf("%s/assistant/todos?done=false&consistentWith=%d", base, e.LastSeq), e.TokenOf("chuzhang"), nil); strings.Contains(string(r.Body), id) {
		t.Fatalf("a done to-do is still open: %s", r.Body)
	}
	desk = desktop.View{}
	e.Do("GET", fmt.Sprintf("%s/desktop?consistentWith=%d", base, e.LastSeq), e.TokenOf("chuzhang"), nil).Decode(t, &desk)
	if slices.ContainsFunc(desk.Todo, func(en desktop.Entry) bool { return en.ID == id }) {
		t.Fatal("a done to-do stays on the desktop")
	}
}

func TestNotesAreSanitisedAndOwn(t *testing.T) {
	e, _, _ := newEnv(t)
	r := e.Do("POST", base+"/assistant/notes", e.TokenOf("staff"), map[string]any{"title": "便笺",
		"body": `<p onclick="alert(1)">电话<script>alert(2)</script><a href="javascript:alert(3)">链接</a><img src=x onerror=alert(4)></p>`, "pinned": true, "colour": "blue"})
	id, _ := created(t, r)
	body := r.JSON()["body"].(string)
	for _, bad := range []string{"onclick", "<script", "javascript:", "onerror"} {
		if strings.Contains(body, bad) {
			t.Fatalf("the body keeps %s: %s", bad, body)
		}
	}
	if !strings.Contains(body, "电话") {
		t.Fatalf("the text is lost: %s", body)
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "another's note", Method: "GET", Path: base + "/assistant/notes/" + id, Token: e.TokenOf("editor"), Status: 404},
		testkit.Scenario{Name: "an empty note", Method: "POST", Path: base + "/assistant/notes", Token: e.TokenOf("staff"), Status: 400, Field: "body",
			Body: map[string]any{"body": "<script>x</script>"}},
		testkit.Scenario{Name: "an unknown colour", Method: "POST", Path: base + "/assistant/notes", Token: e.TokenOf("staff"), Status: 400, Field: "colour",
			Body: map[string]any{"title": "x", "colour": "red;"}},
	)
	if got := e.Listed("staff", "/assistant/notes"); !slices.Equal(got, []string{id}) {
		t.Fatalf("staff's notes: %v", got)
	}
}

func TestContactsByPinyinDepartmentAndCards(t *testing.T) {
	e, svc, _ := newEnv(t)
	if n, err := svc.SeedDemo(context.Background(), e.Identity.PrincipalByUsername); err != nil || n == 0 {
		t.Fatalf("seed: %d %v", n, err)
	}
	names := func(q string) []string {
		var l assistant.ContactList
		r := e.Do("GET", base+"/contacts?"+q, e.TokenOf("staff"), nil)
		if r.Status != 200 {
			t.Fatalf("contacts?%s: %d %s", q, r.Status, r.Body)
		}
		r.Decode(t, &l)
		var out []string
		for _, c := range l.Items {
			out = append(out, c.Name)
		}
		return out
	}
	for q, want := range map[string][]string{
		"q=lzq": {"刘志强"}, "q=LiuZhi": {"刘志强"}, "q=%E5%88%98%E5%BF%97": {"刘志强"}, // 刘志
		"q=%E4%BF%A1%E6%81%AF%E5%A4%84":          {"李文静", "周丽"}, // 信息处, in pinyin order
		"department=xinxi":                       {"李文静", "周丽"},
		"q=%E7%B3%BB%E7%BB%9F%E7%AE%A1%E7%90%86": nil, // 系统管理: the officers are not in the directory
	} {
		if got := names(q); !slices.Equal(got, want) {
			t.Errorf("contacts?%s: %q, want %q", q, got, want)
		}
	}
	all := names("")
	// The office (办公厅) first, its people by pinyin; then the departments.
	if len(all) < 20 || !slices.Equal(all[:5], []string{"陈立新", "黄振宇", "李国华", "王建国", "张卫东"}) {
		t.Errorf("the directory's order: %q", all)
	}
	r := e.Do("GET", base+"/contacts?q=lzq", e.TokenOf("staff"), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/contacts", r.Status, r.Body)
	if !strings.Contains(string(r.Body), `"officePhone":"0551-6260`) || !strings.Contains(string(r.Body), `"mobile":"139`) {
		t.Fatalf("the card's phones: %s", r.Body)
	}

	staffID, headID := e.UserID("staff"), e.UserID("chuzhang")
	var me assistant.Contact
	e.Do("GET", base+"/contacts/"+staffID, e.TokenOf("staff"), nil).Decode(t, &me)
	card := func(phone, room, mobile string) map[string]any {
		return map[string]any{"officePhone": phone, "room": room, "mobile": mobile, "version": me.Version}
	}
	staff, sys := e.TokenOf("staff"), e.TokenOf("sysadmin")
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "one's own room is the administrator's", Method: "PUT", Path: base + "/contacts/" + staffID + "/card", Token: staff,
			Body: card(me.OfficePhone, "主楼999室", me.Mobile), Status: 403},
		testkit.Scenario{Name: "another's mobile", Method: "PUT", Path: base + "/contacts/" + headID + "/card", Token: staff,
			Body: card("", "", "13900000000"), Status: 403},
		testkit.Scenario{Name: "not a mobile number", Method: "PUT", Path: base + "/contacts/" + staffID + "/card", Token: staff,
			Body: card(me.OfficePhone, me.Room, "12345"), Status: 400, Field: "mobile"},
		testkit.Scenario{Name: "no such person", Method: "GET", Path: base + "/contacts/nobody", Token: staff, Status: 404},
		testkit.Scenario{Name: "one's own mobile", Method: "PUT", Path: base + "/contacts/" + staffID + "/card", Token: staff,
			Body: card(me.OfficePhone, me.Room, "13811112222"), Status: 200, Contains: []string{`"mobile":"13811112222"`}},
		testkit.Scenario{Name: "the administrator keeps rooms", Method: "PUT", Path: base + "/contacts/" + headID + "/card", Token: sys,
			Body: map[string]any{"officePhone": "0551-62601234", "room": "主楼301室", "mobile": "", "version": 1}, Status: 200, Contains: []string{"主楼301室"}},
		testkit.Scenario{Name: "at a stale version", Method: "PUT", Path: base + "/contacts/" + staffID + "/card", Token: sys,
			Body: card("0551-1", "主楼1室", "13811112222"), Status: 409},
	)
	if en := e.Audited("assistant.card.update", assistant.CardCollection+"/"+staffID); len(en) < 2 {
		t.Fatalf("the card's audit (the demo's, the change, the refusal): %+v", en)
	}
	if n, err := svc.SeedDemo(context.Background(), e.Identity.PrincipalByUsername); err != nil || n != 0 {
		t.Fatalf("a second seed wrote %d (%v)", n, err)
	}
}

func TestRemindersAreSentOnceAndMoveOn(t *testing.T) {
	e, svc, rec := newEnv(t)
	ctx := context.Background()
	created(t, e.Do("POST", base+"/assistant/events", e.TokenOf("staff"), map[string]any{"title": "周例会",
		"start": at("2026-03-02", "09:30"), "end": at("2026-03-02", "10:00"), "repeat": "weekly", "repeatUntil": "2026-03-31", "remind": 15}))
	created(t, e.Do("POST", base+"/assistant/todos", e.TokenOf("staff"), map[string]any{"title": "交考勤表",
		"due": at("2026-03-02", "11:00"), "remind": 60}))
	if n, err := svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("nothing is due at 09:00: %d %v", n, err)
	}
	e.Clock.Advance(16 * time.Minute) // 09:16: the meeting's reminder (09:15) is due
	if n, err := svc.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("at 09:16: %d %v", n, err)
	}
	if n, _ := svc.Sweep(ctx); n != 0 {
		t.Fatalf("a second sweep sent %d again", n)
	}
	e.Clock.Advance(time.Hour) // 10:16: the to-do's (10:00)
	if n, err := svc.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("at 10:16: %d %v", n, err)
	}
	e.Clock.Advance(7 * 24 * time.Hour) // next Monday: the repeat's next reminder
	if n, _ := svc.Sweep(ctx); n != 1 {
		t.Fatalf("next week: %d", n)
	}
	got := rec.all()
	if len(got) != 3 || got[0].Title != "日程提醒：周例会" || got[0].Kind != notify.KindSystem || got[1].Title != "待办提醒：交考勤表" ||
		got[0].Recipients[0] != e.UserID("staff") || !strings.HasPrefix(got[0].Key, "assistant:") || got[0].Key == got[2].Key {
		t.Fatalf("the notices: %+v", got)
	}
}
