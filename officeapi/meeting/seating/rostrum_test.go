package seating_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"zhengwu/officeapi/meeting/seating"
)

// rows draws each rostrum row of a plan as the audience sees it: the
// protocol rank of whoever sits in each seat, "_" for an empty one.
func rows(p seating.Plan) []string {
	var out []string
	for _, r := range p.Chart().Rostrum {
		var cells []string
		for _, s := range r.Seats {
			if s.Occupant == nil {
				cells = append(cells, "_")
			} else {
				cells = append(cells, strconv.Itoa(s.Occupant.Rank))
			}
		}
		out = append(out, strings.Join(cells, " "))
	}
	return out
}

func rostrumPeople(n int) []seating.Attendee {
	var as []seating.Attendee
	for i := 1; i <= n; i++ {
		as = append(as, seating.Attendee{ID: fmt.Sprintf("r%d", i), Name: fmt.Sprintf("领导%d", i), Rank: i * 10, Area: seating.Rostrum})
	}
	return as
}

// TestRostrumOrder checks 1..8 people on a row of exactly their number
// against DOMAIN.md's rule written out by hand, seen from the audience:
// odd counts 7 5 3 1 2 4 6 whichever variant; even counts 5 3 1 2 4 6
// (default, number 1 on the audience's left of the two centre seats) or
// 6 4 2 1 3 5 (the variant, number 1 on the audience's right).
func TestRostrumOrder(t *testing.T) {
	t.Parallel()
	want := map[seating.EvenRule][]string{
		seating.EvenFirstLeft: {
			"1",
			"1 2",
			"3 1 2",
			"3 1 2 4",
			"5 3 1 2 4",
			"5 3 1 2 4 6",
			"7 5 3 1 2 4 6",
			"7 5 3 1 2 4 6 8",
		},
		seating.EvenFirstRight: {
			"1",
			"2 1",
			"3 1 2",
			"4 2 1 3",
			"5 3 1 2 4",
			"6 4 2 1 3 5",
			"7 5 3 1 2 4 6",
			"8 6 4 2 1 3 5 7",
		},
	}
	for rule, rowsWant := range want {
		for i, w := range rowsWant {
			n := i + 1
			t.Run(fmt.Sprintf("%s/%d", rule, n), func(t *testing.T) {
				p, err := seating.Arrange(seating.Layout{Rostrum: []int{n}}, rostrumPeople(n), seating.Options{Even: rule})
				if err != nil {
					t.Fatal(err)
				}
				if got := rows(p)[0]; got != w {
					t.Errorf("got %q, want %q", got, w)
				}
			})
		}
	}
}

// TestRostrumDefaultIsFirstLeft: the zero Options take DOMAIN.md's default.
func TestRostrumDefaultIsFirstLeft(t *testing.T) {
	t.Parallel()
	p, err := seating.Arrange(seating.Layout{Rostrum: []int{6}}, rostrumPeople(6), seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(p)[0]; got != "5 3 1 2 4 6" {
		t.Errorf("got %q", got)
	}
}

// TestRostrumWiderRowAndBackRows: fewer people than seats sit as a block
// centred on the row (number 1 in a centre seat); the front row fills
// before the back row; each row counts from its own centre.
func TestRostrumWiderRowAndBackRows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		layout []int
		n      int
		rule   seating.EvenRule
		want   []string
	}{
		{"6 in 9, default", []int{9}, 6, seating.EvenFirstLeft, []string{"_ _ 5 3 1 2 4 6 _"}},
		{"6 in 9, variant", []int{9}, 6, seating.EvenFirstRight, []string{"_ 6 4 2 1 3 5 _ _"}},
		// An odd block in an even row: number 1 in a centre seat, number 2
		// in the other, in both variants.
		{"3 in 6, default", []int{6}, 3, seating.EvenFirstLeft, []string{"_ 3 1 2 _ _"}},
		{"3 in 6, variant", []int{6}, 3, seating.EvenFirstRight, []string{"_ 3 1 2 _ _"}},
		{"2 in 7, default", []int{7}, 2, seating.EvenFirstLeft, []string{"_ _ _ 1 2 _ _"}},
		{"2 in 7, variant", []int{7}, 2, seating.EvenFirstRight, []string{"_ _ 2 1 _ _ _"}},
		{"6 on 3+5", []int{3, 5}, 6, seating.EvenFirstLeft, []string{"3 1 2", "_ 6 4 5 _"}},
		{"9 on 5+7, variant", []int{5, 7}, 9, seating.EvenFirstRight, []string{"5 3 1 2 4", "_ 9 7 6 8 _ _"}},
		{"3 on 5+7: back row empty", []int{5, 7}, 3, seating.EvenFirstLeft, []string{"_ 3 1 2 _", "_ _ _ _ _ _ _"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := seating.Arrange(seating.Layout{Rostrum: c.layout}, rostrumPeople(c.n), seating.Options{Even: c.rule})
			if err != nil {
				t.Fatal(err)
			}
			if got := rows(p); strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestRostrumTies: equal ranks keep the order given; the placement's rank
// is the meeting's protocol order with the tie broken.
func TestRostrumTies(t *testing.T) {
	t.Parallel()
	as := []seating.Attendee{
		{ID: "a", Name: "甲", Rank: 2, Area: seating.Rostrum},
		{ID: "b", Name: "乙", Rank: 1, Area: seating.Rostrum},
		{ID: "c", Name: "丙", Rank: 2, Area: seating.Rostrum},
	}
	p, err := seating.Arrange(seating.Layout{Rostrum: []int{3}}, as, seating.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pl := range p.Rostrum {
		got = append(got, fmt.Sprintf("%d:%s@%d", pl.Rank, pl.AttendeeID, pl.Seat.Number))
	}
	if w := "1:b@2 2:a@3 3:c@1"; strings.Join(got, " ") != w {
		t.Errorf("got %q, want %q", got, w)
	}
}
