package seating

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"zhengwu/shared/problem"
)

// Plan is an arrangement: who sits where.
type Plan struct {
	Layout Layout `json:"layout"`
	// Rostrum is in protocol order (Rank ascending).
	Rostrum []Placement `json:"rostrum"`
	// Audience is in seat order: section, row, number.
	Audience []Placement `json:"audience"`
}

// Placement is one person in one seat.
type Placement struct {
	Seat Seat `json:"seat"`
	// Rank is the person's protocol order in this meeting, 1 = the most
	// senior: the attendees' Rank with ties broken (see Attendee.Rank).
	Rank       int    `json:"rank"`
	AttendeeID string `json:"attendeeId"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	// Fixed is true for a seat chosen by hand.
	Fixed bool `json:"fixed,omitempty"`
}

// Arrange seats attendees in layout: hand-fixed seats first, then the
// rostrum in protocol order, then the audience by department blocks (or
// by rank alone, Options.MixDepartments). It returns a 400 problem naming
// the field when the attendees cannot be seated as asked.
func Arrange(layout Layout, attendees []Attendee, opts Options) (Plan, error) {
	return arrange(layout, attendees, opts, nil)
}

// Rearrange seats attendees again after the list changed (someone
// declined, a delegate replaced someone, someone was added), moving as
// few of those already seated in prev as it can: fixed seats are kept,
// the audience keeps its seats and newcomers fill the free ones (a
// delegate takes the seat of the person they replace, anyone else the
// free seat nearest their department), and the rostrum, where protocol
// order is not negotiable, is arranged again from rank with ties kept in
// their old order, so it moves only the people whose protocol place
// changed.
func Rearrange(layout Layout, prev Plan, attendees []Attendee, opts Options) (Plan, error) {
	return arrange(layout, attendees, opts, &prev)
}

// Moves lists the ids of people seated in both plans whose seat differs.
func Moves(prev, next Plan) []string {
	before := map[string]Seat{}
	for _, p := range prev.all() {
		before[p.AttendeeID] = p.Seat
	}
	var moved []string
	for _, p := range next.all() {
		if s, ok := before[p.AttendeeID]; ok && s != p.Seat {
			moved = append(moved, p.AttendeeID)
		}
	}
	return moved
}

func (p Plan) all() []Placement {
	return append(slices.Clone(p.Rostrum), p.Audience...)
}

func arrange(layout Layout, attendees []Attendee, opts Options, prev *Plan) (Plan, error) {
	if err := validate(layout, attendees); err != nil {
		return Plan{}, err
	}
	if opts.Even != EvenFirstRight {
		opts.Even = EvenFirstLeft
	}
	before := map[string]Placement{}
	if prev != nil {
		for _, p := range prev.all() {
			before[p.AttendeeID] = p
		}
	}
	present := map[string]bool{}
	for _, a := range attendees {
		present[a.ID] = true
	}
	// wasAt is where a sat before, or where the person a replaces sat.
	wasAt := func(a *Attendee) (Placement, bool) {
		if p, ok := before[a.ID]; ok {
			return p, true
		}
		if a.Replaces != "" && !present[a.Replaces] {
			p, ok := before[a.Replaces]
			return p, ok
		}
		return Placement{}, false
	}

	// Protocol order: rank, then the old order (stable re-arranging), then
	// the order given.
	people := make([]*Attendee, len(attendees))
	for i := range attendees {
		people[i] = &attendees[i]
	}
	oldRank := func(a *Attendee) int {
		if p, ok := wasAt(a); ok {
			return p.Rank
		}
		return math.MaxInt
	}
	slices.SortStableFunc(people, func(a, b *Attendee) int {
		if c := cmp.Compare(a.Rank, b.Rank); c != 0 {
			return c
		}
		return cmp.Compare(oldRank(a), oldRank(b))
	})

	plan := Plan{Layout: layout}
	rank := map[*Attendee]int{}
	for i, a := range people {
		rank[a] = i + 1
	}
	taken := map[Seat]bool{}
	seat := func(a *Attendee, s Seat) {
		taken[s] = true
		p := Placement{Seat: s, Rank: rank[a], AttendeeID: a.ID, Name: a.Name, Department: a.Department, Fixed: a.Fixed != nil}
		if s.Area == Rostrum {
			plan.Rostrum = append(plan.Rostrum, p)
		} else {
			plan.Audience = append(plan.Audience, p)
		}
	}

	var onRostrum, rostrumFree, audienceFree []*Attendee
	for _, a := range people {
		if a.area() == Rostrum {
			onRostrum = append(onRostrum, a)
		}
		switch {
		case a.Fixed != nil:
			seat(a, *a.Fixed)
		case a.area() == Rostrum:
			rostrumFree = append(rostrumFree, a)
		default:
			audienceFree = append(audienceFree, a)
		}
	}

	seq := rostrumSequence(layout.Rostrum, len(onRostrum), opts.Even)
	next := 0
	for _, a := range rostrumFree {
		for taken[seq[next]] {
			next++
		}
		seat(a, seq[next])
	}

	h := newHall(layout, opts.Even)
	if prev == nil {
		if opts.MixDepartments {
			free := h.prestige()
			next := 0
			for _, a := range audienceFree {
				for taken[free[next]] {
					next++
				}
				seat(a, free[next])
			}
		} else {
			h.blocks(audienceFree, taken, seat)
		}
	} else {
		// Keep whoever can keep their seat (or their principal's), then
		// fit the newcomers in, most senior first.
		var newcomers []*Attendee
		for _, a := range audienceFree {
			if p, ok := wasAt(a); ok && p.Seat.Area == Audience && layout.Has(p.Seat) && !taken[p.Seat] {
				seat(a, p.Seat)
			} else {
				newcomers = append(newcomers, a)
			}
		}
		mates := map[string][]Seat{}
		for _, p := range plan.Audience {
			if p.Department != "" {
				mates[p.Department] = append(mates[p.Department], p.Seat)
			}
		}
		free := h.prestige()
		for _, a := range newcomers {
			var m []Seat
			if !opts.MixDepartments && a.Department != "" {
				m = mates[a.Department]
			}
			s, _ := h.nearest(free, taken, m) // validate counted the seats
			seat(a, s)
			if a.Department != "" {
				mates[a.Department] = append(mates[a.Department], s)
			}
		}
	}

	slices.SortFunc(plan.Rostrum, func(a, b Placement) int { return cmp.Compare(a.Rank, b.Rank) })
	slices.SortFunc(plan.Audience, func(a, b Placement) int { return compareSeats(a.Seat, b.Seat) })
	return plan, nil
}

// compareSeats orders seats rostrum first, then by section, row, number.
func compareSeats(a, b Seat) int {
	if a.Area != b.Area {
		if a.Area == Rostrum {
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(a.Section, b.Section), cmp.Compare(a.Row, b.Row), cmp.Compare(a.Number, b.Number))
}

// validate refuses what cannot be seated, naming the field: a bad
// layout, a missing or repeated id, an unknown area, a fixed seat outside
// the layout or taken twice, more people than seats (overall, on the
// rostrum, in the audience).
func validate(layout Layout, attendees []Attendee) error {
	errs := layout.validate()
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	ids := map[string]int{}
	fixedBy := map[Seat]int{}
	var rostrum, audience int
	for i, a := range attendees {
		at := "attendees[" + strconv.Itoa(i) + "]"
		if a.ID == "" {
			errs = append(errs, problem.Field(at+".id", "缺少参会人标识", "id is required"))
		} else if j, dup := ids[a.ID]; dup {
			errs = append(errs, problem.Field(at+".id",
				fmt.Sprintf("与第%d位参会人重复", j+1), fmt.Sprintf("the same person as attendees[%d]", j)))
		} else {
			ids[a.ID] = i
		}
		if a.Area != "" && a.Area != Rostrum && a.Area != Audience {
			errs = append(errs, problem.Field(at+".area", "座区只能是主席台（rostrum）或台下（audience）",
				"area is rostrum or audience"))
		}
		if a.Fixed != nil {
			switch j, dup := fixedBy[*a.Fixed]; {
			case !layout.Has(*a.Fixed):
				errs = append(errs, problem.Field(at+".fixed", "指定的座位不在会场布局内",
					"the fixed seat is not in the room's layout"))
			case dup:
				errs = append(errs, problem.Field(at+".fixed",
					fmt.Sprintf("%s已指定给第%d位参会人", a.Fixed.Label(), j+1),
					fmt.Sprintf("the seat is already fixed for attendees[%d]", j)))
			default:
				fixedBy[*a.Fixed] = i
			}
		}
		if a.area() == Rostrum {
			rostrum++
		} else {
			audience++
		}
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	if n, seats := len(attendees), layout.RostrumSeats()+layout.AudienceSeats(); n > seats {
		errs = append(errs, problem.Field("attendees", fmt.Sprintf("参会人数（%d）超过座位数（%d）", n, seats),
			fmt.Sprintf("%d attendees for %d seats", n, seats)))
	} else if seats := layout.RostrumSeats(); rostrum > seats {
		errs = append(errs, problem.Field("attendees", fmt.Sprintf("主席台人数（%d）超过主席台座位数（%d）", rostrum, seats),
			fmt.Sprintf("%d people on a rostrum of %d seats", rostrum, seats)))
	} else if seats := layout.AudienceSeats(); audience > seats {
		errs = append(errs, problem.Field("attendees", fmt.Sprintf("台下人数（%d）超过台下座位数（%d）", audience, seats),
			fmt.Sprintf("%d people in an audience of %d seats", audience, seats)))
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}
