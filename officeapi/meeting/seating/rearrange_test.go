package seating_test

import (
	"slices"
	"testing"

	"zhengwu/officeapi/meeting/seating"
)

func without(as []seating.Attendee, id string) []seating.Attendee {
	return slices.DeleteFunc(slices.Clone(as), func(a seating.Attendee) bool { return a.ID == id })
}

func seatOf(p seating.Plan, id string) (seating.Seat, bool) {
	for _, pl := range append(append([]seating.Placement{}, p.Rostrum...), p.Audience...) {
		if pl.AttendeeID == id {
			return pl.Seat, true
		}
	}
	return seating.Seat{}, false
}

// TestRearrangeAudienceMovesNobody: after one audience member declines,
// another sends a delegate and a department adds a person, nobody already
// seated moves; the delegate takes the principal's seat and the newcomer
// sits next to their department. Arranging from scratch instead would
// move people (the count shows the test measures something).
func TestRearrangeAudienceMovesNobody(t *testing.T) {
	t.Parallel()
	l := hall([]int{5}, 8, 10)
	as := append(rostrumPeople(4), delegation(12, 3, 9, 1, 15, 7, 4, 10)...)
	before, err := seating.Arrange(l, as, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	principal, _ := seatOf(before, "d2-0")
	after := without(without(as, "d0-3"), "d2-0")
	after = append(after,
		seating.Attendee{ID: "deputy", Name: "代表", Department: "D2", Rank: 500, Replaces: "d2-0"},
		seating.Attendee{ID: "extra", Name: "增补", Department: "D4", Rank: 101})
	p, err := seating.Rearrange(l, before, after, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSound(t, l, after, p)
	if moved := seating.Moves(before, p); len(moved) != 0 {
		t.Errorf("moved %v, want nobody", moved)
	}
	if s, _ := seatOf(p, "deputy"); s != principal {
		t.Errorf("the delegate sits in %v, the principal sat in %v", s, principal)
	}
	extra, _ := seatOf(p, "extra")
	near := false
	for _, s := range byDepartment(p)["D4"] {
		if s.Section == extra.Section && abs(s.Row-extra.Row)+abs(s.Number-extra.Number) == 1 {
			near = true
		}
	}
	if !near {
		t.Errorf("the newcomer of D4 sits in %v, next to nobody of D4", extra)
	}
	fresh, err := seating.Arrange(l, after, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(seating.Moves(before, fresh)) == 0 {
		t.Error("arranging from scratch moved nobody either: the test shows nothing")
	}
}

// TestRearrangeRostrum: the rostrum is arranged again by protocol, moving
// only those whose protocol place changed: the most junior declining
// moves nobody (the block re-centres around number 1), a delegate of the
// same rank takes the principal's seat, equal ranks keep their old order
// whatever order they are given in, and a fixed seat stays.
func TestRearrangeRostrum(t *testing.T) {
	t.Parallel()
	l := seating.Layout{Rostrum: []int{7}}
	as := rostrumPeople(7)
	before, err := seating.Arrange(l, as, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}

	p, err := seating.Rearrange(l, before, as[:6], seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if moved := seating.Moves(before, p); len(moved) != 0 {
		t.Errorf("number 7 declined; moved %v", moved)
	}

	// Number 4 declining: numbers 5, 6, 7 each move up one protocol
	// place, and only they move (7 5 3 1 2 4 6 → _ 6 3 1 2 5 7 by old number).
	p, err = seating.Rearrange(l, before, without(as, "r4"), seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if moved := seating.Moves(before, p); !slices.Equal(moved, []string{"r5", "r6", "r7"}) {
		t.Errorf("number 4 declined; moved %v, want r5 r6 r7", moved)
	}
	if got, want := rows(p)[0], "_ 5 3 1 2 4 6"; got != want {
		t.Errorf("rostrum %q, want %q", got, want)
	}

	swap := without(as, "r3")
	swap = append(swap, seating.Attendee{ID: "d", Name: "代表", Rank: as[2].Rank, Area: seating.Rostrum, Replaces: "r3"})
	p, err = seating.Rearrange(l, before, swap, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if moved := seating.Moves(before, p); len(moved) != 0 {
		t.Errorf("a delegate replaced number 3; moved %v", moved)
	}
	if s, _ := seatOf(p, "d"); s != (seating.Seat{Area: seating.Rostrum, Row: 1, Number: 3}) {
		t.Errorf("the delegate sits in %v, number 3 sat in seat 3", s)
	}

	tied := []seating.Attendee{
		{ID: "a", Name: "甲", Rank: 1, Area: seating.Rostrum},
		{ID: "b", Name: "乙", Rank: 2, Area: seating.Rostrum},
		{ID: "c", Name: "丙", Rank: 2, Area: seating.Rostrum},
		{ID: "e", Name: "戊", Rank: 3, Area: seating.Rostrum},
	}
	tb, err := seating.Arrange(seating.Layout{Rostrum: []int{5}}, tied, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(tied)
	slices.Reverse(reversed)
	tp, err := seating.Rearrange(seating.Layout{Rostrum: []int{5}}, tb, reversed, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if moved := seating.Moves(tb, tp); len(moved) != 0 {
		t.Errorf("the same people in another order; moved %v", moved)
	}

	fixed := slices.Clone(as)
	fixed[0].Fixed = &seating.Seat{Area: seating.Rostrum, Row: 1, Number: 1}
	fb, err := seating.Arrange(l, fixed, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fp, err := seating.Rearrange(l, fb, without(fixed, "r5"), seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := seatOf(fp, "r1"); s.Number != 1 {
		t.Errorf("the fixed seat was not kept: %v", s)
	}
	checkRostrumOrder(t, l, without(fixed, "r5"), fp)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
