package seating

import "slices"

// Chart is a plan as rows of seats, ready to draw (the SPA's seat chart
// editor, a PDF or PNG renderer): every seat of the layout, occupied or
// not, seen from the audience.
type Chart struct {
	// Rostrum rows, front row first.
	Rostrum []ChartRow `json:"rostrum"`
	// Sections in the audience, left to right.
	Sections []ChartSection `json:"sections"`
}

// ChartSection is one audience block of a Chart.
type ChartSection struct {
	Number int        `json:"number"`
	Name   string     `json:"name,omitempty"`
	Rows   []ChartRow `json:"rows"`
}

// ChartRow is one row, seats left to right as seen from the audience.
type ChartRow struct {
	Row   int         `json:"row"`
	Seats []ChartSeat `json:"seats"`
}

// ChartSeat is one seat and who sits in it; Occupant is nil for an empty
// seat.
type ChartSeat struct {
	Seat     Seat       `json:"seat"`
	Label    string     `json:"label"`
	Occupant *Placement `json:"occupant,omitempty"`
}

// Chart lays the plan out seat by seat.
func (p Plan) Chart() Chart {
	who := map[Seat]*Placement{}
	for _, pl := range p.all() {
		who[pl.Seat] = &pl
	}
	row := func(s Seat, width int) ChartRow {
		r := ChartRow{Row: s.Row, Seats: make([]ChartSeat, width)}
		for i := range width {
			s.Number = i + 1
			r.Seats[i] = ChartSeat{Seat: s, Label: s.Label(), Occupant: who[s]}
		}
		return r
	}
	var c Chart
	for i, width := range p.Layout.Rostrum {
		c.Rostrum = append(c.Rostrum, row(Seat{Area: Rostrum, Row: i + 1}, width))
	}
	for si, sec := range p.Layout.Sections {
		cs := ChartSection{Number: si + 1, Name: sec.Name}
		for r := 1; r <= sec.Rows; r++ {
			cs.Rows = append(cs.Rows, row(Seat{Area: Audience, Section: si + 1, Row: r}, sec.SeatsPerRow))
		}
		c.Sections = append(c.Sections, cs)
	}
	return c
}

// NameCard is one 席卡: the name printed on both faces of a folded card,
// and where the card goes.
type NameCard struct {
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	AttendeeID string `json:"attendeeId"`
	Seat       Seat   `json:"seat"`
	Label      string `json:"label"`
	Rank       int    `json:"rank"`
}

// NameCards lists one card per seated person in seating order, the order
// the cards are laid out on the tables: the rostrum row by row from the
// front, each row left to right as seen from the audience, then the
// audience section by section, row by row, left to right. Each card says
// its seat, so a stack printed in this order can be set out in one walk.
func (p Plan) NameCards() []NameCard {
	all := p.all()
	cards := make([]NameCard, 0, len(all))
	for _, pl := range all {
		cards = append(cards, NameCard{Name: pl.Name, Department: pl.Department, AttendeeID: pl.AttendeeID,
			Seat: pl.Seat, Label: pl.Seat.Label(), Rank: pl.Rank})
	}
	slices.SortFunc(cards, func(a, b NameCard) int { return compareSeats(a.Seat, b.Seat) })
	return cards
}
