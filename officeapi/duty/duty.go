// Package duty is the office's duty (值班): the monthly roster (值班表) that
// 值班室 drafts and publishes — for each day the 带班领导, the main (主班)
// and the deputy (副班) on duty —, swaps (调班) that the two people agree
// and 值班室's head approves, the duty log (值班记录) of calls and reports
// with the leader's instruction (批示), important items escalated to the
// 带班领导 on duty, the handover (交接班) of open items from one shift to
// the next, and the monthly summary.
//
// One shift a day: the duty day runs from 08:30 to 08:30 the next morning
// (Asia/Shanghai), so a call at 02:00 belongs to the day before's shift.
//
// Every document is a records.Collection: reads check AccessOf, each
// change commits with its audit entry, lists come from the list index. A
// swap's approval changes the roster and the swap in one commit; a
// handover's acceptance carries its open items to the next shift in one.
//
// Who reads what: a published roster every member of staff (each sees
// their own duties on the desktop); a draft, 值班室 (duty.manage). The log
// holds callers' names and phone numbers (personal data): it is read by
// duty staff (duty.log, duty.manage) and leaders (duty.lead) only, and an
// escalated item by the 带班领导 it was escalated to.
package duty

import (
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// The collections.
const (
	RosterCollection   = "duty_rosters"
	SwapCollection     = "duty_swaps"
	LogCollection      = "duty_logs"
	HandoverCollection = "duty_handovers"
)

// Department is 值班室, the department that keeps the roster and the log.
const Department = "zhiban"

// Layouts of months and duty days.
const (
	MonthLayout = "2006-01"
	DateLayout  = "2006-01-02"
)

// ShiftStart is when a duty day begins (and the day before's ends), local
// time: 08:30.
const ShiftStart = 8*time.Hour + 30*time.Minute

// Positions on a duty day.
const (
	PosLeader = "leader" // 带班领导
	PosMain   = "main"   // 主班
	PosDeputy = "deputy" // 副班
)

// positionNames are the positions as the reader sees them.
var positionNames = map[string]string{PosLeader: "带班领导", PosMain: "主班", PosDeputy: "副班"}

// Roster states.
const (
	RosterDraft     = "draft"
	RosterPublished = "published"
)

// Person is someone on the roster, by id and (at the time) name.
type Person struct {
	UserID string `json:"userId"`
	Name   string `json:"name"`
}

// Day is one duty day of a roster.
type Day struct {
	Date   string `json:"date"` // DateLayout
	Leader Person `json:"leader"`
	Main   Person `json:"main"`
	Deputy Person `json:"deputy"`
}

// at is the person in a position.
func (d *Day) at(pos string) *Person {
	switch pos {
	case PosLeader:
		return &d.Leader
	case PosMain:
		return &d.Main
	case PosDeputy:
		return &d.Deputy
	}
	return nil
}

// has reports whether userID is on duty that day, in any position.
func (d *Day) has(userID string) bool {
	return d.Leader.UserID == userID || d.Main.UserID == userID || d.Deputy.UserID == userID
}

// Roster is one month's 值班表; its id is the month ("2026-12").
type Roster struct {
	ID              string     `json:"id"`
	Month           string     `json:"month"`
	State           string     `json:"state"` // draft, published
	Days            []Day      `json:"days"`  // by date
	Note            string     `json:"note,omitempty"`
	DraftedBy       string     `json:"draftedBy"`
	DraftedByName   string     `json:"draftedByName"`
	PublishedBy     string     `json:"publishedBy,omitempty"`
	PublishedByName string     `json:"publishedByName,omitempty"`
	PublishedAt     *time.Time `json:"publishedAt,omitempty"`
	Swaps           int        `json:"swaps"` // approved swaps since publication
	CreatedAt       time.Time  `json:"createdAt"`
	UpdatedAt       time.Time  `json:"updatedAt"`
}

// day is the roster's day of a date, or nil.
func (r *Roster) day(date string) *Day {
	for i := range r.Days {
		if r.Days[i].Date == date {
			return &r.Days[i]
		}
	}
	return nil
}

// RosterInput is a month's roster as 值班室 drafts it.
type RosterInput struct {
	Days []DayInput `json:"days" validate:"required,min=1,max=31,dive" doc:"每日值班安排"`
	Note string     `json:"note" validate:"max=500,nocontrol" doc:"备注"`
	// Version is the roster's version the draft was read at (0: the
	// month's first draft): a stale save is a 409.
	Version int64 `json:"version" validate:"min=0" doc:"读取时的版本（首次起草为 0）"`
}

// DayInput is one day of a draft, people by user id.
type DayInput struct {
	Date   string `json:"date" validate:"required,datetime=2006-01-02"`
	Leader string `json:"leader" validate:"required,max=64,nocontrol"`
	Main   string `json:"main" validate:"required,max=64,nocontrol"`
	Deputy string `json:"deputy" validate:"required,max=64,nocontrol"`
}

// MonthQuery names a month.
type MonthQuery struct {
	Month string `query:"month" validate:"required,datetime=2006-01" doc:"月份（2026-12）"`
}

// RosterView is a roster as the API answers it (schema DutyRosterView).
type RosterView = records.View[Roster]

// rosterAccess: a published roster is the whole office's; a draft is
// 值班室's.
func rosterAccess(r *Roster) auth.Access {
	readers := []string{auth.Holder(auth.PermDutyManage, auth.OfficeWide)}
	if r.State == RosterPublished {
		readers = append(readers, auth.Staff)
	}
	return auth.Access{Classification: classification.Feimi, Readers: readers}
}

// logReaders read the duty log: duty staff and leaders, office-wide.
func logReaders() []string {
	return []string{auth.Holder(auth.PermDutyLog, auth.OfficeWide), auth.Holder(auth.PermDutyManage, auth.OfficeWide),
		auth.Holder(auth.PermDutyLead, auth.OfficeWide)}
}
