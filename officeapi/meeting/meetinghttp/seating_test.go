package meetinghttp_test

import (
	"slices"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/meeting"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

// room adds a room with one rostrum row of n seats and a small hall.
func (e *env) room(id string, n int) {
	e.T.Helper()
	r := e.Do("POST", base+"/rooms", e.TokenOf("huiwu"), map[string]any{"id": id, "name": id, "layout": map[string]any{
		"rostrum": []int{n}, "sections": []map[string]any{{"rows": 3, "seatsPerRow": 4}, {"rows": 3, "seatsPerRow": 4}}}})
	if r.Status != 200 {
		e.T.Fatalf("room: %d %s", r.Status, r.Body)
	}
}

var seven = []who{{"clerk", "rostrum", 7}, {"editor", "rostrum", 5}, {"director", "rostrum", 1}, {"fumishu1", "rostrum", 2},
	{"fumishu2", "rostrum", 3}, {"fumishu3", "rostrum", 4}, {"chuzhang", "rostrum", 6}}

func TestRostrumOddAndEvenBothVariants(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	e.room("row-7", 7)
	id := e.idOf(e.book(map[string]any{"roomId": "row-7"}, seven...))
	r := e.Do("POST", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil)
	openapitest.Response(t, api, "POST", "/meetings/{id}/seating", r.Status, r.Body)
	a := arrangement(t, r)
	// Seen from the audience, left to right: 7 5 3 1 2 4 6.
	if got := ranks(a.Rostrum); !slices.Equal(got, []int{7, 5, 3, 1, 2, 4, 6}) {
		t.Fatalf("odd rostrum: %v %v", got, names(a.Rostrum))
	}
	if a.Rostrum[3].Name != "王建国" || a.Rostrum[3].Seat != 4 || a.Rostrum[0].Seat != 1 || a.Rostrum[0].UserID != e.UserID("clerk") {
		t.Fatalf("the centre seat: %+v", a.Rostrum)
	}
	r = e.Do("GET", base+"/"+id+"/seating", e.TokenOf("editor"), nil)
	openapitest.Response(t, api, "GET", "/meetings/{id}/seating", r.Status, r.Body)
	if got := ranks(arrangement(t, r).Rostrum); !slices.Equal(got, []int{7, 5, 3, 1, 2, 4, 6}) {
		t.Fatalf("GET seating: %v", got)
	}

	e.room("row-6", 6)
	six := seven[1:] // without the clerk (rank 7)
	even := e.idOf(e.book(map[string]any{"roomId": "row-6", "startAt": e.at(13), "endAt": e.at(14)}, six...))
	a = arrangement(t, e.Do("POST", base+"/"+even+"/seating", e.TokenOf("huiwu"), nil))
	if got := ranks(a.Rostrum); !slices.Equal(got, []int{5, 3, 1, 2, 4, 6}) || a.Even != "firstLeft" {
		t.Fatalf("even rostrum, default: %v (%s)", got, a.Even)
	}
	a = arrangement(t, e.Do("POST", base+"/"+even+"/seating", e.TokenOf("huiwu"), map[string]any{"even": "firstRight"}))
	if got := ranks(a.Rostrum); !slices.Equal(got, []int{6, 4, 2, 1, 3, 5}) || a.Even != "firstRight" {
		t.Fatalf("even rostrum, the other variant: %v (%s)", got, a.Even)
	}
	// The variant is the meeting's from then on.
	a = arrangement(t, e.Do("POST", base+"/"+even+"/seating", e.TokenOf("huiwu"), nil))
	if got := ranks(a.Rostrum); !slices.Equal(got, []int{6, 4, 2, 1, 3, 5}) {
		t.Fatalf("re-arranged, variant kept: %v", got)
	}
	// Only the organisers arrange.
	testkit.WantProblem(t, e.Do("POST", base+"/"+even+"/seating", e.TokenOf("editor"), nil), 403, "forbidden")
}

// Ranks come from the posts by default: 秘书长 (a leader) before the three
// 副秘书长, who tie and keep the order they were invited in, before 处长.
func TestDefaultRanksFromPostsTiesInInvitationOrder(t *testing.T) {
	e := newEnv(t)
	e.room("row-5", 5)
	id := e.idOf(e.book(map[string]any{"roomId": "row-5"}, who{"chuzhang", "rostrum", 0}, who{"fumishu3", "rostrum", 0},
		who{"fumishu1", "rostrum", 0}, who{"director", "rostrum", 0}, who{"fumishu2", "rostrum", 0}))
	a := arrangement(t, e.Do("POST", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	// rank 1 王建国, 2 黄振宇 (fumishu3), 3 李国华 (fumishu1), 4 张卫东 (fumishu2), 5 刘志强;
	// left to right: 5 3 1 2 4.
	want := []string{"刘志强", "李国华", "王建国", "黄振宇", "张卫东"}
	if got := names(a.Rostrum); !slices.Equal(got, want) || !slices.Equal(ranks(a.Rostrum), []int{5, 3, 1, 2, 4}) {
		t.Fatalf("rostrum %v %v, want %v", got, ranks(a.Rostrum), want)
	}
	// The organiser sets the order: 处长 above the 副秘书长 for this meeting.
	r := e.Do("POST", base+"/"+id+"/precedence", e.TokenOf("huiwu"), map[string]any{"items": []map[string]any{
		{"userId": e.UserID("chuzhang"), "precedence": 45}}})
	if r.Status != 200 {
		t.Fatalf("precedence: %d %s", r.Status, r.Body)
	}
	a = arrangement(t, e.Do("GET", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	if s, _ := seatOf(a, "刘志强"); s.Rank != 2 {
		t.Fatalf("刘志强 after the change: %+v", a.Rostrum)
	}
}

func TestManualMovesSurviveLateChanges(t *testing.T) {
	e := newEnv(t)
	e.room("row-5", 5)
	id := e.idOf(e.book(map[string]any{"roomId": "row-5"}, who{"director", "rostrum", 1}, who{"fumishu1", "rostrum", 2},
		who{"fumishu2", "rostrum", 3}, who{"editor", "audience", 0}, who{"reviewer", "audience", 0}, who{"clerk", "audience", 0},
		who{"printer", "audience", 0}))
	a := arrangement(t, e.Do("POST", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	editor, _ := seatOf(a, "李文静")
	printer, _ := seatOf(a, "赵文印")
	// Drag 李文静 onto 赵文印's seat: they swap, both fixed.
	r := e.Do("PUT", base+"/"+id+"/seating", e.TokenOf("huiwu"), map[string]any{"moves": []map[string]any{
		{"userId": e.UserID("editor"), "seat": map[string]any{"area": "audience", "section": printer.Section, "row": printer.Row, "number": printer.Seat}}}})
	openapitest.Response(t, officeapi.API(e.Routes), "PUT", "/meetings/{id}/seating", r.Status, r.Body)
	a = arrangement(t, r)
	if s, _ := seatOf(a, "李文静"); s.Label != printer.Label || !s.Fixed {
		t.Fatalf("moved: %+v", s)
	}
	if s, _ := seatOf(a, "赵文印"); s.Label != editor.Label || !s.Fixed {
		t.Fatalf("swapped: %+v", s)
	}
	clerk, _ := seatOf(a, "张明华")

	// Late changes: 周丽 declines, 张卫东 (rank 3, the rostrum) sends 陈晓燕.
	if r := e.Do("POST", base+"/"+id+"/reply", e.TokenOf("reviewer"), map[string]any{"reply": "decline", "comment": "出差"}); r.Status != 200 {
		t.Fatalf("decline: %d %s", r.Status, r.Body)
	}
	r = e.Do("POST", base+"/"+id+"/reply", e.TokenOf("fumishu2"), map[string]any{"reply": "delegate", "delegateTo": e.UserID("staff")})
	if r.Status != 200 {
		t.Fatalf("delegate: %d %s", r.Status, r.Body)
	}
	a = arrangement(t, e.Do("GET", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	if _, seated := seatOf(a, "周丽"); seated {
		t.Fatal("周丽 declined and is still seated")
	}
	if _, seated := seatOf(a, "张卫东"); seated {
		t.Fatal("张卫东 delegated and is still seated")
	}
	if s, _ := seatOf(a, "陈晓燕"); s.Area != "rostrum" || s.Rank != 3 {
		t.Fatalf("the delegate takes 张卫东's place: %+v", a.Rostrum)
	}
	if s, _ := seatOf(a, "李文静"); s.Label != printer.Label {
		t.Fatalf("a hand move was lost: %+v", s)
	}
	if s, _ := seatOf(a, "赵文印"); s.Label != editor.Label {
		t.Fatalf("a hand move was lost: %+v", s)
	}
	if s, _ := seatOf(a, "张明华"); s.Label != clerk.Label {
		t.Fatalf("someone not concerned moved: %+v → %+v", clerk, s)
	}
	// A seat outside the room is refused, naming the move.
	p := testkit.WantProblem(t, e.Do("PUT", base+"/"+id+"/seating", e.TokenOf("huiwu"), map[string]any{"moves": []map[string]any{
		{"userId": e.UserID("clerk"), "seat": map[string]any{"area": "audience", "section": 9, "row": 1, "number": 1}}}}), 400, "invalid")
	if !hasField(p, "moves[0].seat") {
		t.Fatalf("bad seat: %v", p)
	}
}

func TestDepartmentsNameTheirDelegatesIntoHeldSeats(t *testing.T) {
	e := newEnv(t)
	id := e.idOf(e.book(map[string]any{"departments": []map[string]any{{"department": "mishu2", "seats": 2},
		{"department": "xinxi", "seats": 1}, {"department": "zonghe", "seats": 1}}}, who{"director", "rostrum", 0}))
	a := arrangement(t, e.Do("POST", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	held := 0
	for _, s := range a.Audience {
		if s.Held {
			held++
		}
	}
	if held != 4 {
		t.Fatalf("held seats: %+v", a.Audience)
	}
	first := a.Audience[slices.IndexFunc(a.Audience, func(s meeting.Seated) bool { return s.Holder == meeting.HeldSeatID("mishu2", 1) })]
	// 秘书二处's head names 陈晓燕; she takes the first seat held for it and gets the notice.
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/delegates", e.TokenOf("editor"), map[string]any{"department": "mishu2",
		"userIds": []string{e.UserID("staff")}}), 404, "not_found")
	r := e.Do("POST", base+"/"+id+"/delegates", e.TokenOf("chuzhang"), map[string]any{"department": "mishu2",
		"userIds": []string{e.UserID("staff")}})
	if r.Status != 200 {
		t.Fatalf("delegates: %d %s", r.Status, r.Body)
	}
	a = arrangement(t, e.Do("GET", base+"/"+id+"/seating", e.TokenOf("huiwu"), nil))
	if s, _ := seatOf(a, "陈晓燕"); s.Label != first.Label || s.Department != "秘书二处" {
		t.Fatalf("the delegate's seat: %+v, held was %+v", s, first)
	}
	if got := e.Listed("staff", "/meetings"); !slices.Contains(got, id) {
		t.Fatalf("the delegate does not see the meeting: %v", got)
	}
	// 信息处 has no organiser of its own: 秘书二处's head may not name for it.
	testkit.WantProblem(t, e.Do("POST", base+"/"+id+"/delegates", e.TokenOf("chuzhang"), map[string]any{"department": "xinxi",
		"userIds": []string{e.UserID("editor")}}), 403, "forbidden")
}
