// Package assistant is the personal assistant (个人助理): each member of
// staff's own calendar (日程, with their meetings and, for schedule.view
// holders, the published leaders' schedule laid over it, read-only), to-dos
// (待办, also made from a 公文 task or a mail, the title taken with the
// person's own access), notes (便笺) and the office's contacts directory
// (通讯录) built from the organisation tree with search by name, pinyin and
// department.
//
// Events, to-dos and notes are one document each, readable by their owner
// alone (auth.User): a read by anyone else is the 404 of a missing one. A
// deleted one is kept as a tombstone that nobody reads and no list shows,
// so a delete commits with its audit entry like every other change.
// Reminders (15 minutes, an hour or a day before) are sent as notices by a
// sweep that one process runs under a lease (Run).
package assistant

import (
	"slices"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// Collections of the capability.
const (
	EventCollection = "assistant_events"
	TodoCollection  = "assistant_todos"
	NoteCollection  = "assistant_notes"
	// CardCollection holds one Card per user id: the phones and room the
	// contacts directory shows beside the org tree's name and department.
	CardCollection = "contact_cards"
)

// China is the office's time zone: all-day events and "today" are China
// days.
var China = time.FixedZone("CST", 8*60*60)

// DateLayout writes calendar days.
const DateLayout = "2006-01-02"

// Repeats of an event.
const (
	RepeatNone    = ""
	RepeatDaily   = "daily"
	RepeatWeekly  = "weekly"
	RepeatMonthly = "monthly"
)

// Reminder offsets, in minutes before the event or the to-do's due time.
var remindOffsets = []int{0, 15, 60, 1440}

// checkRemind refuses an offset the SPA does not offer.
func checkRemind(minutes int) error {
	if !slices.Contains(remindOffsets, minutes) {
		return problem.Invalid(problem.Field("remind", "提醒只能是提前15分钟、1小时或1天", "remind is 0, 15, 60 or 1440 minutes"))
	}
	return nil
}

// Event is one of a person's own calendar events; its JSON is the API's.
type Event struct {
	ID     string `json:"id"`
	Owner  string `json:"owner"`
	Title  string `json:"title"`
	Place  string `json:"place"`
	Notes  string `json:"notes"` // plain text
	AllDay bool   `json:"allDay"`
	// Start and End are instants; an all-day event runs from the start of
	// its first China day to the start of the day after its last.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Repeat is daily, weekly or monthly until RepeatUntil (a day,
	// inclusive); "" for a single event.
	Repeat      string `json:"repeat"`
	RepeatUntil string `json:"repeatUntil,omitempty"`
	// Remind is how many minutes before each occurrence a notice is sent
	// (0: none); RemindAt is when the next one is due (the sweep's field).
	Remind    int        `json:"remind"`
	RemindAt  *time.Time `json:"remindAt,omitempty"`
	Deleted   bool       `json:"deleted,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
}

// EventInput is a new or edited event. For an all-day event only the
// China days of Start and End count (the first and the last day).
type EventInput struct {
	Title       string    `json:"title" validate:"required,max=200,nocontrol"`
	Place       string    `json:"place" validate:"max=200,nocontrol"`
	Notes       string    `json:"notes" validate:"max=2000"`
	AllDay      bool      `json:"allDay"`
	Start       time.Time `json:"start" validate:"required"`
	End         time.Time `json:"end" validate:"required"`
	Repeat      string    `json:"repeat" validate:"omitempty,oneof=daily weekly monthly"`
	RepeatUntil string    `json:"repeatUntil" validate:"omitempty,datetime=2006-01-02"`
	Remind      int       `json:"remind" validate:"min=0,max=1440" doc:"提前提醒的分钟数：0（不提醒）、15、60、1440"`
	// Version is the version the editor read (edits only).
	Version int64 `json:"version" validate:"min=0"`
}

// Priorities of a to-do.
const (
	PriorityHigh   = "high"
	PriorityNormal = "normal"
	PriorityLow    = "low"
)

// Todo is one of a person's own to-dos. One made from something else
// (a 公文 task, a mail) keeps where it came from, its link and its 密级.
type Todo struct {
	ID       string     `json:"id"`
	Owner    string     `json:"owner"`
	Title    string     `json:"title"`
	Due      *time.Time `json:"due,omitempty"`
	Priority string     `json:"priority"`
	Done     bool       `json:"done"`
	DoneAt   *time.Time `json:"doneAt,omitempty"`
	// Source is "task" or "mail" (Linkers' keys), "" for one typed in;
	// SourceID what it names there, Link the SPA path that opens it.
	Source         string               `json:"source,omitempty"`
	SourceID       string               `json:"sourceId,omitempty"`
	Link           string               `json:"link,omitempty"`
	Classification classification.Level `json:"classification"`
	Remind         int                  `json:"remind"`
	RemindAt       *time.Time           `json:"remindAt,omitempty"`
	Deleted        bool                 `json:"deleted,omitempty"`
	CreatedAt      time.Time            `json:"createdAt"`
	UpdatedAt      time.Time            `json:"updatedAt"`
}

// TodoInput is a new to-do: typed in (Title), or made from a task or a
// mail (Source and SourceID; the title is taken from there when Title is
// empty).
type TodoInput struct {
	Title    string     `json:"title" validate:"max=200,nocontrol"`
	Due      *time.Time `json:"due"`
	Priority string     `json:"priority" validate:"omitempty,oneof=high normal low"`
	Source   string     `json:"source" validate:"omitempty,oneof=task mail"`
	SourceID string     `json:"sourceId" validate:"max=128,nocontrol"`
	Remind   int        `json:"remind" validate:"min=0,max=1440" doc:"提前提醒的分钟数：0（不提醒）、15、60、1440"`
}

// TodoChange edits a to-do at the version the editor read.
type TodoChange struct {
	Title    string     `json:"title" validate:"required,max=200,nocontrol"`
	Due      *time.Time `json:"due"`
	Priority string     `json:"priority" validate:"required,oneof=high normal low"`
	Done     bool       `json:"done"`
	Remind   int        `json:"remind" validate:"min=0,max=1440" doc:"提前提醒的分钟数：0（不提醒）、15、60、1440"`
	Version  int64      `json:"version" validate:"min=1"`
}

// Note colours (便笺的颜色).
var noteColours = []string{"yellow", "green", "blue", "pink", "purple"}

// Note is a sticky note (便笺): rich text through the shared sanitiser.
type Note struct {
	ID        string    `json:"id"`
	Owner     string    `json:"owner"`
	Title     string    `json:"title"`
	Body      string    `json:"body"` // sanitised HTML
	Pinned    bool      `json:"pinned"`
	Colour    string    `json:"colour"`
	Deleted   bool      `json:"deleted,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// NoteInput is a new or edited note (Version: the one read; 0 for new).
type NoteInput struct {
	Title   string `json:"title" validate:"max=100,nocontrol"`
	Body    string `json:"body" validate:"max=20000"`
	Pinned  bool   `json:"pinned"`
	Colour  string `json:"colour" validate:"omitempty,oneof=yellow green blue pink purple"`
	Version int64  `json:"version" validate:"min=0"`
}

// Views and pages as the API answers them (schemas AssistantEventView,
// AssistantTodoPage, …).
type (
	EventView = records.View[Event]
	TodoView  = records.View[Todo]
	TodoPage  = records.Page[Todo]
	NoteView  = records.View[Note]
	NotePage  = records.Page[Note]
)

// own is the access of a person's own document: the owner alone, at the
// document's 密级; a tombstone is nobody's.
func own(owner string, level classification.Level, deleted bool) auth.Access {
	if deleted {
		return auth.Access{Classification: level}
	}
	return auth.Access{Classification: level, Readers: []string{auth.User(owner)}}
}

// EventAccess is who may read an event: its owner.
func EventAccess(e *Event) auth.Access { return own(e.Owner, classification.Feimi, e.Deleted) }

// TodoAccess is who may read a to-do: its owner, while their clearance
// covers what it was made from.
func TodoAccess(t *Todo) auth.Access { return own(t.Owner, t.Classification, t.Deleted) }

// NoteAccess is who may read a note: its owner.
func NoteAccess(n *Note) auth.Access { return own(n.Owner, classification.Feimi, n.Deleted) }
