// Package seating arranges a meeting room (会务排座, issue 13): the
// rostrum (主席台) in protocol order, the audience (台下) in department
// blocks, seats fixed by hand kept, and the arrangement redone with few
// moves when attendance changes. It is pure: no HTTP, no store. The
// meeting capability keeps the layout, the attendees and the last Plan,
// and calls Arrange or Rearrange; the seat chart editor, the chart's
// PDF/PNG and the name cards (席卡) are drawn from Plan.Chart and
// Plan.NameCards.
//
// # Where "left" is
//
// Every seat is numbered as seen from the audience facing the rostrum:
// rows from the front, seats and sections from the left. DOMAIN.md says
// number 2 sits on number 1's left hand, which is the audience's right,
// and gives the rows as the audience sees them: 7 people 7 5 3 1 2 4 6;
// 6 people 5 3 1 2 4 6 (EvenFirstLeft, the default) or 6 4 2 1 3 5
// (EvenFirstRight, the mirror image, "some offices"). The variant only
// concerns even counts: an odd row is 7 5 3 1 2 4 6 under both.
//
// # Decisions where DOMAIN.md is silent
//
//   - Who sits on the rostrum is the caller's choice (Attendee.Area, the
//     issue's seatArea); a fixed seat puts its person in its area.
//   - Several rostrum rows: the front row fills first, up to its seats, in
//     protocol order; each further row starts again from its own centre.
//   - Fewer people than seats in a row: the protocol block of that many
//     people is centred; when it cannot be exactly centred (an odd block
//     in an even row, or the reverse), it goes where number 1 sits nearest
//     the centre, then number 2, and so on. An odd block in an even row
//     thus has number 1 in the centre seat on the audience's left and
//     number 2 in the other centre seat, under both variants, so that the
//     centre always outranks the sides.
//   - A fixed rostrum seat: the others take the block's remaining seats in
//     protocol order; if the fixed seat lies outside the block, the
//     remaining person takes the next seat a full rostrum would give.
//   - Equal ranks keep the order the attendees are given in; re-arranging
//     keeps their previous order. Placement.Rank is the resulting protocol
//     order of the whole meeting, 1 = most senior (the "rank").
//   - The audience, by default: departments in the order of their most
//     senior member; each goes whole into the section whose next free
//     seat is nearest the front (ties: the more central section, then
//     the senior side), filled row by row along a snake that starts at
//     the section's end nearest the hall's centre (the centre section's
//     left end, as a row is read), so every department is
//     one connected block. A department no section can hold whole is
//     split over sections in the same order ("where it fits"). People
//     without a department are each a department of one.
//   - The audience by rank alone (Options.MixDepartments): row by row
//     across the whole hall, centre outward; two seats equally central go
//     to the senior side, the side number 2 takes in an even rostrum row
//     (the audience's right by default, its left under EvenFirstRight).
//   - Re-arranging: protocol on the rostrum is not negotiable, so it is
//     arranged again from rank (stable among ties), which moves only
//     those whose protocol place changed: the most junior declining, or a
//     delegate of equal rank standing in, moves nobody. In the audience
//     nobody moves unless a new fixed seat takes theirs; a delegate
//     (Attendee.Replaces) takes their principal's seat; anyone else new
//     takes the free seat nearest their department, or the best free seat
//     (the rank-only order) if their department has no one seated.
//   - Name cards come in seat order (rostrum front row first, left to
//     right, then the audience section by section, row by row), the order
//     they are set out on the tables; each carries its seat label.
//   - Audience seat numbers run left to right within a section; halls
//     that print odd and even numbers from the centre can relabel in the
//     renderer.
//
// # Figures
//
// BenchmarkArrange, a 1,500-seat auditorium (three sections of 25 rows by
// 20, a rostrum of 11 and 13) with 1,000 people (20 on the rostrum, 980
// from 40 departments), 2 shared cores: about 1.4 ms in department blocks
// and 1.6 ms by rank alone; BenchmarkRearrange after ten changes, 5 ms.
package seating
