package workflow

import (
	"slices"
	"time"
)

// State is an instance's state.
type State string

// The states of an instance.
const (
	Running    State = "running"
	Completed  State = "completed"  // an end node was reached
	Terminated State = "terminated" // 终止: stopped by someone with the right to
)

// Instance is one run of a flow on one subject (a document, a meeting, a
// leave request): stored whole as one document, so that every step is one
// compare-and-set of it.
type Instance struct {
	ID        string  `json:"id"`
	Flow      string  `json:"flow"`    // the definition's key
	Version   int     `json:"version"` // the definition version it started with, kept to the end
	Subject   Subject `json:"subject"`
	State     State   `json:"state"`
	Initiator string  `json:"initiator"`
	// Tasks are the open tasks (待办); what was done is in History.
	Tasks []TaskItem `json:"tasks"`
	// Queues hold, per sequential node, the assignees still to come, in
	// order: one task is open at a time.
	Queues map[string][]string `json:"queues,omitempty"`
	// Joins hold, per join node whose split has run, the branches still to
	// arrive, each named by its first node (the target of the split's
	// edge). A join whose list empties lets the flow go on.
	Joins map[string][]string `json:"joins,omitempty"`
	// History is every step, oldest first: what the flow chart shows.
	History []Event `json:"history"`
	// Undo is what the last step changed, kept until someone else acts,
	// so that its actor may withdraw it (撤回).
	Undo      *Undo     `json:"undo,omitempty"`
	NextTask  int       `json:"nextTask"` // numbers the tasks: t1, t2, …
	StartedAt time.Time `json:"startedAt"`
	EndedAt   time.Time `json:"endedAt,omitzero"`
}

// Subject is what the instance moves: its collection and id, and the
// fields a choice reads (classification, docType, department…), copied in
// at the start and refreshed by the capability with each action (Action.Fields).
type Subject struct {
	Collection string            `json:"collection"`
	ID         string            `json:"id"`
	Fields     map[string]string `json:"fields,omitempty"`
}

// TaskItem is an open task: one person's turn at one node (待办).
type TaskItem struct {
	ID       string `json:"id"` // unique in the instance: "t7"
	Node     string `json:"node"`
	Assignee string `json:"assignee"` // a user id
	// Via is who handed the task over (转办) or added the assignee (加签).
	Via      string    `json:"via,omitempty"`
	OpenedAt time.Time `json:"openedAt"`
	// Due is the time limit's deadline, EscalateAt the second limit's;
	// zero when the node has none.
	Due        time.Time `json:"due,omitzero"`
	EscalateAt time.Time `json:"escalateAt,omitzero"`
	Urged      int       `json:"urged,omitempty"` // 催办 count
}

// Event is one entry of an instance's history (流转记录).
type Event struct {
	Seq     int       `json:"seq"` // 1, 2, … in the instance
	Node    string    `json:"node"`
	Task    string    `json:"task,omitempty"`
	Actor   string    `json:"actor"` // a user id; "" for the engine's own moves
	Action  string    `json:"action"`
	Opinion string    `json:"opinion,omitempty"` // 意见
	To      string    `json:"to,omitempty"`      // a node (return) or a user (transfer, add co-signer, urge)
	At      time.Time `json:"at"`
	// Due is the task's deadline when its holder approved or returned it:
	// the flow chart marks the act late against it.
	Due time.Time `json:"due,omitzero"`
}

// Undo is the open part of the instance before the last step: restoring
// it takes the step back. Tasks opened by that step show that no one has
// acted on them (a later step clears Undo).
type Undo struct {
	Actor  string              `json:"actor"`
	Event  int                 `json:"event"` // the step's Seq
	Tasks  []TaskItem          `json:"tasks"`
	Queues map[string][]string `json:"queues,omitempty"`
	Joins  map[string][]string `json:"joins,omitempty"`
}

// The events' actions beyond the actions people take: the engine's own
// entries, which the chart reads to know when a node was entered and left.
const (
	Entered = "enter" // the flow reached a node (its tasks opened; at a join: one branch arrived)
	Left    = "leave" // the node's tasks are done; the flow moved on
	Closed  = "close" // a task closed without its holder acting (或签 decided by another, return, terminate)
	// Skipped: a split's branch whose condition did not hold (To names
	// the branch's first node); logged between the split's enter and leave.
	Skipped = "skip"
)

// Task returns the open task with id, or nil.
func (in *Instance) Task(id string) *TaskItem {
	for i := range in.Tasks {
		if in.Tasks[i].ID == id {
			return &in.Tasks[i]
		}
	}
	return nil
}

// TasksOf lists the open tasks assigned to user: their 待办 in this instance.
func (in *Instance) TasksOf(user string) []TaskItem {
	var out []TaskItem
	for _, t := range in.Tasks {
		if t.Assignee == user {
			out = append(out, t)
		}
	}
	return out
}

// Current lists the nodes with open tasks, in the order their tasks opened.
func (in *Instance) Current() []string {
	var out []string
	for _, t := range in.Tasks {
		if !slices.Contains(out, t.Node) {
			out = append(out, t.Node)
		}
	}
	return out
}

// clone copies what a step changes, so that Apply never touches its input.
func (in Instance) clone() Instance {
	in.Tasks = slices.Clone(in.Tasks)
	in.History = slices.Clone(in.History)
	in.Queues = cloneQueues(in.Queues)
	in.Joins = cloneQueues(in.Joins)
	if in.Undo != nil {
		u := *in.Undo
		in.Undo = &u
	}
	if in.Subject.Fields != nil {
		f := make(map[string]string, len(in.Subject.Fields))
		for k, v := range in.Subject.Fields {
			f[k] = v
		}
		in.Subject.Fields = f
	}
	return in
}

func cloneQueues(q map[string][]string) map[string][]string {
	if q == nil {
		return nil
	}
	out := make(map[string][]string, len(q))
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}
