package seating

import (
	"cmp"
	"slices"
)

// hall is the audience's geometry: every seat on one horizontal axis,
// sections side by side with a one-seat aisle between neighbours, so that
// "nearer the centre" and "next to" can be measured across sections.
type hall struct {
	layout Layout
	x0     []int // the axis position of each section's seat 1
	width  int   // the axis length, aisles included
	// right is true when ties between two equally central places go to
	// the audience's right: the side number 2 takes on the rostrum.
	right bool
}

func newHall(l Layout, rule EvenRule) hall {
	h := hall{layout: l, x0: make([]int, len(l.Sections)), right: rule != EvenFirstRight}
	for i, s := range l.Sections {
		if i > 0 {
			h.width++ // the aisle
		}
		h.x0[i] = h.width
		h.width += s.SeatsPerRow
	}
	return h
}

// x is the seat's place on the axis.
func (h hall) x(s Seat) int { return h.x0[s.Section-1] + s.Number - 1 }

// centreDist is twice the distance of axis position x from the centre.
func (h hall) centreDist(x int) int { return abs(2*x - (h.width - 1)) }

// sideFirst orders two equally central axis positions.
func (h hall) sideFirst(a, b int) int {
	if h.right {
		return cmp.Compare(b, a)
	}
	return cmp.Compare(a, b)
}

// prestige lists every audience seat from the best to the worst: rows
// front to back, across the whole hall; within a row, centre outward,
// ties to the senior side. It is the order used when departments are
// mixed and for anyone who has no department block to join.
func (h hall) prestige() []Seat {
	var seats []Seat
	for si, sec := range h.layout.Sections {
		for r := 1; r <= sec.Rows; r++ {
			for n := 1; n <= sec.SeatsPerRow; n++ {
				seats = append(seats, Seat{Area: Audience, Section: si + 1, Row: r, Number: n})
			}
		}
	}
	slices.SortFunc(seats, func(a, b Seat) int {
		if c := cmp.Compare(a.Row, b.Row); c != 0 {
			return c
		}
		xa, xb := h.x(a), h.x(b)
		if c := cmp.Compare(h.centreDist(xa), h.centreDist(xb)); c != 0 {
			return c
		}
		return h.sideFirst(xa, xb)
	})
	return seats
}

// sectionOrder lists the sections (0-based) from the most central.
func (h hall) sectionOrder() []int {
	order := make([]int, len(h.layout.Sections))
	mid := func(i int) int { return 2*h.x0[i] + h.layout.Sections[i].SeatsPerRow - 1 }
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(abs(mid(a)-(h.width-1)), abs(mid(b)-(h.width-1))); c != 0 {
			return c
		}
		return h.sideFirst(mid(a), mid(b))
	})
	return order
}

// snake lists one section's seats front to back, each row running the
// other way from the one before (boustrophedon), starting from the end
// nearest the hall's centre aisle. Any run of consecutive seats in it is
// one connected block: that is what keeps a department together.
func (h hall) snake(si int) []Seat {
	sec := h.layout.Sections[si]
	mid := 2*h.x0[si] + sec.SeatsPerRow - 1
	ltr := mid >= h.width-1 // at or right of the centre: start at the left end
	seats := make([]Seat, 0, sec.Rows*sec.SeatsPerRow)
	for r := 1; r <= sec.Rows; r++ {
		for i := range sec.SeatsPerRow {
			n := i + 1
			if !ltr {
				n = sec.SeatsPerRow - i
			}
			seats = append(seats, Seat{Area: Audience, Section: si + 1, Row: r, Number: n})
		}
		ltr = !ltr
	}
	return seats
}

// blocks seats people (in protocol order) by department: departments in
// the order of their most senior member, each given the section whose
// next free seat is nearest the front (ties: the more central section)
// among those with room for the whole department, and filled along that
// section's snake. A department no section can hold whole is split over
// the sections in the same order. People without a department are each a
// department of one. taken holds the seats already occupied (fixed seats);
// blocks adds to it.
func (h hall) blocks(people []*Attendee, taken map[Seat]bool, seat func(*Attendee, Seat)) {
	type lane struct {
		seats []Seat
		next  int
	}
	order := h.sectionOrder()
	lanes := make([]lane, len(h.layout.Sections))
	for si := range lanes {
		for _, s := range h.snake(si) {
			if !taken[s] {
				lanes[si].seats = append(lanes[si].seats, s)
			}
		}
	}
	room := func(si int) int { return len(lanes[si].seats) - lanes[si].next }
	// best is the lane to fill next among those with at least need seats.
	best := func(need int) int {
		pick := -1
		for _, si := range order {
			if room(si) < need || room(si) == 0 {
				continue
			}
			if pick < 0 || lanes[si].seats[lanes[si].next].Row < lanes[pick].seats[lanes[pick].next].Row {
				pick = si
			}
		}
		return pick
	}
	for _, group := range departments(people) {
		si := best(len(group))
		for _, a := range group {
			if si < 0 || room(si) == 0 {
				si = best(1) // split: the department does not fit whole anywhere
			}
			s := lanes[si].seats[lanes[si].next]
			lanes[si].next++
			taken[s] = true
			seat(a, s)
		}
	}
}

// departments groups people (already in protocol order) by department,
// the groups in the order of their most senior member.
func departments(people []*Attendee) [][]*Attendee {
	var groups [][]*Attendee
	index := map[string]int{}
	for _, a := range people {
		if a.Department == "" {
			groups = append(groups, []*Attendee{a})
			continue
		}
		i, ok := index[a.Department]
		if !ok {
			i = len(groups)
			index[a.Department] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], a)
	}
	return groups
}

// nearest picks, for someone joining after the arrangement was made, the
// free seat nearest (rows plus axis positions) to any of mates; ties and
// an empty mates go by prestige order. free is in prestige order.
func (h hall) nearest(free []Seat, taken map[Seat]bool, mates []Seat) (Seat, bool) {
	best, bestD, found := Seat{}, 0, false
	for _, s := range free {
		if taken[s] {
			continue
		}
		if len(mates) == 0 {
			return s, true
		}
		d := -1
		for _, m := range mates {
			md := abs(s.Row-m.Row) + abs(h.x(s)-h.x(m))
			if d < 0 || md < d {
				d = md
			}
		}
		if !found || d < bestD {
			best, bestD, found = s, d, true
		}
	}
	return best, found
}
