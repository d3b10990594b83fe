package seating_test

import (
	"testing"

	"zhengwu/officeapi/meeting/seating"
)

// TestAudienceDepartmentBlocks: each department sits in one contiguous
// block inside one section; the most senior department starts in the
// front row of the centre section, and the senior departments take the
// front rows.
func TestAudienceDepartmentBlocks(t *testing.T) {
	t.Parallel()
	l := hall(nil, 8, 10)
	as := delegation(12, 3, 9, 1, 15, 7, 4, 10, 6, 2, 11, 5)
	p, err := seating.Arrange(l, as, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSound(t, l, as, p)
	for dept, seats := range byDepartment(p) {
		if !contiguous(seats) {
			t.Errorf("%s is split: %v", dept, seats)
		}
		for _, s := range seats {
			if s.Section != seats[0].Section {
				t.Errorf("%s spans sections %d and %d", dept, seats[0].Section, s.Section)
			}
		}
	}
	first := p.Audience[0]
	for _, pl := range p.Audience {
		if pl.Rank < first.Rank {
			first = pl
		}
	}
	if first.Department != "D0" || first.Seat.Section != 2 || first.Seat.Row != 1 {
		t.Errorf("the most senior sits in %v of %s, want the front row of the centre section", first.Seat, first.Department)
	}
	// Front to back: the three most senior departments, one per section,
	// all start in row 1.
	starts := map[string]int{}
	for dept, seats := range byDepartment(p) {
		starts[dept] = seats[0].Row
	}
	for _, d := range []string{"D0", "D1", "D2"} {
		if starts[d] != 1 {
			t.Errorf("%s starts in row %d, want 1", d, starts[d])
		}
	}
}

// TestAudienceTooBigDepartmentSplits: a department larger than any
// section is still seated, over more than one section, everyone else
// kept in blocks.
func TestAudienceTooBigDepartmentSplits(t *testing.T) {
	t.Parallel()
	l := hall(nil, 3, 4) // 12 seats a section
	as := delegation(20, 5, 3)
	p, err := seating.Arrange(l, as, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSound(t, l, as, p)
	sections := map[int]bool{}
	for _, s := range byDepartment(p)["D0"] {
		sections[s.Section] = true
	}
	if len(sections) < 2 {
		t.Errorf("D0 (20 people) in %d section(s) of 12 seats", len(sections))
	}
	for _, d := range []string{"D1", "D2"} {
		if !contiguous(byDepartment(p)[d]) {
			t.Errorf("%s is split: %v", d, byDepartment(p)[d])
		}
	}
}

// TestAudienceMixed: with departments mixed the audience fills front to
// back by rank alone: a more senior person never sits in a row behind a
// more junior one, and within a row never further from the hall's centre.
func TestAudienceMixed(t *testing.T) {
	t.Parallel()
	l := hall(nil, 5, 6)
	as := delegation(10, 10, 10, 10)
	p, err := seating.Arrange(l, as, seating.Options{MixDepartments: true})
	if err != nil {
		t.Fatal(err)
	}
	checkSound(t, l, as, p)
	// The hall's axis: 6 seats, aisle, 6, aisle, 6: 20 places, centre 9.5.
	dist := func(s seating.Seat) int {
		x := (s.Section-1)*7 + s.Number - 1
		if d := 2*x - 19; d >= 0 {
			return d
		}
		return 19 - 2*x
	}
	for _, x := range p.Audience {
		for _, y := range p.Audience {
			if x.Rank < y.Rank && (x.Seat.Row > y.Seat.Row || (x.Seat.Row == y.Seat.Row && dist(x.Seat) > dist(y.Seat))) {
				t.Fatalf("rank %d in %v is behind rank %d in %v", x.Rank, x.Seat, y.Rank, y.Seat)
			}
		}
	}
}

// TestFixedSeatsKept: hand-placed people keep their seats on the rostrum
// and in the audience, and the others are arranged around them: the
// rostrum's others in protocol order over the seats left, the audience's
// departments still in blocks.
func TestFixedSeatsKept(t *testing.T) {
	t.Parallel()
	l := hall([]int{7}, 6, 8)
	as := rostrumPeople(5)
	as[2].Fixed = &seating.Seat{Area: seating.Rostrum, Row: 1, Number: 7} // number 3 dragged to the far right
	aud := delegation(6, 4)
	aud[0].Fixed = &seating.Seat{Area: seating.Audience, Section: 3, Row: 6, Number: 8} // D0's head sits at the back
	as = append(as, aud...)
	p, err := seating.Arrange(l, as, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSound(t, l, as, p)
	checkRostrumOrder(t, l, as, p)
	if got, want := rows(p)[0], "_ _ 4 1 2 5 3"; got != want {
		t.Errorf("rostrum %q, want %q", got, want)
	}
	var rest []seating.Seat
	for _, pl := range p.Audience {
		if pl.Department == "D0" && pl.AttendeeID != aud[0].ID {
			rest = append(rest, pl.Seat)
		}
	}
	if !contiguous(rest) {
		t.Errorf("D0 without its fixed member is split: %v", rest)
	}
}
