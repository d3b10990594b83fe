package meeting

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhengwu/officeapi/meeting/seating"
	"zhengwu/officeapi/records"
	"zhengwu/shared/problem"
)

// RescheduleInput moves a booked meeting to another time and/or room
// (改期、换会议室).
type RescheduleInput struct {
	StartAt time.Time `json:"startAt" validate:"required"`
	EndAt   time.Time `json:"endAt" validate:"required"`
	RoomID  string    `json:"roomId" validate:"required,max=64,nocontrol"`
	// Reason is told to the attendees with the change.
	Reason string `json:"reason" validate:"max=500,nocontrol"`
	// AllowAttendeeConflicts as in a booking; a room conflict is never
	// allowed.
	AllowAttendeeConflicts bool `json:"allowAttendeeConflicts"`
}

// AttendeesInput adds and removes attendees of a booked meeting
// (增减参会人员): people, and departments invited to name delegates.
type AttendeesInput struct {
	Add               []AttendeeInput   `json:"add" validate:"max=2000,dive"`
	Remove            []string          `json:"remove" validate:"max=2000,dive,required,hexid"`
	AddDepartments    []InvitationInput `json:"addDepartments" validate:"max=100,dive"`
	RemoveDepartments []string          `json:"removeDepartments" validate:"max=100,dive,required,orgid"`
	// AllowAttendeeConflicts: added key attendees engaged elsewhere are
	// added all the same.
	AllowAttendeeConflicts bool `json:"allowAttendeeConflicts"`
}

// Change is one change of a booked meeting the attendees were told of.
type Change struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	ByName string    `json:"byName"`
	// What is "reschedule" or "attendees".
	What string `json:"what"`
	// FromStartAt…ToRoomName: a reschedule's before and after.
	FromStartAt time.Time `json:"fromStartAt,omitempty"`
	FromEndAt   time.Time `json:"fromEndAt,omitempty"`
	FromRoom    string    `json:"fromRoom,omitempty"`
	Added       []string  `json:"added,omitempty"`
	Removed     []string  `json:"removed,omitempty"`
	Reason      string    `json:"reason,omitempty"`
}

// Withdrawn is someone taken off the list after the notice went out: the
// meeting is no longer theirs to read, but their desktop says so (待阅
// 取消参会) until the meeting's start.
type Withdrawn struct {
	UserID string    `json:"userId"`
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
}

// changeable is a step only the organisers may take on a scheduled
// meeting that has not started yet: a meeting under way or over is on
// record as it was held (409).
func (s *Service) changeable(a records.Actor, m *Meeting) error {
	if err := organising(a, m); err != nil {
		return err
	}
	if !s.meetings.Now().Before(m.StartAt) {
		return problem.New(409, problem.CodeInvalidState, "会议已开始或已结束，不能再变更", "the meeting has started")
	}
	return nil
}

// Reschedule moves the meeting to another time and/or room with the
// checks of a booking (the room free, key attendees not engaged, under
// the same locks). Seated in another room, it is re-arranged in that
// room's layout keeping the hand-fixed seats that exist there. Every
// attendee is told: the notice returns to their 待阅; when the time
// changed, an acceptance no longer holds (it was for another time), so it
// returns to their 待办 to answer again, and check-ins are undone. A
// decline or a delegation stands: the reason given may still hold, and
// the delegate is invited and told in their own right.
func (s *Service) Reschedule(ctx context.Context, a records.Actor, id string, in RescheduleInput) (View, error) {
	return s.step(ctx, a, "meeting.reschedule", id, func(m *Meeting) (map[string]any, error) {
		if err := s.changeable(a, m); err != nil {
			return nil, err
		}
		now := s.meetings.Now()
		var errs []problem.FieldError
		switch {
		case !in.StartAt.After(now):
			errs = append(errs, problem.Field("startAt", "新的开始时间须晚于现在", "startAt must be in the future"))
		case !in.EndAt.After(in.StartAt):
			errs = append(errs, problem.Field("endAt", "结束时间须晚于开始时间", "endAt must be after startAt"))
		case in.EndAt.Sub(in.StartAt) > 7*24*time.Hour:
			errs = append(errs, problem.Field("endAt", "一次会议不能超过7天", "a meeting lasts at most 7 days"))
		}
		room, err := s.Room(ctx, in.RoomID)
		if err != nil || !room.Active {
			errs = append(errs, problem.Field("roomId", "会议室不存在或已停用", "no such room in use"))
		}
		if len(errs) > 0 {
			return nil, problem.Invalid(errs...)
		}
		moved := !in.StartAt.Equal(m.StartAt) || !in.EndAt.Equal(m.EndAt)
		if !moved && in.RoomID == m.RoomID {
			return nil, problem.Invalid(problem.Field("startAt", "时间和会议室均未改变", "neither the time nor the room changes"))
		}
		if err := fits(m, room); err != nil {
			return nil, err
		}
		before := Change{At: now, By: a.P.UserID, ByName: a.P.Name, What: "reschedule", FromStartAt: m.StartAt,
			FromEndAt: m.EndAt, FromRoom: m.RoomName, Reason: in.Reason}
		m.StartAt, m.EndAt, m.RoomID, m.RoomName = in.StartAt.UTC(), in.EndAt.UTC(), room.ID, room.Name
		if err := s.claim(ctx, m, true, attendingIDs(m.Attendees)); err != nil {
			return nil, err
		}
		conflicts, err := s.Conflicts(ctx, m, m.ID)
		if err != nil {
			return nil, err
		}
		if err := conflictProblem(conflicts, in.AllowAttendeeConflicts); err != nil {
			return nil, err
		}
		if err := m.seatIn(room.Layout); err != nil {
			return nil, err
		}
		for i := range m.Attendees {
			at := &m.Attendees[i]
			at.ReadAt = nil
			if moved && at.Reply == ReplyAccepted {
				at.Reply, at.RepliedAt = ReplyInvited, nil
			}
			if moved {
				at.CheckedInAt, at.CheckedInBy = nil, ""
			}
		}
		m.Changes = append(m.Changes, before)
		m.ChangedAt = &now
		return map[string]any{"fromStartAt": before.FromStartAt, "fromEndAt": before.FromEndAt, "fromRoom": before.FromRoom,
			"startAt": m.StartAt, "endAt": m.EndAt, "room": m.RoomID, "reason": in.Reason}, nil
	})
}

// fits refuses a meeting its room cannot seat, naming the field.
func fits(m *Meeting, room Room) error {
	if n := len(m.seated()); n > room.Capacity {
		return problem.Invalid(problem.Field("attendees",
			fmt.Sprintf("参会人数（%d）超过会议室座位数（%d）", n, room.Capacity), fmt.Sprintf("%d people, %d seats", n, room.Capacity)))
	}
	if r, n := m.rostrumCount(), room.Layout.RostrumSeats(); r > n {
		return problem.Invalid(problem.Field("attendees",
			fmt.Sprintf("主席台就座人数（%d）超过主席台座位数（%d）", r, n), fmt.Sprintf("%d on the rostrum, %d seats", r, n)))
	}
	return nil
}

// seatIn re-arranges an arranged meeting in layout (its room's, perhaps
// another room's): the hand-fixed seats that exist there are kept, the
// others forgotten; everyone else keeps their seat where it exists and is
// free (seating.Rearrange).
func (m *Meeting) seatIn(layout seating.Layout) error {
	if m.Plan == nil {
		return nil
	}
	for who, seat := range m.Fixed {
		if !layout.Has(seat) {
			delete(m.Fixed, who)
		}
	}
	plan, err := seating.Rearrange(layout, *m.Plan, m.forSeating(), m.options())
	if err != nil {
		return err
	}
	m.Plan = &plan
	return nil
}

// ChangeAttendees adds and removes attendees (people and invited
// departments) of a meeting not started yet, with a booking's checks for
// those added (clearance, the room's seats, key attendees' engagements,
// under their locks). Those added get the notice on their desktop like
// everyone invited at booking; those removed lose the meeting and find a
// 取消参会 notice on their desktop instead. An arranged meeting is
// re-arranged keeping the hand-fixed seats and moving as few as it can.
func (s *Service) ChangeAttendees(ctx context.Context, a records.Actor, id string, in AttendeesInput) (View, error) {
	if len(in.Add)+len(in.Remove)+len(in.AddDepartments)+len(in.RemoveDepartments) == 0 {
		return View{}, problem.Invalid(problem.Field("add", "请选择要增加或移除的参会人员", "nothing to add or remove"))
	}
	return s.step(ctx, a, "meeting.attendees", id, func(m *Meeting) (map[string]any, error) {
		if err := s.changeable(a, m); err != nil {
			return nil, err
		}
		now := s.meetings.Now()
		var errs []problem.FieldError
		ch := Change{At: now, By: a.P.UserID, ByName: a.P.Name, What: "attendees"}
		for i, uid := range in.Remove {
			j := slices.IndexFunc(m.Attendees, func(at Attendee) bool { return at.UserID == uid })
			if j < 0 {
				errs = append(errs, problem.Field(fmt.Sprintf("remove[%d]", i), "不在参会名单中", "not an attendee"))
				continue
			}
			gone := m.Attendees[j]
			m.Attendees = slices.Delete(m.Attendees, j, j+1)
			delete(m.Fixed, uid)
			if k := slices.IndexFunc(m.Departments, func(d Invitation) bool { return d.Department == gone.ForDepartment }); k >= 0 &&
				gone.Replaces != "" && isHeld(gone.Replaces) && m.Departments[k].Named > 0 {
				m.Departments[k].Named-- // the department's seat is held for it again
			}
			m.Withdrawn = append(slices.DeleteFunc(m.Withdrawn, func(w Withdrawn) bool { return w.UserID == uid }),
				Withdrawn{UserID: uid, Name: gone.Name, At: now})
			ch.Removed = append(ch.Removed, gone.Name)
		}
		for i, dept := range in.RemoveDepartments {
			k := slices.IndexFunc(m.Departments, func(d Invitation) bool { return d.Department == dept })
			if k < 0 {
				errs = append(errs, problem.Field(fmt.Sprintf("removeDepartments[%d]", i), "该处室未受邀", "the department is not invited"))
				continue
			}
			for n := 1; n <= m.Departments[k].Seats; n++ {
				delete(m.Fixed, HeldSeatID(dept, n))
			}
			ch.Removed = append(ch.Removed, m.Departments[k].Name)
			m.Departments = slices.Delete(m.Departments, k, k+1)
		}
		var added []string
		for i, ain := range in.Add {
			at := fmt.Sprintf("add[%d].userId", i)
			if attendeeOf(m, ain.UserID) != nil {
				errs = append(errs, problem.Field(at, "已在参会名单中", "already invited"))
				continue
			}
			att, ferr := s.attendee(ctx, m.Classification, ain, at)
			if ferr != nil {
				errs = append(errs, *ferr)
				continue
			}
			m.Attendees = append(m.Attendees, att)
			m.Withdrawn = slices.DeleteFunc(m.Withdrawn, func(w Withdrawn) bool { return w.UserID == att.UserID })
			added = append(added, att.UserID)
			ch.Added = append(ch.Added, att.Name)
		}
		for i, inv := range in.AddDepartments {
			at := fmt.Sprintf("addDepartments[%d].department", i)
			if slices.ContainsFunc(m.Departments, func(d Invitation) bool { return d.Department == inv.Department }) {
				errs = append(errs, problem.Field(at, "该处室已受邀", "the department is invited already"))
				continue
			}
			name, err := s.d.DepartmentName(ctx, inv.Department)
			if err != nil {
				errs = append(errs, problem.Field(at, "处室不存在", "no such department"))
				continue
			}
			if inv.Seats == 0 {
				inv.Seats = 1
			}
			if inv.SeatArea == "" {
				inv.SeatArea = seating.Audience
			}
			m.Departments = append(m.Departments, Invitation{Department: inv.Department, Name: name, Seats: inv.Seats, SeatArea: inv.SeatArea})
			ch.Added = append(ch.Added, name)
		}
		if len(errs) > 0 {
			return nil, problem.Invalid(errs...)
		}
		room, err := s.Room(ctx, m.RoomID)
		if err != nil {
			return nil, err
		}
		if err := fits(m, room); err != nil {
			return nil, err
		}
		if len(added) > 0 {
			if err := s.claim(ctx, m, false, added); err != nil {
				return nil, err
			}
			// Only the newcomers' engagements are news: probe with them
			// alone, and leave the room (unchanged) out.
			probe := *m
			probe.Attendees = slices.DeleteFunc(slices.Clone(m.Attendees), func(at Attendee) bool { return !slices.Contains(added, at.UserID) })
			conflicts, err := s.Conflicts(ctx, &probe, m.ID)
			if err != nil {
				return nil, err
			}
			conflicts = slices.DeleteFunc(conflicts, func(c Conflict) bool { return c.Kind == "room" })
			if err := conflictProblem(conflicts, in.AllowAttendeeConflicts); err != nil {
				return nil, err
			}
		}
		if err := m.reseat(); err != nil {
			return nil, err
		}
		m.Changes = append(m.Changes, ch)
		return map[string]any{"added": ch.Added, "removed": ch.Removed}, nil
	})
}
