package assistant

import (
	"testing"
	"time"

	"zhengwu/officeapi/schedule"
)

func TestMonthlyRepeatsSkipMonthsWithoutTheDay(t *testing.T) {
	start := time.Date(2026, 1, 31, 9, 0, 0, 0, China)
	e := Event{Start: start, End: start.Add(time.Hour), Repeat: RepeatMonthly, RepeatUntil: "2026-05-31"}
	var got []string
	for _, at := range e.occurrences(start, start.AddDate(1, 0, 0)) {
		got = append(got, at.In(China).Format(DateLayout))
	}
	want := []string{"2026-01-31", "2026-03-31", "2026-05-31"} // no 31st in February or April
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("occurrences %v, want %v", got, want)
	}
	if r := e.nextReminder(start); r != nil {
		t.Fatalf("no reminder asked, yet %v", r)
	}
	e.Remind = 60
	if r := e.nextReminder(start); r == nil || !r.Equal(time.Date(2026, 3, 31, 8, 0, 0, 0, China)) {
		t.Fatalf("the next reminder after the first occurrence began: %v", r)
	}
}

func TestLeaderActivitiesTakeTheirTimesOrTheirPartOfTheDay(t *testing.T) {
	for _, c := range []struct {
		e          schedule.Entry
		start, end string
	}{
		{schedule.Entry{Date: "2026-03-02", Period: "上午", Start: "09:30", End: "11:00"}, "03-02 09:30", "03-02 11:00"},
		{schedule.Entry{Date: "2026-03-02", Period: "下午"}, "03-02 14:00", "03-02 18:00"},
		{schedule.Entry{Date: "2026-03-02", EndDate: "2026-03-04", Period: "上午", Start: "08:00", End: "17:00"}, "03-02 08:00", "03-04 17:00"},
	} {
		s, e := entryTimes(c.e)
		if got := [2]string{s.In(China).Format("01-02 15:04"), e.In(China).Format("01-02 15:04")}; got != [2]string{c.start, c.end} {
			t.Errorf("%+v: %v, want %s – %s", c.e, got, c.start, c.end)
		}
	}
}
