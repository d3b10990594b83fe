package meeting

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// attendeeOf is p's entry in m, or nil.
func attendeeOf(m *Meeting, userID string) *Attendee {
	i := slices.IndexFunc(m.Attendees, func(a Attendee) bool { return a.UserID == userID })
	if i < 0 {
		return nil
	}
	return &m.Attendees[i]
}

func scheduled(m *Meeting) error {
	if m.State != StateScheduled {
		return problem.InvalidState(stateNames[m.State], m.State)
	}
	return nil
}

// Read records that the attendee has read the notice (the read receipt):
// the notice leaves their 待阅. Reading twice keeps the first time.
func (s *Service) Read(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.step(ctx, a, "meeting.notice.read", id, func(m *Meeting) (map[string]any, error) {
		at := attendeeOf(m, a.P.UserID)
		if at == nil {
			return nil, problem.Forbidden()
		}
		if at.ReadAt == nil {
			now := s.meetings.Now()
			at.ReadAt = &now
		}
		return map[string]any{"readAt": at.ReadAt}, nil
	})
}

// Reply is the attendee's answer: attend, decline (请假, a comment says
// why) or delegate to someone cleared for the meeting, who is invited in
// their place (same seat area and protocol rank, their seat if arranged).
// An arranged meeting is re-arranged keeping the hand-fixed seats.
func (s *Service) Reply(ctx context.Context, a records.Actor, id string, in ReplyInput) (View, error) {
	var delegate Person
	if in.Reply == "delegate" {
		if in.DelegateTo == "" {
			return View{}, problem.Invalid(problem.Field("delegateTo", "请选择代为参会的人员", "whom to delegate to"))
		}
		if in.DelegateTo == a.P.UserID {
			return View{}, problem.Invalid(problem.Field("delegateTo", "不能委托本人", "not yourself"))
		}
		var err error
		if delegate, err = s.d.People(ctx, in.DelegateTo); err != nil || delegate.Disabled {
			return View{}, problem.Invalid(problem.Field("delegateTo", "用户不存在", "no such user"))
		}
	}
	if in.Reply == "decline" && strings.TrimSpace(in.Comment) == "" {
		return View{}, problem.Invalid(problem.Field("comment", "请假须说明原因", "a reason is required"))
	}
	return s.step(ctx, a, "meeting.reply", id, func(m *Meeting) (map[string]any, error) {
		at := attendeeOf(m, a.P.UserID)
		if at == nil {
			return nil, problem.Forbidden()
		}
		if err := scheduled(m); err != nil {
			return nil, err
		}
		if !at.attending() {
			return nil, problem.New(409, problem.CodeInvalidState, "已请假或已委托他人，不能再次回复",
				"already declined or delegated")
		}
		if at.CheckedInAt != nil {
			return nil, problem.New(409, problem.CodeInvalidState, "已签到", "already checked in")
		}
		now := s.meetings.Now()
		at.RepliedAt, at.Comment = &now, strings.TrimSpace(in.Comment)
		if at.ReadAt == nil {
			at.ReadAt = &now
		}
		switch in.Reply {
		case "accept":
			at.Reply = ReplyAccepted
		case "decline":
			at.Reply = ReplyDeclined
			delete(m.Fixed, at.UserID)
		case "delegate":
			if attendeeOf(m, delegate.ID) != nil {
				return nil, problem.Invalid(problem.Field("delegateTo", delegate.Name+"已在参会名单中", "already invited"))
			}
			if !delegate.Clearance.Valid() || delegate.Clearance.Rank() < m.Classification.Rank() {
				return nil, problem.Invalid(problem.Field("delegateTo", delegate.Name+"的涉密等级低于会议密级",
					"the delegate's clearance is below the meeting's"))
			}
			at.Reply, at.DelegateTo = ReplyDelegated, delegate.ID
			d := s.newAttendee(ctx, delegate, string(at.SeatArea))
			d.Precedence, d.PrecedenceSet, d.Key, d.Replaces, d.ForDepartment = at.Precedence, true, at.Key, at.UserID, at.ForDepartment
			if seat, ok := m.Fixed[at.UserID]; ok {
				m.Fixed[d.UserID] = seat
				delete(m.Fixed, at.UserID)
			}
			m.Attendees = append(m.Attendees, d)
			// The delegate now takes part: their day locks go with this
			// commit, so that a key-attendee check racing it runs again.
			if err := s.claim(ctx, m, false, []string{d.UserID}); err != nil {
				return nil, err
			}
		}
		if err := m.reseat(); err != nil {
			return nil, err
		}
		return map[string]any{"reply": at.Reply, "delegateTo": at.DelegateTo}, nil
	})
}

// newAttendee is an invited person's entry (reply pending).
func (s *Service) newAttendee(ctx context.Context, p Person, area string) Attendee {
	a := Attendee{UserID: p.ID, Name: p.Name, SeatArea: seatingArea(area), Precedence: p.Precedence, Reply: ReplyInvited}
	if len(p.Departments) > 0 {
		a.Department = p.Departments[0]
		if name, err := s.d.DepartmentName(ctx, a.Department); err == nil {
			a.DepartmentName = name
		}
	}
	return a
}

// NameDelegates is an invited department naming who comes for it (its
// organisers: meeting.organise there): each takes one of the seats held
// in its name, in the department's block.
func (s *Service) NameDelegates(ctx context.Context, a records.Actor, id, dept string, in DelegatesInput) (View, error) {
	people := make([]Person, len(in.UserIDs))
	for i, uid := range in.UserIDs {
		p, err := s.d.People(ctx, uid)
		if err != nil || p.Disabled {
			return View{}, problem.Invalid(problem.Field(fmt.Sprintf("userIds[%d]", i), "用户不存在", "no such user"))
		}
		people[i] = p
	}
	return s.step(ctx, a, "meeting.delegates", id, func(m *Meeting) (map[string]any, error) {
		i := slices.IndexFunc(m.Departments, func(d Invitation) bool { return d.Department == dept })
		if i < 0 {
			return nil, problem.NotFound("该处室未受邀", "the department is not invited")
		}
		inv := &m.Departments[i]
		if !a.P.Can(auth.PermMeetingOrganise, dept) && !mayOrganise(a.P, m) {
			return nil, problem.Forbidden()
		}
		if err := scheduled(m); err != nil {
			return nil, err
		}
		if inv.Named+len(people) > inv.Seats {
			return nil, problem.Invalid(problem.Field("userIds", fmt.Sprintf("该处室还可指派%d人", inv.Seats-inv.Named),
				fmt.Sprintf("%d seats left for the department", inv.Seats-inv.Named)))
		}
		for j, p := range people {
			at := fmt.Sprintf("userIds[%d]", j)
			if attendeeOf(m, p.ID) != nil {
				return nil, problem.Invalid(problem.Field(at, p.Name+"已在参会名单中", "already invited"))
			}
			if !p.Clearance.Valid() || p.Clearance.Rank() < m.Classification.Rank() {
				return nil, problem.Invalid(problem.Field(at, p.Name+"的涉密等级低于会议密级", "clearance below the meeting's"))
			}
			inv.Named++
			d := s.newAttendee(ctx, p, string(inv.SeatArea))
			d.Department, d.DepartmentName, d.ForDepartment = dept, inv.Name, dept
			d.Replaces = HeldSeatID(dept, inv.Named)
			if seat, ok := m.Fixed[d.Replaces]; ok {
				m.Fixed[d.UserID] = seat
				delete(m.Fixed, d.Replaces)
			}
			m.Attendees = append(m.Attendees, d)
		}
		// The delegates take part from now: their day locks go with this
		// commit (see personLockCollection).
		ids := make([]string, len(people))
		for j, p := range people {
			ids[j] = p.ID
		}
		if err := s.claim(ctx, m, false, ids); err != nil {
			return nil, err
		}
		if err := m.reseat(); err != nil {
			return nil, err
		}
		return map[string]any{"department": dept, "named": len(people)}, nil
	})
}

// SetPrecedence sets attendees' protocol rank keys (the organiser); an
// arranged meeting is re-arranged.
func (s *Service) SetPrecedence(ctx context.Context, a records.Actor, id string, in PrecedenceInput) (View, error) {
	return s.step(ctx, a, "meeting.precedence", id, func(m *Meeting) (map[string]any, error) {
		if err := organising(a, m); err != nil {
			return nil, err
		}
		for i, it := range in.Items {
			at := attendeeOf(m, it.UserID)
			if at == nil {
				return nil, problem.Invalid(problem.Field(fmt.Sprintf("items[%d].userId", i), "不在参会名单中", "not an attendee"))
			}
			at.Precedence, at.PrecedenceSet = it.Precedence, true
		}
		if err := m.reseat(); err != nil {
			return nil, err
		}
		return map[string]any{"items": len(in.Items)}, nil
	})
}

// checkInOpens is how long before the start check-in opens.
const checkInOpens = 2 * time.Hour

// CheckIn checks in: an attendee with the meeting's code checks
// themselves in; an organiser checks in those listed. Check-in is open
// from two hours before the start to the end.
func (s *Service) CheckIn(ctx context.Context, a records.Actor, id string, in CheckInInput) (View, error) {
	if (in.Code == "") == (len(in.UserIDs) == 0) {
		return View{}, problem.Invalid(problem.Field("code", "请输入签到码，或由会务人员按名单签到",
			"either code (self) or userIds (the organiser's list)"))
	}
	return s.step(ctx, a, "meeting.checkin", id, func(m *Meeting) (map[string]any, error) {
		if err := scheduled(m); err != nil {
			return nil, err
		}
		now := s.meetings.Now()
		if now.Before(m.StartAt.Add(-checkInOpens)) || now.After(m.EndAt) {
			return nil, problem.New(409, problem.CodeInvalidState, "不在签到时间内（会前2小时至会议结束）",
				"check-in is open from two hours before the start to the end")
		}
		who := in.UserIDs
		if in.Code != "" {
			if attendeeOf(m, a.P.UserID) == nil {
				return nil, problem.Forbidden()
			}
			if in.Code != m.CheckInCode {
				return nil, problem.Invalid(problem.Field("code", "签到码不正确", "wrong code"))
			}
			who = []string{a.P.UserID}
		} else if !mayOrganise(a.P, m) {
			return nil, problem.Forbidden()
		}
		for i, uid := range who {
			at := attendeeOf(m, uid)
			if at == nil || !at.attending() {
				return nil, problem.Invalid(problem.Field(fmt.Sprintf("userIds[%d]", i), "不在参会名单中或已请假",
					"not attending"))
			}
			if at.CheckedInAt == nil {
				at.CheckedInAt, at.CheckedInBy = &now, a.P.UserID
				if at.Reply == ReplyInvited {
					at.Reply = ReplyAccepted
				}
			}
		}
		return map[string]any{"checkedIn": who}, nil
	})
}

// Remind sends the notice again to everyone attending who has not
// checked in: it returns to their 待阅 as a reminder.
func (s *Service) Remind(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.step(ctx, a, "meeting.remind", id, func(m *Meeting) (map[string]any, error) {
		if err := organising(a, m); err != nil {
			return nil, err
		}
		now := s.meetings.Now()
		m.RemindedAt = &now
		n := 0
		for i := range m.Attendees {
			if at := &m.Attendees[i]; at.attending() && at.CheckedInAt == nil {
				at.ReadAt = nil
				n++
			}
		}
		return map[string]any{"reminded": n}, nil
	})
}

// Attendance is the attendance report (参会情况).
type Attendance struct {
	MeetingID string `json:"meetingId"`
	Title     string `json:"title"`
	Invited   int    `json:"invited"`
	Accepted  int    `json:"accepted"`
	Declined  int    `json:"declined"`
	Delegated int    `json:"delegated"`
	Unreplied int    `json:"unreplied"`
	CheckedIn int    `json:"checkedIn"`
	// Absent are those attending who have not checked in.
	Absent int `json:"absent"`
	// HeldSeats are seats departments have not named delegates for.
	HeldSeats int             `json:"heldSeats"`
	Rows      []AttendanceRow `json:"rows"`
}

// AttendanceRow is one attendee in the report.
type AttendanceRow struct {
	UserID      string     `json:"userId"`
	Name        string     `json:"name"`
	Department  string     `json:"department"`
	Reply       string     `json:"reply"`
	ReplyName   string     `json:"replyName"`
	Read        bool       `json:"read"`
	CheckedInAt *time.Time `json:"checkedInAt,omitempty"`
	Comment     string     `json:"comment,omitempty"`
	Replaces    string     `json:"replaces,omitempty"`
}

// Attendance reports who replied what and who checked in (organisers).
func (s *Service) Attendance(ctx context.Context, p *auth.Principal, id string) (Attendance, error) {
	v, err := s.Get(ctx, p, id)
	if err != nil {
		return Attendance{}, err
	}
	m := v.Document
	if !mayOrganise(p, &m) {
		return Attendance{}, problem.Forbidden()
	}
	r := Attendance{MeetingID: m.ID, Title: m.Title, Invited: len(m.Attendees), Rows: []AttendanceRow{}}
	for _, a := range m.Attendees {
		switch a.Reply {
		case ReplyAccepted:
			r.Accepted++
		case ReplyDeclined:
			r.Declined++
		case ReplyDelegated:
			r.Delegated++
		default:
			r.Unreplied++
		}
		if a.CheckedInAt != nil {
			r.CheckedIn++
		} else if a.attending() {
			r.Absent++
		}
		r.Rows = append(r.Rows, AttendanceRow{UserID: a.UserID, Name: a.Name, Department: a.DepartmentName, Reply: a.Reply,
			ReplyName: ReplyNames[a.Reply], Read: a.ReadAt != nil, CheckedInAt: a.CheckedInAt, Comment: a.Comment, Replaces: a.Replaces})
	}
	for _, d := range m.Departments {
		r.HeldSeats += d.Seats - d.Named
	}
	return r, nil
}
