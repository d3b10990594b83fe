package meeting

import (
	"time"

	"zhengwu/officeapi/meeting/seating"
	"zhengwu/shared/classification"
)

// Types of meeting (会议类型).
var Types = []string{"办公会议", "专题会议", "工作会议", "座谈会", "视频会议", "其他"}

// Input is a booking (POST /meetings).
type Input struct {
	Title          string               `json:"title" validate:"required,max=200,nocontrol"`
	Type           string               `json:"type" validate:"omitempty,oneof=办公会议 专题会议 工作会议 座谈会 视频会议 其他"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification"`
	StartAt        time.Time            `json:"startAt" validate:"required"`
	EndAt          time.Time            `json:"endAt" validate:"required"`
	RoomID         string               `json:"roomId" validate:"required,max=64,nocontrol"`
	// Department is the host unit: the one given, or the organiser's only one.
	Department  string            `json:"department" validate:"omitempty,orgid"`
	Attendees   []AttendeeInput   `json:"attendees" validate:"max=2000,dive"`
	Departments []InvitationInput `json:"departments" validate:"max=100,dive"`
	Agenda      []AgendaItem      `json:"agenda" validate:"max=50,dive"`
	Materials   []Material        `json:"materials" validate:"max=50,dive"`
	Seating     SeatingInput      `json:"seating"`
	// AllowAttendeeConflicts books even though key attendees are engaged
	// elsewhere (the booking form shows them first). A room conflict is
	// never allowed.
	AllowAttendeeConflicts bool `json:"allowAttendeeConflicts"`
}

// AttendeeInput is one person invited.
type AttendeeInput struct {
	UserID   string       `json:"userId" validate:"required,hexid"`
	SeatArea seating.Area `json:"seatArea" validate:"omitempty,oneof=rostrum audience"`
	// Precedence sets the protocol rank key (lower is more senior); 0
	// takes the default from the person's post.
	Precedence int `json:"precedence" validate:"min=0,max=100000"`
	// Key: nil means "on the rostrum".
	Key *bool `json:"key"`
}

// InvitationInput is a department invited to send delegates.
type InvitationInput struct {
	Department string       `json:"department" validate:"required,orgid"`
	Seats      int          `json:"seats" validate:"omitempty,min=1,max=200"`
	SeatArea   seating.Area `json:"seatArea" validate:"omitempty,oneof=rostrum audience"`
}

// SeatingInput are the seating rules of a booking or an arrangement.
type SeatingInput struct {
	Even           seating.EvenRule `json:"even" validate:"omitempty,oneof=firstLeft firstRight"`
	MixDepartments bool             `json:"mixDepartments"`
}

// ArrangeInput changes the seating rules when arranging; what is left
// out keeps the meeting's.
type ArrangeInput struct {
	Even           seating.EvenRule `json:"even" validate:"omitempty,oneof=firstLeft firstRight"`
	MixDepartments *bool            `json:"mixDepartments"`
}

// ReplyInput is an attendee's answer to the notice.
type ReplyInput struct {
	Reply      string `json:"reply" validate:"required,oneof=accept decline delegate"`
	DelegateTo string `json:"delegateTo" validate:"omitempty,hexid"`
	Comment    string `json:"comment" validate:"max=500,nocontrol"`
}

// DelegatesInput is a department naming its delegates.
type DelegatesInput struct {
	UserIDs []string `json:"userIds" validate:"required,min=1,max=200,dive,required,hexid"`
}

// CheckInInput checks in: the attendee's own code, or the organiser's
// list of those present.
type CheckInInput struct {
	Code    string   `json:"code" validate:"omitempty,len=6,numeric"`
	UserIDs []string `json:"userIds" validate:"max=2000,dive,required,hexid"`
}

// PrecedenceInput sets attendees' protocol rank keys (the organiser).
type PrecedenceInput struct {
	Items []struct {
		UserID     string `json:"userId" validate:"required,max=64,nocontrol"`
		Precedence int    `json:"precedence" validate:"min=1,max=100000"`
	} `json:"items" validate:"required,min=1,max=2000,dive"`
}

// MovesInput are seats chosen by hand on the seat chart: each person to
// their seat (fixed from then on), or back to the arrangement's choice
// (seat null). Moving someone into an occupied seat swaps the two.
type MovesInput struct {
	Moves []Move `json:"moves" validate:"required,min=1,max=2000,dive"`
}

// Move is one hand move.
type Move struct {
	UserID string        `json:"userId" validate:"required,max=100,nocontrol"`
	Seat   *seating.Seat `json:"seat"`
}

// MinutesInput starts the 纪要.
type MinutesInput struct {
	Title string `json:"title" validate:"max=200,nocontrol"`
	// Issuer and IssuerCode are the 发文机关 and its 机关代字 (as in 皖政办),
	// as every outgoing 公文 needs them.
	Issuer     string `json:"issuer" validate:"max=100,nocontrol"`
	IssuerCode string `json:"issuerCode" validate:"max=20,nocontrol"`
	Body       string `json:"body" validate:"required,max=200000"`
}

// RoomInput is a room as its keeper edits it.
type RoomInput struct {
	ID          string         `json:"id" validate:"omitempty,max=64,orgid"`
	Name        string         `json:"name" validate:"required,max=100,nocontrol"`
	Building    string         `json:"building" validate:"max=100,nocontrol"`
	Equipment   []string       `json:"equipment" validate:"max=50,dive,required,max=50,nocontrol"`
	Layout      seating.Layout `json:"layout"`
	Description string         `json:"description" validate:"max=500,nocontrol"`
	Active      *bool          `json:"active"`
}

// ListQuery is a list request.
type ListQuery struct {
	Scope          string `query:"scope" validate:"omitempty,oneof=mine organised all" doc:"mine：我参加的；organised：我组织的；all：我能看到的（默认）"`
	State          string `query:"state" validate:"omitempty,oneof=scheduled cancelled closed" doc:"状态"`
	RoomID         string `query:"roomId" validate:"max=64,nocontrol" doc:"会议室"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}
