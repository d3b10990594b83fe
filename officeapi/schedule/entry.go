// Package schedule is the leaders' weekly schedule (领导活动安排): the
// office keeps the list of provincial leaders in rank order; departments
// submit activities for them (会议, 调研, 会见…) by a weekly deadline; the
// office (综合处, schedule.compile) compiles the week — overlapping
// activities of one leader are flagged —, a leader of the office
// (schedule.approve) approves it, and the office publishes it to the
// holders of schedule.view. A change after publishing is tracked (before
// and after, in the week's change log) and put on the viewers' desktops
// again.
//
// Entries are documents of one collection (records: reads by id with
// their access, each step audited); their ids begin with their ISO week
// ("2026-W50.…"), so that a week's entries are one prefix scan of the
// store — compiling, the grid and Busy read the store, not the list
// index, and see every write before them. A week's state, conflicts and
// change log are one document of another collection, written in the same
// commit as the entries a compile or a change touches.
package schedule

import (
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collections of the schedule.
const (
	Collection       = "schedule_entries" // one Entry per id
	WeekCollection   = "schedule_weeks"   // one Week per ISO week ("2026-W50")
	LeaderDocument   = "leaders"          // the one document of LeaderCollection
	LeaderCollection = "schedule_leaders"
)

// Entry states.
const (
	StateSubmitted = "submitted" // 已报送: waits for the week's compile
	StateScheduled = "scheduled" // 已编排: compiled into the week
	StateChanged   = "changed"   // 已变更: changed after the week was published
	StateCancelled = "cancelled" // 已取消: cancelled after publishing
	StateReturned  = "returned"  // 已退回: the office sent it back
	StateWithdrawn = "withdrawn" // 已撤回: its submitter took it back
)

// StateNames are the states as the reader sees them.
var StateNames = map[string]string{StateSubmitted: "已报送", StateScheduled: "已编排", StateChanged: "已变更",
	StateCancelled: "已取消", StateReturned: "已退回", StateWithdrawn: "已撤回"}

// Periods of a day, in order.
var Periods = []string{"上午", "下午", "晚上"}

// Types of activity.
var Types = []string{"会议", "调研", "会见", "外事", "出差", "其他"}

// Entry is one activity of one leader: the stored document, and the API's.
type Entry struct {
	ID          string `json:"id"`
	Week        string `json:"week"` // ISO week of Date, "2026-W50"
	LeaderID    string `json:"leaderId"`
	LeaderName  string `json:"leaderName"`
	LeaderTitle string `json:"leaderTitle"`
	LeaderRank  int    `json:"leaderRank"` // 1 = most senior
	Date        string `json:"date"`       // 2026-12-07, the first day
	// EndDate is the last day of an activity over several days (出差,
	// 调研); "" for one day.
	EndDate string `json:"endDate,omitempty"`
	Period  string `json:"period"` // 上午, 下午, 晚上: of the first day
	Start   string `json:"start"`  // 09:00, China time
	End     string `json:"end"`    // 11:30, on EndDate if set
	Type    string `json:"type"`
	Content string `json:"content"`
	Place   string `json:"place"`
	// City is where, for statistics by place (合肥, 芜湖, 北京…); "" counts
	// as the place itself.
	City string `json:"city,omitempty"`
	// Department is the organising department (承办处室/单位).
	Department     string               `json:"department"`
	Attendees      string               `json:"attendees,omitempty"` // 陪同人员
	Contact        string               `json:"contact,omitempty"`
	Phone          string               `json:"phone,omitempty"`
	Classification classification.Level `json:"classification"`
	State          string               `json:"state"`
	// Late marks a submission after the week's deadline (accepted, for
	// the office to decide).
	Late          bool   `json:"late"`
	Submitter     string `json:"submitter"`
	SubmitterName string `json:"submitterName"`
	Comment       string `json:"comment,omitempty"` // why it was returned or cancelled
	// Conflicts are the ids of the same leader's entries whose time
	// overlaps this one's, as of the last compile or change.
	Conflicts []string  `json:"conflicts,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Input is a new activity, or an activity's new content.
type Input struct {
	LeaderID       string               `json:"leaderId" validate:"required,max=64"`
	Date           string               `json:"date" validate:"required,datetime=2006-01-02"`
	EndDate        string               `json:"endDate" validate:"omitempty,datetime=2006-01-02"`
	Period         string               `json:"period" validate:"required,oneof=上午 下午 晚上"`
	Start          string               `json:"start" validate:"required,datetime=15:04"`
	End            string               `json:"end" validate:"required,datetime=15:04"`
	Type           string               `json:"type" validate:"required,oneof=会议 调研 会见 外事 出差 其他"`
	Content        string               `json:"content" validate:"required,max=500,nocontrol"`
	Place          string               `json:"place" validate:"required,max=200,nocontrol"`
	City           string               `json:"city" validate:"max=50,nocontrol"`
	Department     string               `json:"department" validate:"omitempty,orgid"`
	Attendees      string               `json:"attendees" validate:"max=500,nocontrol"`
	Contact        string               `json:"contact" validate:"max=50,nocontrol"`
	Phone          string               `json:"phone" validate:"max=30,nocontrol"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification"`
}

// Decision is the office's word on a step: why it returns or cancels.
type Decision struct {
	Comment string `json:"comment" validate:"max=500,nocontrol"`
}

// View is an entry as the API answers it (schema ScheduleEntryView).
type View = records.View[Entry]

// Page is one page of a list of entries (schema ScheduleEntryPage).
type Page = records.Page[Entry]

// AccessOf is who may read an entry by id and in the lists: its submitter,
// whoever submits for its organising department, the office that compiles
// and the leaders who approve. Its readers once published are the week's
// (Viewer): the grid, not the entry, is what they read.
func AccessOf(e *Entry) auth.Access {
	return auth.Access{Classification: e.Classification, Readers: []string{auth.User(e.Submitter),
		auth.Holder(auth.PermScheduleSubmit, e.Department), auth.Holder(auth.PermScheduleCompile, auth.OfficeWide),
		auth.Holder(auth.PermScheduleApprove, auth.OfficeWide)}}
}

// Viewer reports whether p may read published weeks: schedule.view held
// anywhere (the schedule is the office's, not a department's), or the
// office's own compile and approve rights.
func Viewer(p *auth.Principal) bool {
	return p.CanAnywhere(auth.PermScheduleView) || Office(p)
}

// Office reports whether p works on the schedule for the office: compiles
// it or approves it (both granted office-wide).
func Office(p *auth.Principal) bool {
	return p.Can(auth.PermScheduleCompile, auth.OfficeWide) || p.Can(auth.PermScheduleApprove, auth.OfficeWide)
}

// live reports whether an entry still takes its leader's time.
func (e *Entry) live() bool {
	return e.State == StateSubmitted || e.State == StateScheduled || e.State == StateChanged
}
