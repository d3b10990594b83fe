package seating

// protocolOrder gives, for n people in a row, the position (0-based, left
// to right as seen from the audience) of the k-th most senior, k = 0..n-1:
// centre outward, alternating (DOMAIN.md). Number 1 takes the centre;
// number 2 sits on number 1's left hand, which is the audience's right;
// number 3 on number 1's right hand; and so on. For even n the centre is
// two seats and rule decides: EvenFirstLeft puts number 1 in the one on the
// audience's left and keeps the odd pattern (5 3 1 2 4 6); EvenFirstRight
// mirrors it (6 4 2 1 3 5).
func protocolOrder(n int, rule EvenRule) []int {
	pos := make([]int, n)
	if n == 0 {
		return pos
	}
	// centre is number 1's position; step is the direction of number 2
	// seen from the audience (+1 right, -1 left).
	centre, step := n/2, 1
	if n%2 == 0 {
		centre = n/2 - 1
		if rule == EvenFirstRight {
			centre, step = n/2, -1
		}
	}
	for k := range n {
		off := (k + 1) / 2
		if k%2 == 0 {
			off = -off
		}
		pos[k] = centre + step*off
	}
	return pos
}

// rowSeats places n people in a row of width seats: the protocol block of
// n (protocolOrder) slid to the offset that seats number 1 nearest the
// row's centre, then number 2, and so on (the lexicographically closest).
// The result is the seat number (1-based) of the k-th most senior.
// Where n < width and width-n is odd the block cannot be exactly centred;
// this rule puts number 1 in a centre seat and, for an odd block in an
// even row, number 2 in the other centre seat.
func rowSeats(n, width int, rule EvenRule) []int {
	pos := protocolOrder(n, rule)
	best := 0
	for o := 1; o <= width-n; o++ {
		if closer(pos, o, best, width) {
			best = o
		}
	}
	seats := make([]int, n)
	for k, p := range pos {
		seats[k] = best + p + 1
	}
	return seats
}

// closer reports whether offset a seats the block lexicographically
// closer to the row's centre than offset b. Distances are doubled to stay
// in integers.
func closer(pos []int, a, b, width int) bool {
	for _, p := range pos {
		da, db := abs(2*(a+p)-(width-1)), abs(2*(b+p)-(width-1))
		if da != db {
			return da < db
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// rostrumSequence lists the rostrum seats in protocol order for n people:
// the front row filled first, each row centre outward (rowSeats), then
// every remaining seat in the order a full rostrum would take them. The
// tail is for fixed seats outside the block of n: the people not fixed
// take the sequence's free seats in rank order, so a fixed seat off the
// centred block still leaves everyone else as close to protocol as the
// room allows.
func rostrumSequence(rows []int, n int, rule EvenRule) []Seat {
	seq := make([]Seat, 0, n)
	in := map[Seat]bool{}
	left := n
	for r, width := range rows {
		take := min(left, width)
		for _, num := range rowSeats(take, width, rule) {
			s := Seat{Area: Rostrum, Row: r + 1, Number: num}
			seq = append(seq, s)
			in[s] = true
		}
		left -= take
	}
	for r, width := range rows {
		for _, num := range rowSeats(width, width, rule) {
			if s := (Seat{Area: Rostrum, Row: r + 1, Number: num}); !in[s] {
				seq = append(seq, s)
			}
		}
	}
	return seq
}
