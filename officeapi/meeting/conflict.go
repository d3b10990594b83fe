package meeting

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"zhengwu/search/index"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// CodeConflict is the problem code of a booking that collides with
// another engagement; its "conflicts" member lists them.
const CodeConflict = "meeting_conflict"

// Conflicts lists what overlaps m: the room's other scheduled meetings,
// its key attendees' other scheduled meetings, and their leader-schedule
// entries (Busy). Candidates come from the list index, each confirmed
// from the store; meeting exclude (m itself when re-checking) is left out.
// Back-to-back engagements (one ends when the other starts) do not
// conflict.
func (s *Service) Conflicts(ctx context.Context, m *Meeting, exclude string) ([]Conflict, error) {
	var out []Conflict
	key := []string{}
	for _, a := range m.Attendees {
		if a.Key && a.attending() {
			key = append(key, a.UserID)
		}
	}
	overlapping := func(f index.Filter) ([]Meeting, error) {
		res, err := s.meetings.Index().List(ctx, index.Query{Size: index.MaxSize, Filters: []index.Filter{f,
			index.Term("state", StateScheduled), index.Range("startAt", nil, m.EndAt), index.Range("endAt", m.StartAt, nil)}})
		if err != nil {
			return nil, err
		}
		var ms []Meeting
		for _, h := range res.Hits {
			if h.ID == exclude {
				continue
			}
			o, _, err := store.Load[Meeting](ctx, s.d.Store, Collection, h.ID)
			if err != nil {
				continue // gone since it was indexed
			}
			if o.State == StateScheduled && o.StartAt.Before(m.EndAt) && o.EndAt.After(m.StartAt) {
				ms = append(ms, o)
			}
		}
		return ms, nil
	}
	room, err := overlapping(index.Term("roomId", m.RoomID))
	if err != nil {
		return nil, err
	}
	for _, o := range room {
		out = append(out, Conflict{Kind: "room", Title: o.Title, StartAt: o.StartAt, EndAt: o.EndAt, ID: o.ID})
	}
	if len(key) > 0 {
		others, err := overlapping(index.Terms("people", key...))
		if err != nil {
			return nil, err
		}
		for _, o := range others {
			for _, a := range o.Attendees {
				if a.attending() && slices.Contains(key, a.UserID) {
					out = append(out, Conflict{Kind: "meeting", UserID: a.UserID, Name: a.Name, Title: o.Title,
						StartAt: o.StartAt, EndAt: o.EndAt, ID: o.ID})
				}
			}
		}
		if s.d.Busy != nil {
			busy, err := s.d.Busy(ctx, key, m.StartAt, m.EndAt)
			if err != nil {
				return nil, err
			}
			for _, b := range busy {
				if b.Name == "" {
					if i := slices.IndexFunc(m.Attendees, func(a Attendee) bool { return a.UserID == b.UserID }); i >= 0 {
						b.Name = m.Attendees[i].Name
					}
				}
				if b.Kind == "" {
					b.Kind = "schedule"
				}
				out = append(out, b)
			}
		}
	}
	return out, nil
}

// conflictProblem is the 409 a booking with conflicts answers: always for
// the room, for attendees unless allowed.
func conflictProblem(cs []Conflict, allowAttendees bool) error {
	var blocking []Conflict
	var fields []problem.FieldError
	for _, c := range cs {
		when := c.StartAt.In(cst).Format("01-02 15:04") + "–" + c.EndAt.In(cst).Format("15:04")
		switch {
		case c.Kind == "room":
			fields = append(fields, problem.Field("roomId", fmt.Sprintf("会议室%s已被「%s」占用", when, c.Title),
				fmt.Sprintf("the room is taken %s by %q", when, c.Title)))
		case !allowAttendees:
			what := "会议「" + c.Title + "」"
			if c.Kind == "schedule" {
				what = "领导活动「" + c.Title + "」"
			}
			fields = append(fields, problem.Field("attendees", fmt.Sprintf("%s%s有%s", c.Name, when, what),
				fmt.Sprintf("%s is engaged %s: %s", c.Name, when, c.Title)))
		default:
			continue
		}
		blocking = append(blocking, c)
	}
	if len(blocking) == 0 {
		return nil
	}
	e := problem.New(http.StatusConflict, CodeConflict, "时间冲突："+fields[0].Message, "conflict: "+fields[0].MessageEn)
	e.Fields = fields
	e.Extra = map[string]any{"conflicts": blocking}
	return e
}

// seated are the attendees who take a seat, with the seats held for the
// departments' delegates not yet named, in invitation order.
func (m *Meeting) seated() []seatHolder {
	var out []seatHolder
	for i := range m.Attendees {
		if m.Attendees[i].attending() {
			out = append(out, seatHolder{attendee: &m.Attendees[i]})
		}
	}
	for i := range m.Departments {
		d := &m.Departments[i]
		for n := d.Named + 1; n <= d.Seats; n++ {
			out = append(out, seatHolder{dept: d, n: n})
		}
	}
	return out
}

// rostrumCount is how many of seated sit on the rostrum.
func (m *Meeting) rostrumCount() int {
	n := 0
	for _, h := range m.seated() {
		if h.area() == "rostrum" {
			n++
		}
	}
	return n
}
