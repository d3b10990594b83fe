package seating

// Attendee is one person to seat.
type Attendee struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	// Rank is the protocol rank: lower is more senior. Equal ranks keep
	// the order the attendees are given in (and, when re-arranging, the
	// order they sat in before).
	Rank int `json:"rank"`
	// Area is where the person sits: Rostrum or Audience (empty means
	// Audience). A Fixed seat overrides it.
	Area Area `json:"area,omitempty"`
	// Fixed is a seat chosen by hand (drag-and-drop on the seat chart);
	// Arrange keeps it and seats everyone else around it.
	Fixed *Seat `json:"fixed,omitempty"`
	// Replaces is the id of the attendee this one stands in for (a
	// department's delegate). When re-arranging, a delegate whose
	// principal is no longer attending takes the principal's audience
	// seat, and ties with the principal's old rostrum position.
	Replaces string `json:"replaces,omitempty"`
}

// area is where a is seated: the fixed seat's area, else Area.
func (a Attendee) area() Area {
	if a.Fixed != nil {
		return a.Fixed.Area
	}
	if a.Area == Rostrum {
		return Rostrum
	}
	return Audience
}

// EvenRule says which of the two centre seats of a rostrum row with an
// even number of people the most senior takes (DOMAIN.md: configurable).
type EvenRule string

const (
	// EvenFirstLeft is the default: number 1 takes the centre seat on the
	// audience's left and number 2 sits on number 1's left hand (the
	// audience's right), as in an odd row. 6 people, seen from the
	// audience: 5 3 1 2 4 6.
	EvenFirstLeft EvenRule = "firstLeft"
	// EvenFirstRight is the variant some offices use: number 1 takes the
	// centre seat on the audience's right and number 2 sits on number 1's
	// right hand (the audience's left). 6 people: 6 4 2 1 3 5.
	EvenFirstRight EvenRule = "firstRight"
)

// Options tune an arrangement. The zero value is the default.
type Options struct {
	// Even is the even-count rostrum rule; empty means EvenFirstLeft.
	Even EvenRule `json:"even,omitempty"`
	// MixDepartments seats the audience by rank alone. By default each
	// department sits together in one contiguous block where it fits.
	MixDepartments bool `json:"mixDepartments,omitempty"`
}
