package meetinghttp_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/meeting/seating"
	"zhengwu/shared/audit"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

func (e *env) meeting(user, id string) meeting.Meeting {
	e.T.Helper()
	var v meeting.View
	r := e.Do("GET", base+"/"+id, e.TokenOf(user), nil)
	if r.Status != 200 {
		e.T.Fatalf("get: %d %s", r.Status, r.Body)
	}
	r.Decode(e.T, &v)
	return v.Document
}

func attendee(m meeting.Meeting, name string) meeting.Attendee {
	i := slices.IndexFunc(m.Attendees, func(a meeting.Attendee) bool { return a.Name == name })
	if i < 0 {
		return meeting.Attendee{}
	}
	return m.Attendees[i]
}

func entryOf(entries []desktop.Entry, id, action string) (desktop.Entry, bool) {
	i := slices.IndexFunc(entries, func(en desktop.Entry) bool { return en.ID == id && en.Action == action })
	if i < 0 {
		return desktop.Entry{}, false
	}
	return entries[i], true
}

func TestRescheduleChecksLikeABookingReseatsAndTellsTheAttendees(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	id := e.idOf(e.book(nil, who{"director", "rostrum", 0}, who{"editor", "audience", 0}, who{"clerk", "audience", 0}))
	arrangement(t, e.Do("POST", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	// 李文静 is moved by hand to a seat the small room has too, 张明华 to
	// one it has not (the 第一会议室's right section).
	kept := seating.Seat{Area: seating.Audience, Section: 1, Row: 2, Number: 3}
	lost := seating.Seat{Area: seating.Audience, Section: 3, Row: 3, Number: 5}
	arrangement(t, e.Do("PUT", base+"/"+id+"/seating", e.TokenOf("huiwu"), map[string]any{"moves": []map[string]any{
		{"userId": e.UserID("editor"), "seat": kept}, {"userId": e.UserID("clerk"), "seat": lost}}}))
	e.Do("POST", base+"/"+id+"/reply", e.TokenOf("editor"), map[string]any{"reply": "accept"})
	e.Do("POST", base+"/"+id+"/read", e.TokenOf("clerk"), nil)
	taken := e.idOf(e.book(map[string]any{"title": "小会", "roomId": "small-201", "startAt": e.at(14), "endAt": e.at(16)}))

	move := func(user string, body map[string]any) testkit.Response {
		return e.Do("POST", base+"/"+id+"/reschedule", e.TokenOf(user), body)
	}
	testkit.WantProblem(t, move("editor", map[string]any{"startAt": e.at(13), "endAt": e.at(14), "roomId": "conf-60"}), 403, "forbidden")
	p := testkit.WantProblem(t, move("huiwu", map[string]any{"startAt": e.at(15), "endAt": e.at(16), "roomId": "small-201"}), 409, meeting.CodeConflict)
	if !hasField(p, "roomId") {
		t.Fatalf("the room is taken: %v", p)
	}
	for field, body := range map[string]map[string]any{
		"endAt":   {"startAt": e.at(13), "endAt": e.at(12), "roomId": "conf-60"},
		"roomId":  {"startAt": e.at(13), "endAt": e.at(14), "roomId": "nowhere"},
		"startAt": {"startAt": e.Clock.Now().Add(-time.Hour), "endAt": e.at(14), "roomId": "conf-60"},
	} {
		if p := testkit.WantProblem(t, move("huiwu", body), 400, "invalid"); !hasField(p, field) {
			t.Errorf("%s: %v", field, p)
		}
	}
	if p := testkit.WantProblem(t, move("huiwu", map[string]any{"startAt": e.at(9), "endAt": e.at(11), "roomId": "conf-60"}), 400, "invalid"); !hasField(p, "startAt") {
		t.Errorf("nothing changes: %v", p)
	}

	// Same time, the small room: seated in its layout, the hand move kept
	// where the seat exists; the notice back on the desktop as a change,
	// the acceptance standing (the time did not change).
	r := move("huiwu", map[string]any{"startAt": e.at(9), "endAt": e.at(11), "roomId": "small-201", "reason": "会场调整"})
	openapitest.Response(t, api, "POST", "/meetings/{id}/reschedule", r.Status, r.Body)
	if r.Status != 200 {
		t.Fatalf("reschedule: %d %s", r.Status, r.Body)
	}
	a := arrangement(t, e.Do("GET", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	if a.RoomName != "201小会议室" || len(a.Layout.Sections) != 1 {
		t.Fatalf("not the small room's layout: %+v", a)
	}
	if s, ok := seatOf(a, "李文静"); !ok || !s.Fixed || s.Section != 1 || s.Row != 2 || s.Label == "" {
		t.Fatalf("the hand move was lost: %+v", s)
	}
	if s, ok := seatOf(a, "张明华"); !ok || s.Fixed {
		t.Fatalf("张明华 should be seated afresh: %+v %v", s, ok)
	}
	if s, ok := seatOf(a, "王建国"); !ok || s.Area != seating.Rostrum {
		t.Fatalf("the director off the rostrum: %+v", s)
	}
	m := e.meeting("huiwu", id)
	if attendee(m, "李文静").Reply != meeting.ReplyAccepted || m.ChangedAt == nil || len(m.Changes) != 1 || m.Changes[0].FromRoom != "第一会议室" {
		t.Fatalf("after a room change: %+v", m)
	}
	if d := e.desk("editor"); !has(d.ToRead, id, "notice") {
		t.Fatalf("李文静 not told: %+v", d.ToRead)
	} else if en, _ := entryOf(d.ToRead, id, "notice"); en.ActionLabel != "会议变更" {
		t.Fatalf("label: %+v", en)
	}

	// Another time: the acceptance was for the old time, so it is asked
	// again.
	if r := move("huiwu", map[string]any{"startAt": e.at(12), "endAt": e.at(13), "roomId": "small-201"}); r.Status != 200 {
		t.Fatalf("reschedule: %d %s", r.Status, r.Body)
	}
	if m := e.meeting("huiwu", id); attendee(m, "李文静").Reply != meeting.ReplyInvited {
		t.Fatalf("the acceptance stands after the time moved: %+v", attendee(m, "李文静"))
	}
	if d := e.desk("editor"); !has(d.Todo, id, "reply") {
		t.Fatalf("李文静 not asked again: %+v", d.Todo)
	}

	// The director's other meeting is a conflict for a key attendee.
	e.idOf(e.book(map[string]any{"title": "另一个会", "roomId": "small-305", "startAt": e.at(17), "endAt": e.at(18)}, who{"director", "audience", 0}))
	p = testkit.WantProblem(t, move("huiwu", map[string]any{"startAt": e.at(17), "endAt": e.at(18), "roomId": "small-201"}), 409, meeting.CodeConflict)
	if !hasField(p, "attendees") || hasField(p, "roomId") {
		t.Fatalf("attendee conflict: %v", p)
	}
	if r := move("huiwu", map[string]any{"startAt": e.at(17), "endAt": e.at(18), "roomId": "small-201", "allowAttendeeConflicts": true}); r.Status != 200 {
		t.Fatalf("allowed: %d %s", r.Status, r.Body)
	}

	// Audited: each change with its before and after, the refusals too.
	var ok, refused int
	for _, en := range e.Audited("meeting.reschedule", meeting.Collection+"/"+id) {
		if en.Outcome == audit.Success {
			ok++
			if en.Details["fromRoom"] == nil || en.Details["room"] == nil {
				t.Errorf("audit details: %v", en.Details)
			}
		} else {
			refused++
		}
	}
	if ok != 3 || refused < 3 {
		t.Fatalf("audited %d changes, %d refusals", ok, refused)
	}

	// Cancelled or under way: not moved.
	e.Do("POST", base+"/"+taken+"/cancel", e.TokenOf("huiwu"), nil)
	testkit.WantProblem(t, e.Do("POST", base+"/"+taken+"/reschedule", e.TokenOf("huiwu"),
		map[string]any{"startAt": e.at(20), "endAt": e.at(21), "roomId": "small-201"}), 409, "invalid_state")
	start, _ := time.Parse(time.RFC3339, e.at(17))
	e.Clock.Set(start.Add(time.Minute))
	clear(e.TokenCache()) // the tokens have expired meanwhile
	testkit.WantProblem(t, move("huiwu", map[string]any{"startAt": e.at(20), "endAt": e.at(21), "roomId": "small-201"}), 409, "invalid_state")
}

func TestAttendeesAddedAndRemovedAreToldAndReseated(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	id := e.idOf(e.book(nil, who{"director", "rostrum", 0}, who{"editor", "audience", 0}, who{"clerk", "audience", 0}))
	arrangement(t, e.Do("POST", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	fixed := seating.Seat{Area: seating.Audience, Section: 3, Row: 3, Number: 5}
	arrangement(t, e.Do("PUT", base+"/"+id+"/seating", e.TokenOf("huiwu"), map[string]any{"moves": []map[string]any{
		{"userId": e.UserID("editor"), "seat": fixed}}}))
	change := func(user string, body map[string]any) testkit.Response {
		return e.Do("POST", base+"/"+id+"/attendees", e.TokenOf(user), body)
	}
	testkit.WantProblem(t, change("editor", map[string]any{"remove": []string{e.UserID("clerk")}}), 403, "forbidden")
	for field, body := range map[string]map[string]any{
		"add":                          {},
		"remove[0]":                    {"remove": []string{e.UserID("staff")}},
		"add[0].userId":                {"add": []map[string]any{{"userId": e.UserID("editor")}}},
		"addDepartments[0].department": {"addDepartments": []map[string]any{{"department": "nowhere"}}},
		"removeDepartments[0]":         {"removeDepartments": []string{"zonghe"}},
	} {
		if p := testkit.WantProblem(t, change("huiwu", body), 400, "invalid"); !hasField(p, field) {
			t.Errorf("%s: %v", field, p)
		}
	}

	r := change("huiwu", map[string]any{"add": []map[string]any{{"userId": e.UserID("staff"), "seatArea": "audience"}},
		"remove": []string{e.UserID("clerk")}, "addDepartments": []map[string]any{{"department": "zonghe", "seats": 2}}})
	openapitest.Response(t, api, "POST", "/meetings/{id}/attendees", r.Status, r.Body)
	if r.Status != 200 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	a := arrangement(t, e.Do("GET", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	if s, ok := seatOf(a, "李文静"); !ok || !s.Fixed || s.Section != 3 || s.Row != 3 || s.Label != "第3区第3排第5座" {
		t.Fatalf("the hand move was lost: %+v", s)
	}
	if _, ok := seatOf(a, "陈晓燕"); !ok {
		t.Fatal("the newcomer has no seat")
	}
	if _, ok := seatOf(a, "张明华"); ok {
		t.Fatal("the removed person is still seated")
	}
	held := 0
	for _, s := range a.Audience {
		if s.Held && s.Name == "综合处" {
			held++
		}
	}
	if held != 2 {
		t.Fatalf("综合处's two seats are not held: %+v", a.Audience)
	}
	// The newcomer has the notice to answer; the one removed can no
	// longer open the meeting and is told on their desktop.
	if d := e.desk("staff"); !has(d.Todo, id, "reply") {
		t.Fatalf("陈晓燕 not told: %+v", d.Todo)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/"+id, e.TokenOf("clerk"), nil), 404, "not_found")
	d := e.desk("clerk")
	if en, ok := entryOf(d.ToRead, id, "withdrawn"); !ok || en.ActionLabel != "取消参会" {
		t.Fatalf("张明华 not told of the removal: %+v", d.ToRead)
	}
	if has(d.Todo, id, "reply") {
		t.Fatal("张明华 still asked to reply")
	}
	if au := e.Audited("meeting.attendees", meeting.Collection+"/"+id); len(au) == 0 || au[len(au)-1].Outcome != audit.Success {
		t.Fatalf("not audited: %+v", au)
	}
	// Added back, the removal notice goes.
	if r := change("huiwu", map[string]any{"add": []map[string]any{{"userId": e.UserID("clerk")}}}); r.Status != 200 {
		t.Fatalf("add back: %d %s", r.Status, r.Body)
	}
	if d := e.desk("clerk"); has(d.ToRead, id, "withdrawn") || !has(d.Todo, id, "reply") {
		t.Fatalf("added back: %+v %+v", d.ToRead, d.Todo)
	}

	// A key attendee added is checked for conflicts.
	e.idOf(e.book(map[string]any{"title": "同时的会", "roomId": "small-305"}, who{"fumishu1", "audience", 0}))
	p := testkit.WantProblem(t, change("huiwu", map[string]any{"add": []map[string]any{{"userId": e.UserID("fumishu1"), "seatArea": "rostrum"}}}),
		409, meeting.CodeConflict)
	if !hasField(p, "attendees") || hasField(p, "roomId") {
		t.Fatalf("conflict: %v", p)
	}
	// Over once started.
	start, _ := time.Parse(time.RFC3339, e.at(9))
	e.Clock.Set(start)
	clear(e.TokenCache())
	testkit.WantProblem(t, change("huiwu", map[string]any{"remove": []string{e.UserID("staff")}}), 409, "invalid_state")
}

// Two bookings in two rooms for the same key attendee, checked at the
// same moment: each check reads the list index before the other commits,
// so without a lock per person both would book. The hook holds both
// checks until both have read the index.
func TestSimultaneousBookingsOfOneKeyAttendeeCannotBothPass(t *testing.T) {
	e := newEnv(t)
	var arrived sync.WaitGroup
	arrived.Add(2)
	var once [2]sync.Once
	var n int
	var mu sync.Mutex
	e.mu.Lock()
	e.busyHook = func() {
		mu.Lock()
		i := n
		n++
		mu.Unlock()
		if i < 2 {
			once[i].Do(arrived.Done)
			done := make(chan struct{})
			go func() { arrived.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second): // the other booking was serialised before its check
			}
		}
	}
	e.mu.Unlock()
	token, director := e.TokenOf("huiwu"), e.UserID("director")
	var wg sync.WaitGroup
	status := make([]int, 2)
	for i, room := range []string{"small-201", "small-305"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// testkit.Do, not e.Do: the env's LastSeq is not for two at once.
			status[i] = testkit.Do(t, e.App, "POST", base, token, map[string]any{"title": "同时预订", "startAt": e.at(9), "endAt": e.at(11),
				"roomId": room, "attendees": []map[string]any{{"userId": director, "seatArea": "rostrum"}}}).Status
		}()
	}
	wg.Wait()
	slices.Sort(status)
	if status[0] != 201 || status[1] != 409 {
		t.Fatalf("both bookings of the director at once: %v (want one 201, one 409)", status)
	}
}
