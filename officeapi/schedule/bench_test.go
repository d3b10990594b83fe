package schedule_test

import (
	"context"
	"fmt"
	"testing"

	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/schedule"
)

// benchWeek is the demo office with 30 leaders listed and a way to fill
// a week: 12 activities a leader (two a day Monday to Saturday, one
// overlapping pair each), 360 submissions.
func benchWeek(b *testing.B) (svc *schedule.Service, a records.Actor, fill func(week string)) {
	e := officetest.New(b)
	svc, err := schedule.New(e.Deps("schedule"))
	if err != nil {
		b.Fatal(err)
	}
	e.Mount(svc, nil)
	ctx := context.Background()
	clerk, err := e.Identity.PrincipalByUsername(ctx, "clerk")
	if err != nil {
		b.Fatal(err)
	}
	a = records.Actor{P: clerk, IP: "bench"}
	in := schedule.LeadersInput{}
	for i := range 30 {
		in.Leaders = append(in.Leaders, schedule.LeaderInput{ID: fmt.Sprintf("l%02d", i), Name: fmt.Sprintf("领导%02d", i), Title: "副省长"})
	}
	if _, err := svc.SetLeaders(ctx, a, in); err != nil {
		b.Fatal(err)
	}
	return svc, a, func(week string) {
		monday, err := schedule.ParseWeek(week)
		if err != nil {
			b.Fatal(err)
		}
		for l := range 30 {
			for d := range 6 {
				for k, slot := range [][3]string{{"上午", "09:00", "11:30"}, {"下午", "15:00", "17:00"}} {
					if d == 5 && k == 1 {
						slot = [3]string{"上午", "11:00", "12:30"} // overlaps the morning
					}
					_, err := svc.Submit(ctx, a, schedule.Input{LeaderID: fmt.Sprintf("l%02d", l), Date: monday.AddDate(0, 0, d).Format(schedule.DateLayout),
						Period: slot[0], Start: slot[1], End: slot[2], Type: "会议", Content: "出席会议", Place: "省政府", Department: "mishu1"})
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
}

// BenchmarkCompileWeek30Leaders is the week's compile for 30 leaders: 360
// submitted activities read by one prefix scan, their overlaps found, and
// the 360 entries and the week written in one commit with its audit
// entry. Each iteration compiles a week of its own, filled before the
// timer runs.
func BenchmarkCompileWeek30Leaders(b *testing.B) {
	svc, a, fill := benchWeek(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		b.StopTimer()
		week := fmt.Sprintf("2026-W%02d", 11+i%40)
		i++
		fill(week)
		b.StartTimer()
		v, err := svc.Compile(ctx, a, week)
		if err != nil {
			b.Fatal(err)
		}
		if v.Entries != 360 || len(v.Conflicts) != 30 {
			b.Fatalf("compiled %d entries, %d conflicts", v.Entries, len(v.Conflicts))
		}
	}
}

// BenchmarkRecompileWeek30Leaders compiles that week again (as the office
// does after returning or changing an activity): the same reading and
// checking, and only the week's document written.
func BenchmarkRecompileWeek30Leaders(b *testing.B) {
	svc, a, fill := benchWeek(b)
	ctx := context.Background()
	fill("2026-W11")
	for b.Loop() {
		if _, err := svc.Compile(ctx, a, "2026-W11"); err != nil {
			b.Fatal(err)
		}
	}
}
