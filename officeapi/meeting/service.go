package meeting

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"zhengwu/officeapi/meeting/seating"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Conflict is one engagement that overlaps a meeting being booked: the
// room's other meeting, or a key attendee's meeting or leader-schedule
// entry.
type Conflict struct {
	// Kind is "room", "meeting" (the attendee's other meeting) or
	// "schedule" (a leader-schedule entry).
	Kind    string    `json:"kind"`
	UserID  string    `json:"userId,omitempty"`
	Name    string    `json:"name,omitempty"`
	Title   string    `json:"title"`
	StartAt time.Time `json:"startAt"`
	EndAt   time.Time `json:"endAt"`
	// ID is the other meeting's or entry's id.
	ID string `json:"id,omitempty"`
}

// Busy answers the engagements of people between from and to that are
// kept elsewhere (the leader schedule's entries): the schedule capability
// supplies it, the module table wires it.
type Busy func(ctx context.Context, userIDs []string, from, to time.Time) ([]Conflict, error)

// Minutes starts an outgoing 公文 (officialdoc's Create).
type Minutes func(ctx context.Context, a records.Actor, in officialdoc.Input) (officialdoc.View, error)

// Deps is what meetings need from the process.
type Deps struct {
	records.Deps
	// People loads an invited account (PeopleOf).
	People People
	// DepartmentName names an invited department (DepartmentNamesOf).
	DepartmentName DepartmentNames
	// Busy is the leader schedule's engagements; nil: none checked.
	Busy Busy
	// Minutes starts the 纪要; nil: minutes are refused (503).
	Minutes Minutes
	// Notify tells the attendees in their inbox (notices.go); nil tells
	// no one.
	Notify notify.Sender
}

// Service is meetings. Its list index's Start, Close and Notify are the
// module table's; the collection stays private.
type Service struct {
	*feed.ListIndex
	meetings *records.Collection[Meeting]
	d        Deps
}

// New opens the collection and its list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.People == nil || d.DepartmentName == nil {
		return nil, fmt.Errorf("meeting: People and DepartmentName are required")
	}
	m := records.MappingOf[Summary]()
	for _, f := range []string{"people", "keyPeople", "unread", "unreplied", "pendingDepts", "organisers", "withdrawn"} {
		m.Keyword(f)
	}
	c, err := records.Open(records.Config[Meeting]{Deps: d.Deps, Collection: Collection,
		Noun: records.Noun{Zh: "会议", En: "meeting"}, Access: AccessOf, Mapping: m, Project: project,
		Writes: writes})
	if err != nil {
		return nil, err
	}
	return &Service{ListIndex: c.ListIndex, meetings: c, d: d}, nil
}

// Start seeds the rooms that are missing and feeds the list index.
func (s *Service) Start(ctx context.Context) error {
	if err := s.seedRooms(ctx); err != nil {
		return err
	}
	return s.ListIndex.Start(ctx)
}

// writes are what a meeting's commit carries besides itself: its files'
// references, and, for a commit that puts the meeting in a room or people
// in it, the locks its conflict check read (claim), at the versions read.
func writes(m *Meeting) []store.Write {
	return append(attachment.Writes(Collection, m.ID, m.files()...), m.lockWrites()...)
}

func (m *Meeting) files() []string {
	out := make([]string, 0, len(m.Materials))
	for _, mat := range m.Materials {
		out = append(out, mat.MediaID)
	}
	return out
}

// project is a meeting in the list index: its summary and who is waiting
// for what (the desktop's lists).
func project(m *Meeting) map[string]any {
	var out map[string]any
	if b, err := json.Marshal(m.Summary); err != nil || json.Unmarshal(b, &out) != nil {
		return nil // not listed; cannot happen for a decoded meeting
	}
	var people, key, unread, unreplied, pending []string
	for _, a := range m.Attendees {
		people = append(people, a.UserID)
		if !a.attending() {
			continue
		}
		if a.Key {
			key = append(key, a.UserID)
		}
		if a.ReadAt == nil {
			unread = append(unread, a.UserID)
		}
		if a.Reply == ReplyInvited {
			unreplied = append(unreplied, a.UserID)
		}
	}
	for _, d := range m.Departments {
		if d.Named < d.Seats {
			pending = append(pending, d.Department)
		}
	}
	var withdrawn []string
	for _, w := range m.Withdrawn {
		withdrawn = append(withdrawn, w.UserID)
	}
	if m.State != StateScheduled {
		unread, unreplied, pending = nil, nil, nil
	}
	out["people"], out["keyPeople"], out["unread"], out["unreplied"], out["pendingDepts"] = people, key, unread, unreplied, pending
	out["withdrawn"] = withdrawn
	return out
}

// Get returns the meeting if p may read it (404 otherwise), without the
// materials p may not see and, unless p runs it, without the check-in code.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	v, err := records.ViewOf(s.meetings.Get(ctx, p, id))
	if err != nil {
		return View{}, err
	}
	redact(p, &v.Document)
	return v, nil
}

func redact(p *auth.Principal, m *Meeting) {
	if !mayOrganise(p, m) {
		m.CheckInCode = ""
	}
	seen := m.Materials[:0:0]
	for _, mat := range m.Materials {
		if MaterialAccess(m, mat).Allows(p) {
			seen = append(seen, mat)
		}
	}
	m.Materials = seen
}

// List lists the meetings p may read: all of them, the ones p attends
// (mine) or organises, soonest first.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	return s.list(ctx, p, q)
}

// During is List narrowed to the meetings that overlap [from, to) — a
// calendar's range — so that a reader of one week never pages through
// every meeting before it.
func (s *Service) During(ctx context.Context, p *auth.Principal, q ListQuery, from, to time.Time) (Page, error) {
	return s.list(ctx, p, q, index.Range("endAt", from, nil), index.Range("startAt", nil, to))
}

func (s *Service) list(ctx context.Context, p *auth.Principal, q ListQuery, f ...index.Filter) (Page, error) {
	switch q.Scope {
	case "mine":
		f = append(f, index.Term("people", p.UserID))
	case "organised":
		f = append(f, index.Term("organiser", p.UserID))
	}
	if q.State != "" {
		f = append(f, index.Term("state", q.State))
	}
	if q.RoomID != "" {
		f = append(f, index.Term("roomId", q.RoomID))
	}
	return records.ListAs[Summary](ctx, s.meetings, p, records.Query{Sort: "startAt", Size: q.Size, Cursor: q.Cursor,
		ConsistentWith: q.ConsistentWith}, f...)
}

// Book books a meeting: the room, the attendees (their clearance covers
// the meeting's 密级), the invited departments; refused with 409
// meeting_conflict when the room is taken then, or when key attendees
// are engaged (unless in.AllowAttendeeConflicts). Each attendee gets the
// notice on their desktop.
func (s *Service) Book(ctx context.Context, a records.Actor, in Input) (View, error) {
	m, err := s.prepare(ctx, a, in)
	if err != nil {
		return View{}, err
	}
	var out View
	err = store.Retry(ctx, func(ctx context.Context) error {
		if err := s.claim(ctx, &m, true, attendingIDs(m.Attendees)); err != nil {
			return err
		}
		conflicts, err := s.Conflicts(ctx, &m, "")
		if err != nil {
			return err
		}
		if err := conflictProblem(conflicts, in.AllowAttendeeConflicts); err != nil {
			return s.meetings.Refused(ctx, a, "meeting.book", Collection+"/"+m.RoomID, err)
		}
		out, err = records.ViewOf(s.meetings.Create(ctx, a, "meeting.book", m, map[string]any{"room": m.RoomID,
			"startAt": m.StartAt, "endAt": m.EndAt, "attendees": len(m.Attendees), "classification": string(m.Classification)}))
		return err
	})
	if err == nil {
		s.tell(ctx, a, "meeting.book", &out.Document)
	}
	return out, err
}

// prepare checks who books for which department and drafts the meeting.
// The host department is the one given, or the organiser's only one; an
// organiser office-wide (会务处) may book for any department.
func (s *Service) prepare(ctx context.Context, a records.Actor, in Input) (Meeting, error) {
	var dept string
	if in.Department != "" && a.P.Can(auth.PermMeetingOrganise, auth.OfficeWide) {
		if _, err := s.d.DepartmentName(ctx, in.Department); err != nil {
			return Meeting{}, problem.Invalid(problem.Field("department", "处室不存在", "no such department"))
		}
		dept = in.Department
	} else {
		var err error
		if dept, err = records.FilingDepartment(a.P, in.Department); err != nil {
			return Meeting{}, err
		}
	}
	if !a.P.Can(auth.PermMeetingOrganise, dept) {
		return Meeting{}, s.meetings.Refused(ctx, a, "meeting.book", Collection+"/"+dept, problem.Forbidden())
	}
	return s.draft(ctx, a, dept, in)
}

// CheckResult is what a booking would collide with (the booking form
// asks before it books).
type CheckResult struct {
	Conflicts []Conflict `json:"conflicts"`
}

// Check answers the conflicts a booking would meet, without booking.
func (s *Service) Check(ctx context.Context, a records.Actor, in Input) (CheckResult, error) {
	m, err := s.prepare(ctx, a, in)
	if err != nil {
		return CheckResult{}, err
	}
	if err := s.meetings.Wait(ctx, ""); err != nil {
		return CheckResult{}, err
	}
	cs, err := s.Conflicts(ctx, &m, "")
	if cs == nil {
		cs = []Conflict{}
	}
	return CheckResult{Conflicts: cs}, err
}

// draft validates a booking against the organisation and the room and
// makes the meeting it describes.
func (s *Service) draft(ctx context.Context, a records.Actor, dept string, in Input) (Meeting, error) {
	in.Title = strings.TrimSpace(in.Title)
	var errs []problem.FieldError
	if in.Title == "" {
		errs = append(errs, problem.Field("title", "请填写会议名称", "title is required"))
	}
	if !in.EndAt.After(in.StartAt) {
		errs = append(errs, problem.Field("endAt", "结束时间须晚于开始时间", "endAt must be after startAt"))
	} else if in.EndAt.Sub(in.StartAt) > 7*24*time.Hour {
		errs = append(errs, problem.Field("endAt", "一次会议不能超过7天", "a meeting lasts at most 7 days"))
	}
	level := in.Classification
	if level == "" {
		level = classification.Feimi
	}
	if !a.P.MayRead(level) {
		errs = append(errs, problem.Field("classification", "密级不能高于本人的涉密等级", "above your clearance"))
	}
	room, err := s.Room(ctx, in.RoomID)
	if err != nil || !room.Active {
		errs = append(errs, problem.Field("roomId", "会议室不存在或已停用", "no such room in use"))
	}
	now := s.meetings.Now()
	m := Meeting{Summary: Summary{Title: in.Title, Type: in.Type, Classification: level, RoomID: in.RoomID, RoomName: room.Name,
		StartAt: in.StartAt.UTC(), EndAt: in.EndAt.UTC(), Department: dept, Organiser: a.P.UserID, OrganiserName: a.P.Name,
		State: StateScheduled, UpdatedAt: now}, Agenda: in.Agenda, Materials: in.Materials, Attendees: []Attendee{}, Departments: []Invitation{},
		Seating: SeatingOptions(in.Seating), CheckInCode: code(), CreatedAt: now}
	if m.Type == "" {
		m.Type = Types[0]
	}
	if m.Agenda == nil {
		m.Agenda = []AgendaItem{}
	}
	if m.Materials == nil {
		m.Materials = []Material{}
	}
	for i, mat := range m.Materials {
		if mat.Knowers == nil {
			m.Materials[i].Knowers = []string{}
		}
		if mat.Classification.Rank() > level.Rank() {
			errs = append(errs, problem.Field(fmt.Sprintf("materials[%d].classification", i),
				"材料密级不能高于会议密级", "a material above the meeting's classification"))
		}
	}
	seen := map[string]int{}
	for i, in := range in.Attendees {
		at := fmt.Sprintf("attendees[%d].userId", i)
		if j, dup := seen[in.UserID]; dup {
			errs = append(errs, problem.Field(at, fmt.Sprintf("与第%d位参会人重复", j+1), fmt.Sprintf("the same person as attendees[%d]", j)))
			continue
		}
		seen[in.UserID] = i
		att, ferr := s.attendee(ctx, level, in, at)
		if ferr != nil {
			errs = append(errs, *ferr)
			continue
		}
		m.Attendees = append(m.Attendees, att)
	}
	seenDept := map[string]bool{}
	for i, inv := range in.Departments {
		at := fmt.Sprintf("departments[%d].department", i)
		name, err := s.d.DepartmentName(ctx, inv.Department)
		switch {
		case seenDept[inv.Department]:
			errs = append(errs, problem.Field(at, "处室重复", "the same department twice"))
			continue
		case err != nil:
			if !errors.Is(err, store.ErrNotFound) && problem.As(err) == nil {
				return Meeting{}, err
			}
			errs = append(errs, problem.Field(at, "处室不存在", "no such department"))
			continue
		}
		seenDept[inv.Department] = true
		if inv.Seats == 0 {
			inv.Seats = 1
		}
		if inv.SeatArea == "" {
			inv.SeatArea = seating.Audience
		}
		m.Departments = append(m.Departments, Invitation{Department: inv.Department, Name: name, Seats: inv.Seats, SeatArea: inv.SeatArea})
	}
	if len(errs) > 0 {
		return Meeting{}, problem.Invalid(errs...)
	}
	if n := len(m.seated()); n > room.Capacity {
		return Meeting{}, problem.Invalid(problem.Field("attendees",
			fmt.Sprintf("参会人数（%d）超过会议室座位数（%d）", n, room.Capacity), fmt.Sprintf("%d people, %d seats", n, room.Capacity)))
	}
	if r, n := m.rostrumCount(), room.Layout.RostrumSeats(); r > n {
		return Meeting{}, problem.Invalid(problem.Field("attendees",
			fmt.Sprintf("主席台就座人数（%d）超过主席台座位数（%d）", r, n), fmt.Sprintf("%d on the rostrum, %d seats", r, n)))
	}
	return m, nil
}

// attendee makes an invited person's entry, or names the field's fault.
func (s *Service) attendee(ctx context.Context, level classification.Level, in AttendeeInput, at string) (Attendee, *problem.FieldError) {
	p, err := s.d.People(ctx, in.UserID)
	if err != nil || p.Disabled {
		f := problem.Field(at, "用户不存在", "no such user")
		return Attendee{}, &f
	}
	if !p.Clearance.Valid() || p.Clearance.Rank() < level.Rank() {
		f := problem.Field(at, p.Name+"的涉密等级低于会议密级", p.Name+"'s clearance is below the meeting's")
		return Attendee{}, &f
	}
	a := s.newAttendee(ctx, p, string(in.SeatArea))
	a.Key = a.SeatArea == seating.Rostrum
	if in.Precedence > 0 {
		a.Precedence, a.PrecedenceSet = in.Precedence, true
	}
	if in.Key != nil {
		a.Key = *in.Key
	}
	return a, nil
}

// code is a fresh six-digit check-in code.
func code() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// commitStep is one change of a meeting p may read, with its audit entry.
func (s *Service) step(ctx context.Context, a records.Actor, action, id string, change func(*Meeting) (map[string]any, error)) (View, error) {
	v, err := records.ViewOf(s.meetings.Step(ctx, a, action, id, func(m *Meeting) (map[string]any, error) {
		d, err := change(m)
		if err != nil {
			return nil, err
		}
		m.UpdatedAt = s.meetings.Now()
		return d, nil
	}))
	if err != nil {
		return View{}, err
	}
	s.tell(ctx, a, action, &v.Document)
	redact(a.P, &v.Document)
	return v, nil
}

// organising is a step only the meeting's organisers may take, on a
// meeting still scheduled.
func organising(a records.Actor, m *Meeting) error {
	if !mayOrganise(a.P, m) {
		return problem.Forbidden()
	}
	if m.State != StateScheduled {
		return problem.InvalidState(stateNames[m.State], m.State)
	}
	return nil
}

var stateNames = map[string]string{StateScheduled: "已安排", StateCancelled: "已取消", StateClosed: "已结束"}

// Cancel calls the meeting off: the room is free again, the notices go.
func (s *Service) Cancel(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.step(ctx, a, "meeting.cancel", id, func(m *Meeting) (map[string]any, error) {
		if err := organising(a, m); err != nil {
			return nil, err
		}
		m.State = StateCancelled
		return map[string]any{"state": m.State}, nil
	})
}

// Finish marks the meeting held.
func (s *Service) Finish(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.step(ctx, a, "meeting.close", id, func(m *Meeting) (map[string]any, error) {
		if err := organising(a, m); err != nil {
			return nil, err
		}
		m.State = StateClosed
		return map[string]any{"state": m.State}, nil
	})
}
