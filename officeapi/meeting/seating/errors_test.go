package seating_test

import (
	"net/http"
	"testing"

	"zhengwu/officeapi/meeting/seating"
	"zhengwu/shared/problem"
)

// TestErrorsNameTheField: what cannot be seated is a 400 problem with the
// offending field named and a message in Chinese and English.
func TestErrorsNameTheField(t *testing.T) {
	t.Parallel()
	l := hall([]int{3}, 2, 2) // 3 + 12 seats
	seat := func(a seating.Area, sec, row, num int) *seating.Seat {
		return &seating.Seat{Area: a, Section: sec, Row: row, Number: num}
	}
	cases := []struct {
		name   string
		layout seating.Layout
		as     []seating.Attendee
		field  string
	}{
		{"more attendees than seats", l, delegation(16), "attendees"},
		{"more on the rostrum than its seats", l, rostrumPeople(4), "attendees"},
		{"more in the audience than its seats", seating.Layout{Rostrum: []int{9}, Sections: l.Sections[:1]}, delegation(5), "attendees"},
		{"two fixed to one seat", l, []seating.Attendee{
			{ID: "a", Name: "甲", Fixed: seat(seating.Audience, 1, 1, 1)},
			{ID: "b", Name: "乙", Fixed: seat(seating.Audience, 1, 1, 1)},
		}, "attendees[1].fixed"},
		{"fixed outside the layout: row", l, []seating.Attendee{{ID: "a", Name: "甲", Fixed: seat(seating.Audience, 1, 3, 1)}}, "attendees[0].fixed"},
		{"fixed outside the layout: section", l, []seating.Attendee{{ID: "a", Name: "甲", Fixed: seat(seating.Audience, 4, 1, 1)}}, "attendees[0].fixed"},
		{"fixed outside the layout: rostrum seat", l, []seating.Attendee{{ID: "a", Name: "甲", Fixed: seat(seating.Rostrum, 0, 1, 4)}}, "attendees[0].fixed"},
		{"fixed to an unknown area", l, []seating.Attendee{{ID: "a", Name: "甲", Fixed: seat("stage", 0, 1, 1)}}, "attendees[0].fixed"},
		{"unknown area", l, []seating.Attendee{{ID: "a", Name: "甲", Area: "balcony"}}, "attendees[0].area"},
		{"repeated id", l, []seating.Attendee{{ID: "a", Name: "甲"}, {ID: "a", Name: "甲"}}, "attendees[1].id"},
		{"missing id", l, []seating.Attendee{{Name: "甲"}}, "attendees[0].id"},
		{"empty rostrum row", seating.Layout{Rostrum: []int{0}}, nil, "layout.rostrum[0]"},
		{"empty section", seating.Layout{Sections: []seating.Section{{Rows: 2}}}, nil, "layout.sections[0]"},
		{"absurd layout", seating.Layout{Sections: []seating.Section{{Rows: 1000, SeatsPerRow: 1000}}}, nil, "layout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := seating.Arrange(c.layout, c.as, seating.Options{})
			p := problem.As(err)
			if p == nil {
				t.Fatalf("got %v, want a problem", err)
			}
			if p.Status != http.StatusBadRequest || p.Code != problem.CodeInvalid {
				t.Errorf("status %d code %s", p.Status, p.Code)
			}
			if len(p.Fields) != 1 || p.Fields[0].Field != c.field {
				t.Fatalf("fields %+v, want %s", p.Fields, c.field)
			}
			if p.Fields[0].Message == "" || p.Fields[0].MessageEn == "" {
				t.Errorf("messages %q / %q", p.Fields[0].Message, p.Fields[0].MessageEn)
			}
			t.Log(p.Fields[0].Message, "/", p.Fields[0].MessageEn)
			if _, err := seating.Rearrange(c.layout, seating.Plan{}, c.as, seating.Options{}); problem.As(err) == nil {
				t.Errorf("Rearrange took it: %v", err)
			}
		})
	}
}
