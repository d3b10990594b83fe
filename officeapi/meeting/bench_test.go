package meeting_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/testkit"
)

// BenchmarkArrangeAuditorium arranges the 1,500-seat auditorium through
// the service (read, arrange, commit with its audit entry, on SQLite):
// 20 leaders on the rostrum, 49 departments invited with 20 seats each
// (980 seats held in their names), in department blocks. The pure
// package's BenchmarkArrange is the arrangement alone.
func BenchmarkArrangeAuditorium(b *testing.B) {
	k := testkit.New(b)
	people := func(_ context.Context, id string) (meeting.Person, error) {
		return meeting.Person{ID: id, Name: "领导" + id[len(id)-2:], Departments: []string{"office"},
			Clearance: classification.Jimi, Precedence: 10 * (int(id[len(id)-1]) % 7)}, nil
	}
	svc, err := meeting.New(meeting.Deps{Deps: records.Deps{Store: k.Store, Trail: k.Trail, Now: k.Clock.Now, Log: k.Log,
		IndexDir: filepath.Join(b.TempDir(), "meeting")}, People: people,
		DepartmentName: func(_ context.Context, id string) (string, error) { return "处室" + id, nil }})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := svc.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = svc.Close() })
	k.Store.Subscribe(svc.Notify)
	a := records.Actor{P: &auth.Principal{UserID: "organiser", Name: "会务", Clearance: classification.Jimi, Departments: []string{"huiwu"},
		Perms: map[string][]string{auth.PermMeetingOrganise.Key(): {auth.OfficeWide}}}, IP: "bench"}
	in := meeting.Input{Title: "全省大会", StartAt: k.Clock.Now().Add(24 * time.Hour), EndAt: k.Clock.Now().Add(26 * time.Hour), RoomID: "auditorium"}
	for i := range 20 {
		in.Attendees = append(in.Attendees, meeting.AttendeeInput{UserID: fmt.Sprintf("%032x", i+1), SeatArea: "rostrum"})
	}
	for i := range 49 {
		in.Departments = append(in.Departments, meeting.InvitationInput{Department: fmt.Sprintf("d%02d", i), Seats: 20})
	}
	v, err := svc.Book(ctx, a, in)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		got, err := svc.Arrange(ctx, a, v.Document.ID, meeting.ArrangeInput{})
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Rostrum) != 20 || len(got.Audience) != 980 {
			b.Fatalf("%d + %d seated", len(got.Rostrum), len(got.Audience))
		}
	}
}
