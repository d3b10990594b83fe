package seating_test

import (
	"encoding/json"
	"slices"
	"testing"

	"zhengwu/officeapi/meeting/seating"
)

// TestChartAndNameCards: the chart has every seat of the layout, left to
// right, with the plan's people in theirs; the name cards are one per
// person in seating order (rostrum front row first, left to right, then
// the audience section by section), each with its seat's label.
func TestChartAndNameCards(t *testing.T) {
	t.Parallel()
	l := hall([]int{3, 5}, 2, 3)
	as := append(rostrumPeople(5), delegation(4, 3)...)
	p, err := seating.Arrange(l, as, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Chart()
	occupied, seats := 0, 0
	check := func(r seating.ChartRow, width int) {
		if len(r.Seats) != width {
			t.Fatalf("row %d has %d seats, want %d", r.Row, len(r.Seats), width)
		}
		for i, s := range r.Seats {
			seats++
			if s.Seat.Number != i+1 || s.Seat.Row != r.Row || s.Label != s.Seat.Label() {
				t.Fatalf("seat %d of row %d is %+v", i+1, r.Row, s)
			}
			if s.Occupant != nil {
				occupied++
				if got, _ := seatOf(p, s.Occupant.AttendeeID); got != s.Seat {
					t.Fatalf("chart puts %s in %v, the plan in %v", s.Occupant.AttendeeID, s.Seat, got)
				}
			}
		}
	}
	for i, r := range c.Rostrum {
		check(r, l.Rostrum[i])
	}
	for i, sec := range c.Sections {
		if sec.Name != l.Sections[i].Name || len(sec.Rows) != l.Sections[i].Rows {
			t.Fatalf("section %d: %+v", i+1, sec)
		}
		for _, r := range sec.Rows {
			check(r, l.Sections[i].SeatsPerRow)
		}
	}
	if occupied != len(as) || seats != 8+18 {
		t.Errorf("%d occupied of %d seats", occupied, seats)
	}
	if got := c.Rostrum[0].Seats[1].Occupant; got == nil || got.Rank != 1 || got.Name != "领导1" {
		t.Errorf("the centre of the front row holds %+v", got)
	}

	cards := p.NameCards()
	if len(cards) != len(as) {
		t.Fatalf("%d cards for %d people", len(cards), len(as))
	}
	var labels []string
	for _, card := range cards {
		labels = append(labels, card.Label)
		if card.Name == "" || card.Label != card.Seat.Label() {
			t.Errorf("card %+v", card)
		}
	}
	want := []string{"主席台第1排第1座", "主席台第1排第2座", "主席台第1排第3座", "主席台第2排第3座", "主席台第2排第4座"}
	if !slices.Equal(labels[:5], want) {
		t.Errorf("rostrum cards in order %v, want %v", labels[:5], want)
	}
	if cards[0].Name != "领导3" || cards[1].Name != "领导1" || cards[2].Name != "领导2" {
		t.Errorf("front row cards %s %s %s, want 领导3 领导1 领导2", cards[0].Name, cards[1].Name, cards[2].Name)
	}
	for i := 5; i < len(cards)-1; i++ {
		a, b := cards[i].Seat, cards[i+1].Seat
		if a.Section > b.Section || (a.Section == b.Section && (a.Row > b.Row || (a.Row == b.Row && a.Number > b.Number))) {
			t.Errorf("card %s before %s", cards[i].Label, cards[i+1].Label)
		}
	}
	// The SPA and the renderers take it as JSON.
	if _, err := json.Marshal(c); err != nil {
		t.Fatal(err)
	}
}
