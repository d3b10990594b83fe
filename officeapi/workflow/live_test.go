package workflow

import (
	"testing"
	"time"

	"zhengwu/officeapi/workcal"
)

// An edit of the working calendar reaches the engine without a restart:
// Env.Calendar is asked at each step.
func TestDeadlinesFollowTheCalendarInForce(t *testing.T) {
	env := testEnv(t)
	live := workcal.NewLive(env.Calendar.Current())
	env.Calendar = live
	now := time.Date(2027, 4, 30, 10, 0, 0, 0, shanghai) // a Friday; 2027 has no notice shipped
	start := func() Instance {
		in, _, err := Apply(testFlow(), Instance{}, Action{Kind: ActStart, Actor: "u0", ID: "i", Subject: Subject{Collection: "d", ID: "d"}}, now, env)
		if err != nil {
			t.Fatal(err)
		}
		in, _, err = Apply(testFlow(), in, Action{Kind: ActApprove, Actor: "u0", Task: "t1"}, now, env)
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	// 审核: 3 working days from Friday 30 April: Wednesday 5 May.
	if due := start().Tasks[0].Due; due.In(shanghai).Day() != 5 {
		t.Fatalf("before the edit: due %v", due)
	}
	edited, err := live.Current().WithYear(workcal.Year{Year: 2027, Source: workcal.Source{Title: "测试"},
		Holidays: []workcal.Holiday{{Name: "劳动节", First: "2027-05-01", Last: "2027-05-05"}}})
	if err != nil {
		t.Fatal(err)
	}
	live.Set(edited)
	// 1–5 May off: Thursday 6, Friday 7, Monday 10 May.
	if due := start().Tasks[0].Due; due.In(shanghai).Day() != 10 {
		t.Fatalf("after the edit: due %v", due)
	}
}
