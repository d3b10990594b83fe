package reminder

import (
	"strconv"
	"time"

	"zhengwu/officeapi/workflow"
)

// Collection holds the notices.
const Collection = "reminders"

// Kind is what a notice is.
type Kind string

// The kinds of notice.
const (
	// Remind goes to the task's holder when its deadline (Due) passes.
	Remind Kind = "remind"
	// Escalate goes to the holder's leader when the second limit
	// (EscalateAt) passes.
	Escalate Kind = "escalate"
)

// Notice is one reminder or escalation as stored: what the desktop and
// the notification channel show.
type Notice struct {
	ID        string           `json:"id"`
	Kind      Kind             `json:"kind"`
	Instance  string           `json:"instance"`
	Task      string           `json:"task"`
	Node      string           `json:"node"`
	Subject   workflow.Subject `json:"subject"`
	Holder    string           `json:"holder"`    // the task's assignee
	Recipient string           `json:"recipient"` // the holder (Remind) or their leader (Escalate); "" if none is known
	Deadline  time.Time        `json:"deadline"`  // the limit that passed
	At        time.Time        `json:"at"`        // when the notice was recorded
	Token     int64            `json:"token"`     // the sender's lease token
}

// NoticeID is the notice's id: the same task, kind and deadline always
// give the same id, which is what makes a second attempt a no-op.
func NoticeID(kind Kind, instance string, task workflow.TaskItem) string {
	return string(kind) + ":" + instance + ":" + task.ID + ":" + strconv.FormatInt(deadline(kind, task).Unix(), 10)
}

// deadline is the limit of kind for the task (zero: none).
func deadline(kind Kind, t workflow.TaskItem) time.Time {
	if kind == Escalate {
		return t.EscalateAt
	}
	return t.Due
}
