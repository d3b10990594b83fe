package meetinghttp_test

import (
	"slices"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/meeting"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

func TestRoomsAreSeededAndKeptByTheirKeeper(t *testing.T) {
	e := newEnv(t)
	r := e.Do("GET", base+"/rooms", e.TokenOf("staff"), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/meetings/rooms", r.Status, r.Body)
	var rooms meeting.RoomList
	r.Decode(t, &rooms)
	caps := map[string]int{}
	for _, rm := range rooms.Items {
		caps[rm.ID] = rm.Capacity
	}
	if caps["auditorium"] != 1500 || caps["conf-60"] != 60 || len(rooms.Items) < 3 {
		t.Fatalf("rooms: %v", caps)
	}
	room := map[string]any{"id": "test-7", "name": "测试室", "layout": map[string]any{"rostrum": []int{7},
		"sections": []map[string]any{{"rows": 2, "seatsPerRow": 5}}}}
	testkit.WantProblem(t, e.Do("POST", base+"/rooms", e.TokenOf("staff"), room), 403, "forbidden")
	r = e.Do("POST", base+"/rooms", e.TokenOf("huiwu"), room)
	if r.Status != 200 || r.JSON()["capacity"] != 17.0 {
		t.Fatalf("save room: %d %s", r.Status, r.Body)
	}
	bad := map[string]any{"name": "坏", "layout": map[string]any{"rostrum": []int{0}}}
	testkit.WantProblem(t, e.Do("POST", base+"/rooms", e.TokenOf("huiwu"), bad), 400, "invalid")
}

func TestBookingIsListedForItsPeopleOnly(t *testing.T) {
	e := newEnv(t)
	id := e.idOf(e.book(nil, who{"director", "rostrum", 0}, who{"editor", "audience", 0}))
	for _, u := range []string{"huiwu", "director", "editor"} {
		if got := e.Listed(u, "/meetings"); !slices.Contains(got, id) {
			t.Errorf("%s's list lacks the meeting: %v", u, got)
		}
	}
	if got := e.Listed("staff", "/meetings"); slices.Contains(got, id) {
		t.Errorf("staff, not invited, lists it: %v", got)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/"+id, e.TokenOf("staff"), nil), 404, "not_found")
	r := e.Do("GET", base+"/"+id, e.TokenOf("editor"), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/meetings/{id}", r.Status, r.Body)
	// A member of staff may not book; validation names the fields.
	testkit.WantProblem(t, e.Do("POST", base, e.TokenOf("staff"), map[string]any{"title": "x", "startAt": e.at(9),
		"endAt": e.at(10), "roomId": "conf-60"}), 403, "forbidden")
	p := testkit.WantProblem(t, e.book(map[string]any{"endAt": e.at(8)}), 400, "invalid")
	if !hasField(p, "endAt") {
		t.Fatalf("end before start: %v", p)
	}
	p = testkit.WantProblem(t, e.book(map[string]any{"roomId": "nowhere"}), 400, "invalid")
	if !hasField(p, "roomId") {
		t.Fatalf("unknown room: %v", p)
	}
}

func hasField(p map[string]any, field string) bool {
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return true
		}
	}
	return false
}

func TestRoomConflicts(t *testing.T) {
	e := newEnv(t)
	first := e.idOf(e.book(nil, who{"editor", "audience", 0}))
	p := testkit.WantProblem(t, e.book(map[string]any{"startAt": e.at(10), "endAt": e.at(12), "allowAttendeeConflicts": true}), 409, meeting.CodeConflict)
	if !hasField(p, "roomId") {
		t.Fatalf("room conflict: %v", p)
	}
	if cs, _ := p["conflicts"].([]any); len(cs) != 1 || cs[0].(map[string]any)["id"] != first {
		t.Fatalf("conflicts: %v", p["conflicts"])
	}
	// Back to back is no conflict; another room at the same time neither.
	e.idOf(e.book(map[string]any{"startAt": e.at(11), "endAt": e.at(12)}))
	e.idOf(e.book(map[string]any{"roomId": "small-201"}))
	// Called off, the room is free again.
	if r := e.Do("POST", base+"/"+first+"/cancel", e.TokenOf("huiwu"), nil); r.Status != 200 {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	e.idOf(e.book(map[string]any{"startAt": e.at(9), "endAt": e.at(10)}))
}

func TestAttendeeConflicts(t *testing.T) {
	e := newEnv(t)
	e.idOf(e.book(map[string]any{"title": "上午的会"}, who{"director", "rostrum", 0}))
	// The director sits on the rostrum (a key attendee) of both: refused
	// unless allowed; as a non-key attendee, no conflict.
	p := testkit.WantProblem(t, e.book(map[string]any{"roomId": "small-201", "startAt": e.at(10), "endAt": e.at(12)},
		who{"director", "rostrum", 0}), 409, meeting.CodeConflict)
	if !hasField(p, "attendees") || hasField(p, "roomId") {
		t.Fatalf("attendee conflict: %v", p)
	}
	r := e.Do("POST", base+"/conflicts", e.TokenOf("huiwu"), map[string]any{"title": "检查", "startAt": e.at(10), "endAt": e.at(12),
		"roomId": "small-201", "attendees": []map[string]any{{"userId": e.UserID("director"), "seatArea": "rostrum"}}})
	openapitest.Response(t, officeapi.API(e.Routes), "POST", "/meetings/conflicts", r.Status, r.Body)
	var check meeting.CheckResult
	r.Decode(t, &check)
	if len(check.Conflicts) != 1 || check.Conflicts[0].Kind != "meeting" || check.Conflicts[0].Title != "上午的会" {
		t.Fatalf("check: %s", r.Body)
	}
	e.idOf(e.book(map[string]any{"roomId": "small-201", "startAt": e.at(10), "endAt": e.at(12), "allowAttendeeConflicts": true},
		who{"director", "rostrum", 0}))
	e.idOf(e.book(map[string]any{"roomId": "small-305", "startAt": e.at(10), "endAt": e.at(12)}, who{"director", "audience", 0}))

	// A leader-schedule entry (Busy) is a conflict too.
	start, _ := time.Parse(time.RFC3339, e.at(14))
	e.mu.Lock()
	e.busy = []meeting.Conflict{{UserID: e.UserID("fumishu1"), Title: "赴合肥调研", StartAt: start, EndAt: start.Add(3 * time.Hour), ID: "sched-1"}}
	e.mu.Unlock()
	p = testkit.WantProblem(t, e.book(map[string]any{"startAt": e.at(15), "endAt": e.at(16)}, who{"fumishu1", "rostrum", 0}), 409, meeting.CodeConflict)
	if cs, _ := p["conflicts"].([]any); len(cs) != 1 || cs[0].(map[string]any)["kind"] != "schedule" {
		t.Fatalf("schedule conflict: %v", p)
	}
}
