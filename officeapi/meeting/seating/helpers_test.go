package seating_test

import (
	"fmt"
	"testing"

	"zhengwu/officeapi/meeting/seating"
)

// hall is three sections of rows×seats, the rostrum rostrum.
func hall(rostrum []int, rows, seats int) seating.Layout {
	l := seating.Layout{Rostrum: rostrum}
	for _, name := range []string{"左区", "中区", "右区"} {
		l.Sections = append(l.Sections, seating.Section{Name: name, Rows: rows, SeatsPerRow: seats})
	}
	return l
}

// delegation makes sizes[i] people of department D<i>, ranks interleaved
// so that a department's members are not given one after another.
func delegation(sizes ...int) []seating.Attendee {
	var as []seating.Attendee
	rank := 100
	for round := 0; ; round++ {
		added := false
		for d, n := range sizes {
			if round < n {
				as = append(as, seating.Attendee{ID: fmt.Sprintf("d%d-%d", d, round), Name: fmt.Sprintf("部门%d成员%d", d, round),
					Department: fmt.Sprintf("D%d", d), Rank: rank})
				rank++
				added = true
			}
		}
		if !added {
			return as
		}
	}
}

// checkSound fails unless every attendee is seated exactly once, in a
// seat of the layout, in their area, no seat twice, fixed seats kept,
// and the plan's ranks a protocol order (1..n, following Rank).
func checkSound(t *testing.T, l seating.Layout, as []seating.Attendee, p seating.Plan) {
	t.Helper()
	byID := map[string]seating.Attendee{}
	for _, a := range as {
		byID[a.ID] = a
	}
	seen := map[string]bool{}
	seats := map[seating.Seat]string{}
	ranks := map[int]bool{}
	all := append(append([]seating.Placement{}, p.Rostrum...), p.Audience...)
	for _, pl := range all {
		a, ok := byID[pl.AttendeeID]
		if !ok {
			t.Fatalf("%s seated but not attending", pl.AttendeeID)
		}
		if seen[pl.AttendeeID] {
			t.Fatalf("%s seated twice", pl.AttendeeID)
		}
		seen[pl.AttendeeID] = true
		if other, dup := seats[pl.Seat]; dup {
			t.Fatalf("%s and %s both in %v", other, pl.AttendeeID, pl.Seat)
		}
		seats[pl.Seat] = pl.AttendeeID
		if !l.Has(pl.Seat) {
			t.Fatalf("%s in %v, not in the layout", pl.AttendeeID, pl.Seat)
		}
		if a.Fixed != nil && *a.Fixed != pl.Seat {
			t.Fatalf("%s fixed to %v, seated in %v", a.ID, *a.Fixed, pl.Seat)
		}
		wantArea := a.Area
		if a.Fixed != nil {
			wantArea = a.Fixed.Area
		} else if wantArea == "" {
			wantArea = seating.Audience
		}
		if pl.Seat.Area != wantArea {
			t.Fatalf("%s in %s, wanted %s", a.ID, pl.Seat.Area, wantArea)
		}
		if pl.Rank < 1 || pl.Rank > len(as) || ranks[pl.Rank] {
			t.Fatalf("%s has rank %d: not a protocol order", a.ID, pl.Rank)
		}
		ranks[pl.Rank] = true
	}
	if len(seen) != len(as) {
		t.Fatalf("%d of %d attendees seated", len(seen), len(as))
	}
	for _, x := range all {
		for _, y := range all {
			if byID[x.AttendeeID].Rank < byID[y.AttendeeID].Rank && x.Rank > y.Rank {
				t.Fatalf("%s outranks %s but has the later protocol order", x.AttendeeID, y.AttendeeID)
			}
		}
	}
}

// checkRostrumOrder fails unless, among rostrum people not fixed, the
// more senior always sits in a front row or, in the same row, no further
// from the row's centre (DOMAIN.md: front rows outrank back rows, the
// centre outranks the sides).
func checkRostrumOrder(t *testing.T, l seating.Layout, as []seating.Attendee, p seating.Plan) {
	t.Helper()
	byID := map[string]seating.Attendee{}
	for _, a := range as {
		byID[a.ID] = a
	}
	dist := func(s seating.Seat) int { // doubled distance from the row's centre
		d := 2*(s.Number-1) - (l.Rostrum[s.Row-1] - 1)
		if d < 0 {
			return -d
		}
		return d
	}
	for _, x := range p.Rostrum {
		for _, y := range p.Rostrum {
			ax, ay := byID[x.AttendeeID], byID[y.AttendeeID]
			if ax.Fixed != nil || ay.Fixed != nil || ax.Rank >= ay.Rank {
				continue
			}
			if x.Seat.Row > y.Seat.Row || (x.Seat.Row == y.Seat.Row && dist(x.Seat) > dist(y.Seat)) {
				t.Fatalf("%s (rank %d) in %v is behind %s (rank %d) in %v", ax.ID, ax.Rank, x.Seat, ay.ID, ay.Rank, y.Seat)
			}
		}
	}
}

// contiguous reports whether seats form one block: connected through
// side-by-side seats of a row and front-to-back seats of a section.
func contiguous(seats []seating.Seat) bool {
	if len(seats) == 0 {
		return true
	}
	in := map[seating.Seat]bool{}
	for _, s := range seats {
		in[s] = true
	}
	reached := map[seating.Seat]bool{seats[0]: true}
	stack := []seating.Seat{seats[0]}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range [][2]int{{0, 1}, {0, -1}, {1, 0}, {-1, 0}} {
			n := s
			n.Row += d[0]
			n.Number += d[1]
			if in[n] && !reached[n] {
				reached[n] = true
				stack = append(stack, n)
			}
		}
	}
	return len(reached) == len(seats)
}

// byDepartment groups a plan's audience seats by department.
func byDepartment(p seating.Plan) map[string][]seating.Seat {
	m := map[string][]seating.Seat{}
	for _, pl := range p.Audience {
		m[pl.Department] = append(m[pl.Department], pl.Seat)
	}
	return m
}
