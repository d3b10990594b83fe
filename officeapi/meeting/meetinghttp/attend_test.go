package meetinghttp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/meeting"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

func (e *env) desk(user string) desktop.View {
	e.T.Helper()
	var v desktop.View
	e.Do("GET", fmt.Sprintf("/api/office/v1/desktop?consistentWith=%d", e.LastSeq), e.TokenOf(user), nil).Decode(e.T, &v)
	return v
}

func has(entries []desktop.Entry, id, action string) bool {
	return slices.ContainsFunc(entries, func(en desktop.Entry) bool { return en.ID == id && en.Action == action })
}

func TestNoticesRepliesCheckInAndAttendance(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	id := e.idOf(e.book(nil, who{"director", "rostrum", 0}, who{"editor", "audience", 0}, who{"clerk", "audience", 0}))
	// The notice is on each attendee's desktop, to answer.
	if d := e.desk("editor"); !has(d.Todo, id, "reply") {
		t.Fatalf("editor's to-do lacks the notice: %+v", d.Todo)
	}
	if d := e.desk("staff"); has(d.Todo, id, "reply") {
		t.Fatal("someone not invited got the notice")
	}
	// Read receipt, then the answer: the notice leaves the to-do.
	r := e.Do("POST", base+"/"+id+"/read", e.TokenOf("editor"), nil)
	openapitest.Response(t, api, "POST", "/meetings/{id}/read", r.Status, r.Body)
	var v meeting.View
	r.Decode(t, &v)
	if i := slices.IndexFunc(v.Document.Attendees, func(a meeting.Attendee) bool { return a.Name == "李文静" }); v.Document.Attendees[i].ReadAt == nil {
		t.Fatal("no read receipt")
	}
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/read", e.TokenOf("staff"), nil), 404, "not_found")
	r = e.Do("POST", base+"/"+id+"/reply", e.TokenOf("editor"), map[string]any{"reply": "accept"})
	openapitest.Response(t, api, "POST", "/meetings/{id}/reply", r.Status, r.Body)
	if d := e.desk("editor"); has(d.Todo, id, "reply") {
		t.Fatal("answered and still to answer")
	}
	p := testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/reply", e.TokenOf("clerk"), map[string]any{"reply": "decline"}), 400, "invalid")
	if !hasField(p, "comment") {
		t.Fatalf("a leave without reason: %v", p)
	}

	// A reminder puts the notice back on the desktop, as 待阅.
	e.Do("POST", base+"/"+id+"/remind", e.TokenOf("huiwu"), nil)
	if d := e.desk("editor"); !has(d.ToRead, id, "notice") {
		t.Fatalf("no reminder: %+v", d.ToRead)
	}

	// The check-in code: the organisers see it, attendees do not.
	var mine, theirs meeting.View
	e.Do("GET", base+"/"+id, e.TokenOf("huiwu"), nil).Decode(t, &mine)
	e.Do("GET", base+"/"+id, e.TokenOf("editor"), nil).Decode(t, &theirs)
	code := mine.Document.CheckInCode
	if len(code) != 6 || theirs.Document.CheckInCode != "" {
		t.Fatalf("code %q, the attendee sees %q", code, theirs.Document.CheckInCode)
	}
	// Check-in opens two hours before the start.
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/checkin", e.TokenOf("editor"), map[string]any{"code": code}), 409, "invalid_state")
	start, _ := time.Parse(time.RFC3339, e.at(9))
	e.Clock.Set(start.Add(-time.Hour))
	clear(e.TokenCache()) // the tokens have expired meanwhile
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/checkin", e.TokenOf("editor"), map[string]any{"code": wrong}), 400, "invalid")
	r = e.Do("POST", base+"/"+id+"/checkin", e.TokenOf("editor"), map[string]any{"code": code})
	openapitest.Response(t, api, "POST", "/meetings/{id}/checkin", r.Status, r.Body)
	if r.Status != 200 {
		t.Fatalf("check in: %d %s", r.Status, r.Body)
	}
	// An attendee may not check others in; the organiser may, from the list.
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/checkin", e.TokenOf("editor"), map[string]any{"userIds": []string{e.UserID("clerk")}}), 403, "forbidden")
	if r := e.Do("POST", base+"/"+id+"/checkin", e.TokenOf("huiwu"), map[string]any{"userIds": []string{e.UserID("director")}}); r.Status != 200 {
		t.Fatalf("list check-in: %d %s", r.Status, r.Body)
	}
	r = e.Do("GET", base+"/"+id+"/attendance", e.TokenOf("huiwu"), nil)
	openapitest.Response(t, api, "GET", "/meetings/{id}/attendance", r.Status, r.Body)
	var rep meeting.Attendance
	r.Decode(t, &rep)
	if rep.Invited != 3 || rep.CheckedIn != 2 || rep.Absent != 1 || rep.Accepted != 2 || rep.Unreplied != 1 {
		t.Fatalf("attendance: %+v", rep)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/"+id+"/attendance", e.TokenOf("editor"), nil), 403, "forbidden")
}

func TestClassifiedMaterialsAreNeedToKnow(t *testing.T) {
	e := newEnv(t)
	open, secret := strings.Repeat("a", 64), strings.Repeat("b", 64)
	body := map[string]any{"classification": "秘密", "materials": []map[string]any{
		{"mediaId": open, "name": "议程.pdf", "classification": "非密"},
		{"mediaId": secret, "name": "内部情况通报.pdf", "classification": "秘密", "knowers": []string{e.UserID("editor")}}}}
	// 陈晓燕 (非密) may not attend a 秘密 meeting.
	p := testkit.WantProblem(t, e.book(body, who{"editor", "audience", 0}, who{"staff", "audience", 0}), 400, "invalid")
	if !hasField(p, "attendees[1].userId") {
		t.Fatalf("clearance: %v", p)
	}
	id := e.idOf(e.book(body, who{"editor", "audience", 0}, who{"reviewer", "audience", 0}))
	materials := func(user string) []string {
		var v meeting.View
		e.Do("GET", base+"/"+id, e.TokenOf(user), nil).Decode(t, &v)
		var out []string
		for _, m := range v.Document.Materials {
			out = append(out, m.Name)
		}
		return out
	}
	if got := materials("editor"); len(got) != 2 {
		t.Fatalf("the knower sees %v", got)
	}
	if got := materials("reviewer"); !slices.Equal(got, []string{"议程.pdf"}) {
		t.Fatalf("another attendee sees %v", got)
	}
	// The download decides the same way (the media store asks MediaRule).
	rule := meeting.MediaRule(e.Store)
	for _, c := range []struct {
		user, media string
		ok          bool
	}{{"editor", secret, true}, {"reviewer", secret, false}, {"reviewer", open, true}, {"huiwu", secret, true}, {"staff", open, false}} {
		d, err := rule(context.Background(), id, c.media)
		if err != nil || !d.Attaches {
			t.Fatalf("rule: %+v %v", d, err)
		}
		pr, _ := e.Identity.PrincipalByUsername(context.Background(), c.user)
		if got := d.Access.Allows(pr); got != c.ok {
			t.Errorf("%s reading %s…: %v, want %v", c.user, c.media[:4], got, c.ok)
		}
	}
	// The files are referenced with the meeting (attachment.Writes).
	if _, err := e.Store.Get(context.Background(), "attachments", secret+"/"+meeting.Collection+"/"+id); err != nil && err != store.ErrNotFound {
		t.Fatal(err)
	}
}

func TestMinutesStartAnOutgoingDocument(t *testing.T) {
	e := newEnv(t)
	id := e.idOf(e.book(map[string]any{"title": "专题会议"}, who{"director", "rostrum", 0}, who{"editor", "audience", 0}))
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/minutes", e.TokenOf("editor"), map[string]any{"body": "<p>x</p>"}), 403, "forbidden")
	r := e.Do("POST", base+"/"+id+"/minutes", e.TokenOf("huiwu"), map[string]any{"body": "<p>会议议定事项</p>"})
	openapitest.Response(t, officeapi.API(e.Routes), "POST", "/meetings/{id}/minutes", r.Status, r.Body)
	if r.Status != 200 || r.JSON()["minutes"] != "doc-minutes-1" {
		t.Fatalf("minutes: %d %s", r.Status, r.Body)
	}
	e.mu.Lock()
	in := e.minutes[0]
	e.mu.Unlock()
	if in.DocType != "纪要" || in.Direction != "outgoing" || in.Title != "专题会议纪要" || in.Department != "huiwu" || len(in.Knowers) != 2 {
		t.Fatalf("the document asked for: %+v", in)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/minutes", e.TokenOf("huiwu"), map[string]any{"body": "<p>again</p>"}), 409, "conflict")
}
