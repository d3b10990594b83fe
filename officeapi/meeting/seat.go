package meeting

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"zhengwu/officeapi/meeting/seating"
	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
)

// cst is the office's time zone (China Standard Time), for messages.
var cst = time.FixedZone("CST", 8*3600)

// seatHolder is who takes a seat: an attendee, or the n-th seat held for
// a department whose delegate is not named yet.
type seatHolder struct {
	attendee *Attendee
	dept     *Invitation
	n        int
}

// HeldSeatID is the seat holder id of the n-th seat held for a
// department until it names its delegate.
func HeldSeatID(dept string, n int) string { return "dept:" + dept + ":" + strconv.Itoa(n) }

func (h seatHolder) id() string {
	if h.attendee != nil {
		return h.attendee.UserID
	}
	return HeldSeatID(h.dept.Department, h.n)
}

func (h seatHolder) area() seating.Area {
	if h.attendee != nil {
		return h.attendee.SeatArea
	}
	return h.dept.SeatArea
}

// forSeating is the meeting's seated people as the seating package takes
// them, in invitation order (ties in precedence keep it).
func (m *Meeting) forSeating() []seating.Attendee {
	hs := m.seated()
	out := make([]seating.Attendee, 0, len(hs))
	for _, h := range hs {
		var a seating.Attendee
		if h.attendee != nil {
			a = seating.Attendee{ID: h.attendee.UserID, Name: h.attendee.Name, Department: h.attendee.DepartmentName,
				Rank: h.attendee.Precedence, Area: h.attendee.SeatArea, Replaces: h.attendee.Replaces}
		} else {
			a = seating.Attendee{ID: h.id(), Name: h.dept.Name, Department: h.dept.Name, Rank: unranked, Area: h.dept.SeatArea}
		}
		if s, ok := m.Fixed[a.ID]; ok {
			a.Fixed = &s
		}
		out = append(out, a)
	}
	return out
}

func (m *Meeting) options() seating.Options {
	return seating.Options{Even: m.Seating.Even, MixDepartments: m.Seating.MixDepartments}
}

// reseat re-arranges an arranged meeting after its attendance changed,
// keeping the hand-fixed seats and moving as few people as it can
// (seating.Rearrange). A meeting not arranged yet is left alone.
func (m *Meeting) reseat() error {
	if m.Plan == nil {
		return nil
	}
	plan, err := seating.Rearrange(m.Plan.Layout, *m.Plan, m.forSeating(), m.options())
	if err != nil {
		return err
	}
	m.Plan = &plan
	return nil
}

// Arrangement is a meeting's seating as the API answers it: every seat
// numbered left to right as seen from the audience, rank the person's
// protocol order in this meeting (1 = most senior).
type Arrangement struct {
	MeetingID      string           `json:"meetingId"`
	Title          string           `json:"title"`
	RoomName       string           `json:"roomName"`
	Even           seating.EvenRule `json:"even"`
	MixDepartments bool             `json:"mixDepartments"`
	Layout         seating.Layout   `json:"layout"`
	// Rostrum is row by row from the front, each left to right.
	Rostrum []Seated `json:"rostrum"`
	// Audience is section by section, row by row, left to right.
	Audience []Seated `json:"audience"`
	Version  int64    `json:"version"`
	Seq      int64    `json:"seq"`
}

// Seated is one person (or a seat held for a department) in one seat.
type Seated struct {
	Seat    int          `json:"seat"`
	Row     int          `json:"row"`
	Section int          `json:"section,omitempty"`
	Area    seating.Area `json:"area"`
	Label   string       `json:"label"`
	Rank    int          `json:"rank"`
	// UserID is empty for a seat held for a department (Holder says which).
	UserID     string `json:"userId,omitempty"`
	Holder     string `json:"holder"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	Fixed      bool   `json:"fixed,omitempty"`
	Held       bool   `json:"held,omitempty"`
}

// arrangementOf is m's arrangement (empty lists until arranged).
func arrangementOf(v View) Arrangement {
	m := v.Document
	out := Arrangement{MeetingID: m.ID, Title: m.Title, RoomName: m.RoomName, Even: m.options().Even,
		MixDepartments: m.Seating.MixDepartments, Rostrum: []Seated{}, Audience: []Seated{}, Version: v.Version, Seq: v.Seq}
	if out.Even == "" {
		out.Even = seating.EvenFirstLeft
	}
	if m.Plan == nil {
		return out
	}
	out.Layout = m.Plan.Layout
	for _, c := range m.Plan.NameCards() { // seat order
		s := Seated{Seat: c.Seat.Number, Row: c.Seat.Row, Section: c.Seat.Section, Area: c.Seat.Area, Label: c.Label,
			Rank: c.Rank, UserID: c.AttendeeID, Holder: c.AttendeeID, Name: c.Name, Department: c.Department}
		if _, ok := m.Fixed[c.AttendeeID]; ok {
			s.Fixed = true
		}
		if isHeld(c.AttendeeID) {
			s.UserID, s.Held = "", true
		}
		if c.Seat.Area == seating.Rostrum {
			out.Rostrum = append(out.Rostrum, s)
		} else {
			out.Audience = append(out.Audience, s)
		}
	}
	return out
}

// seatingArea is an area as given ("" is the audience).
func seatingArea(area string) seating.Area {
	if area == string(seating.Rostrum) {
		return seating.Rostrum
	}
	return seating.Audience
}

func isHeld(id string) bool { return len(id) > 5 && id[:5] == "dept:" }

// Seating is the meeting's arrangement as p may read it.
func (s *Service) Seating(ctx context.Context, p records.Actor, id string) (Arrangement, error) {
	v, err := s.Get(ctx, p.P, id)
	if err != nil {
		return Arrangement{}, err
	}
	return arrangementOf(v), nil
}

// Arrange seats the meeting from scratch in its room's current layout:
// hand-fixed seats kept, the rostrum in protocol order (centre outward,
// the even-count rule as asked or as set before), the audience in
// department blocks (or by rank alone).
func (s *Service) Arrange(ctx context.Context, a records.Actor, id string, in ArrangeInput) (Arrangement, error) {
	v, err := s.step(ctx, a, "meeting.seating.arrange", id, func(m *Meeting) (map[string]any, error) {
		if err := organising(a, m); err != nil {
			return nil, err
		}
		room, err := s.Room(ctx, m.RoomID)
		if err != nil {
			return nil, err
		}
		if in.Even != "" {
			m.Seating.Even = in.Even
		}
		if in.MixDepartments != nil {
			m.Seating.MixDepartments = *in.MixDepartments
		}
		plan, err := seating.Arrange(room.Layout, m.forSeating(), m.options())
		if err != nil {
			return nil, err
		}
		m.Plan = &plan
		return map[string]any{"rostrum": len(plan.Rostrum), "audience": len(plan.Audience), "even": string(m.options().Even)}, nil
	})
	if err != nil {
		return Arrangement{}, err
	}
	return arrangementOf(v), nil
}

// Move applies hand moves to an arranged meeting: each person to the
// seat chosen, fixed there from then on (a swap when the seat was taken:
// the other person gets the mover's old seat, fixed too), or back to the
// arrangement's choice (seat null); the others re-arranged around them
// with as few moves as possible.
func (s *Service) Move(ctx context.Context, a records.Actor, id string, in MovesInput) (Arrangement, error) {
	v, err := s.step(ctx, a, "meeting.seating.move", id, func(m *Meeting) (map[string]any, error) {
		if err := organising(a, m); err != nil {
			return nil, err
		}
		if m.Plan == nil {
			return nil, problem.New(409, problem.CodeInvalidState, "请先排座", "arrange the seating first")
		}
		where := map[string]seating.Seat{}
		who := map[seating.Seat]string{}
		for _, p := range append(append([]seating.Placement{}, m.Plan.Rostrum...), m.Plan.Audience...) {
			where[p.AttendeeID], who[p.Seat] = p.Seat, p.AttendeeID
		}
		if m.Fixed == nil {
			m.Fixed = map[string]seating.Seat{}
		}
		for i, mv := range in.Moves {
			at := fmt.Sprintf("moves[%d]", i)
			from, seated := where[mv.UserID]
			if !seated {
				return nil, problem.Invalid(problem.Field(at+".userId", "此人不在座次表中", "not seated in this meeting"))
			}
			if mv.Seat == nil {
				delete(m.Fixed, mv.UserID)
				continue
			}
			to := *mv.Seat
			if !m.Plan.Layout.Has(to) {
				return nil, problem.Invalid(problem.Field(at+".seat", "座位不在会场布局内", "no such seat in the room"))
			}
			if other, taken := who[to]; taken && other != mv.UserID {
				m.Fixed[other] = from
				where[other], who[from] = from, other
			} else {
				delete(who, from)
			}
			m.Fixed[mv.UserID] = to
			where[mv.UserID], who[to] = to, mv.UserID
		}
		plan, err := seating.Rearrange(m.Plan.Layout, *m.Plan, m.forSeating(), m.options())
		if err != nil {
			return nil, err
		}
		m.Plan = &plan
		return map[string]any{"moves": len(in.Moves)}, nil
	})
	if err != nil {
		return Arrangement{}, err
	}
	return arrangementOf(v), nil
}

// Printed renders an arranged meeting's seat chart or name cards (what:
// "namecards", "chart.pdf", "chart.png") for its organisers, recording
// the download in the audit trail.
func (s *Service) Printed(ctx context.Context, a records.Actor, id, what string, render func(Meeting) ([]byte, error)) (Meeting, []byte, error) {
	v, err := s.Get(ctx, a.P, id)
	if err != nil {
		return Meeting{}, nil, err
	}
	m := v.Document
	if !mayOrganise(a.P, &m) {
		return Meeting{}, nil, s.meetings.Refused(ctx, a, "meeting.print", Collection+"/"+id, problem.Forbidden())
	}
	if m.Plan == nil {
		return Meeting{}, nil, problem.New(409, problem.CodeInvalidState, "请先排座", "arrange the seating first")
	}
	data, err := render(m)
	if err != nil {
		return Meeting{}, nil, err
	}
	if _, err := s.d.Trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "meeting.print",
		Target: Collection + "/" + id, Outcome: audit.Success, Details: map[string]any{"what": what}}); err != nil {
		return Meeting{}, nil, err
	}
	return m, data, nil
}
