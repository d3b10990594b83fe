package seating

import (
	"fmt"
	"strconv"

	"zhengwu/shared/problem"
)

// Area is the part of the room a seat is in.
type Area string

// The two areas of a meeting room.
const (
	Rostrum  Area = "rostrum"  // 主席台
	Audience Area = "audience" // 台下
)

// Layout is a room's seats. Everything is numbered as seen from the
// audience looking at the rostrum: rows from the front (1) back, seats and
// sections from the left (1) to the right.
type Layout struct {
	// Rostrum holds the number of seats of each rostrum row, front row
	// first. Front rows outrank back rows.
	Rostrum []int `json:"rostrum"`
	// Sections are the audience blocks, left to right, with an aisle
	// between neighbours.
	Sections []Section `json:"sections"`
}

// Section is one rectangular audience block between aisles.
type Section struct {
	Name        string `json:"name,omitempty"`
	Rows        int    `json:"rows"`
	SeatsPerRow int    `json:"seatsPerRow"`
}

// Seat names one seat of a Layout. Section is 1-based and only set in the
// audience; Row and Number are 1-based (row 1 at the front, number 1 the
// leftmost seat of its row or section as seen from the audience).
type Seat struct {
	Area    Area `json:"area"`
	Section int  `json:"section,omitempty"`
	Row     int  `json:"row"`
	Number  int  `json:"number"`
}

// Label is the seat as printed on a chart or a name card:
// 主席台第1排第4座, 第2区第3排第12座.
func (s Seat) Label() string {
	if s.Area == Rostrum {
		return fmt.Sprintf("主席台第%d排第%d座", s.Row, s.Number)
	}
	return fmt.Sprintf("第%d区第%d排第%d座", s.Section, s.Row, s.Number)
}

// RostrumSeats is the number of seats on the rostrum.
func (l Layout) RostrumSeats() int {
	n := 0
	for _, s := range l.Rostrum {
		n += s
	}
	return n
}

// AudienceSeats is the number of seats in the audience.
func (l Layout) AudienceSeats() int {
	n := 0
	for _, s := range l.Sections {
		n += s.Rows * s.SeatsPerRow
	}
	return n
}

// Has reports whether s is a seat of the layout.
func (l Layout) Has(s Seat) bool {
	switch s.Area {
	case Rostrum:
		return s.Section == 0 && s.Row >= 1 && s.Row <= len(l.Rostrum) &&
			s.Number >= 1 && s.Number <= l.Rostrum[s.Row-1]
	case Audience:
		if s.Section < 1 || s.Section > len(l.Sections) {
			return false
		}
		sec := l.Sections[s.Section-1]
		return s.Row >= 1 && s.Row <= sec.Rows && s.Number >= 1 && s.Number <= sec.SeatsPerRow
	}
	return false
}

// maxSeats bounds a layout so that a typo cannot make Arrange allocate
// millions of seats: the largest halls in use hold a few thousand.
const maxSeats = 20000

func (l Layout) validate() []problem.FieldError {
	var errs []problem.FieldError
	for i, n := range l.Rostrum {
		if n < 1 {
			errs = append(errs, problem.Field("layout.rostrum["+strconv.Itoa(i)+"]",
				"主席台每排至少1个座位", "a rostrum row needs at least one seat"))
		}
	}
	for i, s := range l.Sections {
		if s.Rows < 1 || s.SeatsPerRow < 1 {
			errs = append(errs, problem.Field("layout.sections["+strconv.Itoa(i)+"]",
				"会场分区至少1排、每排至少1个座位", "a section needs at least one row of at least one seat"))
		}
	}
	if len(errs) == 0 && l.RostrumSeats()+l.AudienceSeats() > maxSeats {
		errs = append(errs, problem.Field("layout", fmt.Sprintf("座位总数不能超过%d", maxSeats),
			fmt.Sprintf("at most %d seats", maxSeats)))
	}
	return errs
}
