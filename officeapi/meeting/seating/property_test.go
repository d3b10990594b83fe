package seating_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"zhengwu/officeapi/meeting/seating"
)

// randomMeeting draws a layout and people to fill part of it: ranks with
// ties, a few departments and people without one, some seats fixed by
// hand in the person's own area.
func randomMeeting(r *rand.Rand) (seating.Layout, []seating.Attendee) {
	var l seating.Layout
	for range r.IntN(4) {
		l.Rostrum = append(l.Rostrum, 1+r.IntN(9))
	}
	for range 1 + r.IntN(4) {
		l.Sections = append(l.Sections, seating.Section{Rows: 1 + r.IntN(8), SeatsPerRow: 1 + r.IntN(12)})
	}
	seatsOf := func(area seating.Area) []seating.Seat {
		var all []seating.Seat
		if area == seating.Rostrum {
			for row, n := range l.Rostrum {
				for num := 1; num <= n; num++ {
					all = append(all, seating.Seat{Area: area, Row: row + 1, Number: num})
				}
			}
			return all
		}
		for si, s := range l.Sections {
			for row := 1; row <= s.Rows; row++ {
				for num := 1; num <= s.SeatsPerRow; num++ {
					all = append(all, seating.Seat{Area: area, Section: si + 1, Row: row, Number: num})
				}
			}
		}
		return all
	}
	var as []seating.Attendee
	for _, area := range []seating.Area{seating.Rostrum, seating.Audience} {
		free := seatsOf(area)
		r.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
		n := r.IntN(len(free) + 1)
		for i := range n {
			a := seating.Attendee{ID: fmt.Sprintf("%s%d", area, i), Name: fmt.Sprintf("人%d", i), Rank: r.IntN(20), Area: area}
			if d := r.IntN(6); d > 0 {
				a.Department = fmt.Sprintf("D%d", d)
			}
			if r.IntN(8) == 0 {
				a.Fixed = &free[i]
			}
			as = append(as, a)
		}
	}
	r.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
	return l, as
}

// TestPropertyArrange: for random rooms and people, everyone is seated
// exactly once in a seat of the layout and their area, no seat twice,
// fixed seats kept, the plan's ranks a protocol order, and the rostrum in
// rank order (front before back, centre before sides). Then the list
// changes (people leave, delegates and newcomers arrive, the order is
// shuffled): the same holds, and nobody in the audience who could keep
// their seat moved.
func TestPropertyArrange(t *testing.T) {
	t.Parallel()
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 13))
		l, as := randomMeeting(r)
		opts := seating.Options{MixDepartments: r.IntN(3) == 0}
		if r.IntN(2) == 0 {
			opts.Even = seating.EvenFirstRight
		}
		p, err := seating.Arrange(l, as, opts)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkSound(t, l, as, p)
		checkRostrumOrder(t, l, as, p)

		// Change the list: drop about a quarter, let some send delegates.
		var next []seating.Attendee
		dropped := 0
		for i, a := range as {
			switch r.IntN(8) {
			case 0, 1:
				dropped++
			case 2:
				if a.Fixed == nil {
					next = append(next, seating.Attendee{ID: fmt.Sprintf("delegate%d", i), Name: "代表",
						Department: a.Department, Rank: a.Rank + r.IntN(2), Area: a.Area, Replaces: a.ID})
				} else {
					next = append(next, a)
				}
			default:
				next = append(next, a)
			}
		}
		// Newcomers fill at most the seats freed in the audience.
		for i := range r.IntN(dropped + 1) {
			next = append(next, seating.Attendee{ID: fmt.Sprintf("new%d", i), Name: "新", Department: fmt.Sprintf("D%d", r.IntN(6)), Rank: r.IntN(20)})
		}
		audience := 0
		for _, a := range next {
			if a.Fixed == nil && a.Area != seating.Rostrum || a.Fixed != nil && a.Fixed.Area == seating.Audience {
				audience++
			}
		}
		if audience > l.AudienceSeats() {
			continue // the draw overfilled the audience: nothing to check
		}
		r.Shuffle(len(next), func(i, j int) { next[i], next[j] = next[j], next[i] })
		q, err := seating.Rearrange(l, p, next, opts)
		if err != nil {
			t.Fatalf("seed %d: rearrange: %v", seed, err)
		}
		checkSound(t, l, next, q)
		checkRostrumOrder(t, l, next, q)
		fixedNow := map[seating.Seat]bool{}
		for _, a := range next {
			if a.Fixed != nil {
				fixedNow[*a.Fixed] = true
			}
		}
		stays := map[string]bool{}
		for _, a := range next {
			stays[a.ID] = a.Area != seating.Rostrum && a.Fixed == nil
		}
		for _, id := range seating.Moves(p, q) {
			was, _ := seatOf(p, id)
			if stays[id] && was.Area == seating.Audience && !fixedNow[was] {
				t.Fatalf("seed %d: %s moved from %v in the audience", seed, id, was)
			}
		}
	}
}
