package seating_test

import (
	"fmt"
	"testing"

	"zhengwu/officeapi/meeting/seating"
)

// auditorium is a 1,500-seat hall (three sections of 25 rows by 20 seats,
// and a rostrum of 11 and 13) with 1,000 people: 20 on the rostrum and
// 980 from 40 departments in the audience.
func auditorium() (seating.Layout, []seating.Attendee) {
	l := hall([]int{11, 13}, 25, 20)
	as := rostrumPeople(20)
	sizes := make([]int, 40)
	for i := range sizes {
		sizes[i] = 980 / 40 // 24 or 25, as the remainder is spread below
		if i < 980%40 {
			sizes[i]++
		}
	}
	return l, append(as, delegation(sizes...)...)
}

// BenchmarkArrange arranges the auditorium from scratch, in department
// blocks and by rank alone.
func BenchmarkArrange(b *testing.B) {
	l, as := auditorium()
	for _, opts := range []seating.Options{{}, {MixDepartments: true}} {
		b.Run(fmt.Sprintf("mix=%v", opts.MixDepartments), func(b *testing.B) {
			for b.Loop() {
				if _, err := seating.Arrange(l, as, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRearrange re-arranges the auditorium after ten people in the
// audience declined and ten newcomers joined their departments.
func BenchmarkRearrange(b *testing.B) {
	l, as := auditorium()
	before, err := seating.Arrange(l, as, seating.Options{})
	if err != nil {
		b.Fatal(err)
	}
	next := append(as[:20:20], as[30:]...)
	for i := range 10 {
		next = append(next, seating.Attendee{ID: fmt.Sprintf("new%d", i), Name: "新", Department: fmt.Sprintf("D%d", i), Rank: 1000 + i})
	}
	for b.Loop() {
		if _, err := seating.Rearrange(l, before, next, seating.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
