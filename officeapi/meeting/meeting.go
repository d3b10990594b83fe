// Package meeting is meetings (会务, issue 13): rooms with their seat
// layouts, booking with conflict detection (the room, and key attendees'
// other meetings and leader-schedule entries), agenda and materials
// (classified ones on a need-to-know basis), attendees invited by person
// or by department (the department names its delegates later), notices
// on each attendee's desktop with read receipts, replies (attend,
// decline, delegate), reminders, check-in (a code or the organiser's
// list), the attendance report, minutes (纪要) that start an outgoing
// 公文, and seating: the rostrum and the audience arranged by the pure
// package seating, hand moves kept, re-arranged when attendance changes,
// drawn as a seat chart (PDF, PNG) and name cards (席卡, PDF).
//
// A meeting is one document; each change is one compare-and-set with its
// audit entry (records.Collection). A booking also writes the room's lock
// document at the version it read, so two bookings of one room cannot
// both pass the overlap check.
//
// # Protocol rank
//
// Each attendee has a Precedence: lower is more senior. The default comes
// from the person's post (PostPrecedence: 省长 before 副省长 before 秘书长 …
// before 处长 before 科员; a leader-role holder without a ranked post
// counts as 秘书长-level), the organiser may set it per meeting. Ties are
// broken by the order the attendees were invited in (the order of the
// booking's list, then later additions), which the seating package keeps
// stable; the arrangement's rank (1 = most senior) is that order.
package meeting

import (
	"time"

	"zhengwu/officeapi/meeting/seating"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collections of the capability.
const (
	// Collection holds one Meeting per id.
	Collection = "meetings"
	// RoomCollection holds one Room per id.
	RoomCollection = "meeting_rooms"
	// lockCollection holds one document per room, rewritten by every
	// booking of the room: the compare-and-set that serialises bookings.
	lockCollection = "meeting_room_locks"
)

// States of a meeting.
const (
	StateScheduled = "scheduled" // 已安排
	StateCancelled = "cancelled" // 已取消
	StateClosed    = "closed"    // 已结束
)

// Replies of an attendee.
const (
	ReplyInvited   = "invited"   // 未回复
	ReplyAccepted  = "accepted"  // 参加
	ReplyDeclined  = "declined"  // 请假
	ReplyDelegated = "delegated" // 委托他人参加
)

// ReplyNames are the replies as the reader sees them.
var ReplyNames = map[string]string{ReplyInvited: "未回复", ReplyAccepted: "参加", ReplyDeclined: "请假", ReplyDelegated: "委托参加"}

// Meeting is the stored document; its JSON is the API's too. Its
// Summary is what the lists show.
type Meeting struct {
	Summary
	Agenda      []AgendaItem   `json:"agenda"`
	Materials   []Material     `json:"materials"`
	Attendees   []Attendee     `json:"attendees"`
	Departments []Invitation   `json:"departments"`
	Seating     SeatingOptions `json:"seating"`
	// Plan is the last arrangement (nil until arranged).
	Plan *seating.Plan `json:"plan,omitempty"`
	// Fixed are the seats chosen by hand, by seat holder (a user id, or
	// a department's held seat: HeldSeatID); kept by every re-arrangement.
	Fixed map[string]seating.Seat `json:"fixed,omitempty"`
	// CheckInCode is the code attendees enter to check themselves in;
	// only the organisers see it (Get blanks it for everyone else).
	CheckInCode string     `json:"checkInCode,omitempty"`
	RemindedAt  *time.Time `json:"remindedAt,omitempty"`
	// Changes are the changes the attendees were told of (改期、换会议室、
	// 增减参会人员), oldest first.
	Changes []Change `json:"changes,omitempty"`
	// Withdrawn are those taken off the list after the notice went out.
	Withdrawn []Withdrawn `json:"withdrawn,omitempty"`
	// Minutes is the id of the 纪要 (an outgoing 公文) once started.
	Minutes   string    `json:"minutes,omitempty"`
	CreatedAt time.Time `json:"createdAt"`

	// locks are the lock documents this commit rewrites at the versions
	// its conflict check read (claim; not stored).
	locks []lockRef
}

// AgendaItem is one item of the agenda (议程).
type AgendaItem struct {
	Title     string `json:"title" validate:"required,max=200,nocontrol"`
	Presenter string `json:"presenter" validate:"max=100,nocontrol"`
	Minutes   int    `json:"minutes" validate:"min=0,max=1440"`
}

// Material is a file handed out for the meeting (会议材料). One above 非密
// is need-to-know: only the organisers and its Knowers may see or
// download it.
type Material struct {
	MediaID        string               `json:"mediaId" validate:"required,len=64,hexadecimal"`
	Name           string               `json:"name" validate:"required,max=200,nocontrol"`
	Classification classification.Level `json:"classification" validate:"required,classification"`
	Knowers        []string             `json:"knowers" validate:"max=200,dive,required,max=64"`
}

// Attendee is one invited person.
type Attendee struct {
	UserID     string `json:"userId"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	// DepartmentName is printed on the seat chart and groups the audience.
	DepartmentName string       `json:"departmentName,omitempty"`
	SeatArea       seating.Area `json:"seatArea"`
	// Precedence is the protocol rank key: lower is more senior (see the
	// package doc). PrecedenceSet marks one the organiser chose.
	Precedence    int  `json:"precedence"`
	PrecedenceSet bool `json:"precedenceSet,omitempty"`
	// Key attendees' other engagements are conflicts at booking (by
	// default: everyone on the rostrum).
	Key   bool   `json:"key"`
	Reply string `json:"reply"`
	// DelegateTo is whom a delegated attendee sent; Replaces whom a
	// delegate stands in for; ForDepartment the department that named
	// this attendee.
	DelegateTo    string     `json:"delegateTo,omitempty"`
	Replaces      string     `json:"replaces,omitempty"`
	ForDepartment string     `json:"forDepartment,omitempty"`
	Comment       string     `json:"comment,omitempty"`
	ReadAt        *time.Time `json:"readAt,omitempty"`
	RepliedAt     *time.Time `json:"repliedAt,omitempty"`
	CheckedInAt   *time.Time `json:"checkedInAt,omitempty"`
	CheckedInBy   string     `json:"checkedInBy,omitempty"`
}

// attending reports whether a takes a seat: not declined or delegated.
func (a Attendee) attending() bool { return a.Reply == ReplyInvited || a.Reply == ReplyAccepted }

// Invitation is a department invited as such: it names Seats delegates
// later; until then its seats are held in its name.
type Invitation struct {
	Department string       `json:"department"`
	Name       string       `json:"name"`
	Seats      int          `json:"seats"`
	SeatArea   seating.Area `json:"seatArea"`
	// Named is how many delegates the department has named so far.
	Named int `json:"named"`
}

// SeatingOptions are the meeting's seating rules.
type SeatingOptions struct {
	Even           seating.EvenRule `json:"even,omitempty"`
	MixDepartments bool             `json:"mixDepartments,omitempty"`
}

// Room is a meeting room: its seats and what it has.
type Room struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Building    string         `json:"building"`
	Capacity    int            `json:"capacity"`
	Equipment   []string       `json:"equipment"`
	Layout      seating.Layout `json:"layout"`
	Description string         `json:"description,omitempty"`
	Active      bool           `json:"active"`
}

// View is a meeting as the API answers it (schema MeetingMeetingView).
type View = records.View[Meeting]

// Summary is a meeting in a list: what it is, when, where, whose.
type Summary struct {
	ID             string               `json:"id"`
	Title          string               `json:"title"`
	Type           string               `json:"type"`
	Classification classification.Level `json:"classification"`
	RoomID         string               `json:"roomId"`
	RoomName       string               `json:"roomName"`
	StartAt        time.Time            `json:"startAt"`
	EndAt          time.Time            `json:"endAt"`
	// Department is the host unit; Organiser the host person (who booked).
	Department    string    `json:"department"`
	Organiser     string    `json:"organiser"`
	OrganiserName string    `json:"organiserName"`
	State         string    `json:"state"`
	UpdatedAt     time.Time `json:"updatedAt"`
	// ChangedAt is when the time or room last changed after booking.
	ChangedAt *time.Time `json:"changedAt,omitempty"`
}

// Page is one page of a list (schema MeetingSummaryPage).
type Page = records.Page[Summary]

// organisers are the reader tokens of those who run a meeting: its
// organiser, the host department's organisers, office-wide ones.
func organisers(m *Meeting) []string {
	return []string{auth.User(m.Organiser), auth.Holder(auth.PermMeetingOrganise, m.Department),
		auth.Holder(auth.PermMeetingOrganise, auth.OfficeWide)}
}

// AccessOf is who may read a meeting: its organisers, every attendee
// (delegates included, and those who declined), the organisers of the
// invited departments (who name its delegates), and the room keepers;
// all of them cleared for its 密级.
func AccessOf(m *Meeting) auth.Access {
	r := organisers(m)
	r = append(r, auth.Holder(auth.PermMeetingRoomManage, auth.OfficeWide))
	for _, a := range m.Attendees {
		r = append(r, auth.User(a.UserID))
	}
	for _, d := range m.Departments {
		r = append(r, auth.Holder(auth.PermMeetingOrganise, d.Department))
	}
	return auth.Access{Classification: m.Classification, Readers: r}
}

// MaterialAccess is who may read one material: for an unclassified one,
// the meeting's readers; for a classified one (need-to-know), the
// organisers and the material's knowers, cleared for its 密级.
func MaterialAccess(m *Meeting, mat Material) auth.Access {
	if mat.Classification == classification.Feimi || mat.Classification == "" {
		acc := AccessOf(m)
		acc.Classification = max2(m.Classification, mat.Classification)
		return acc
	}
	r := organisers(m)
	for _, k := range mat.Knowers {
		r = append(r, auth.User(k))
	}
	return auth.Access{Classification: max2(m.Classification, mat.Classification), Readers: r}
}

// mayOrganise reports whether p runs the meeting.
func mayOrganise(p *auth.Principal, m *Meeting) bool {
	return p.UserID == m.Organiser || p.Can(auth.PermMeetingOrganise, m.Department)
}

func max2(a, b classification.Level) classification.Level {
	if !b.Valid() || a.Valid() && a.Rank() >= b.Rank() {
		return a
	}
	return b
}
