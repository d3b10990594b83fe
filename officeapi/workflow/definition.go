package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"zhengwu/officeapi/workcal"
)

// Kind is what a node does.
type Kind string

// The node kinds.
const (
	Start  Kind = "start"  // where an instance begins: exactly one, one edge out
	Task   Kind = "task"   // people act (人工节点): an assignment and a mode
	Choice Kind = "choice" // picks one outgoing edge by the subject's fields
	End    Kind = "end"    // the instance is completed when it reaches one
	// Split (并行分支) runs every edge out at once, each a branch (an edge
	// with a condition that does not hold is a branch skipped); Join
	// (汇聚) waits until every branch its split started has arrived, then
	// the flow goes on along its one edge out. See parallel.go.
	Split Kind = "split"
	Join  Kind = "join"
)

// Mode is how a task node's assignees act.
type Mode string

// The modes of a task node.
const (
	// Single: one person acts. When the assignment fits several people
	// (every holder of a role), each sees the task and the first to act
	// decides, as in Any: an office's "单人办理" by whoever is on duty.
	Single Mode = "single"
	// All (会签): every assignee acts, in parallel; the node is done when
	// the last one approves.
	All Mode = "all"
	// Any (或签): every assignee sees the task; the first approval decides
	// and closes the others'.
	Any Mode = "any"
	// Sequential: the assignees act one after another, in the order the
	// assignment gives them.
	Sequential Mode = "sequential"
)

// Definition is a flow (流程定义): nodes and edges, stored as a JSON
// document and edited as one. A definition is immutable once saved under
// its key and version; an edit is a new version, and each instance keeps
// the version it started with (Instance.Version).
type Definition struct {
	Key     string `json:"key"`     // "outgoing": names the flow across versions
	Version int    `json:"version"` // 1, 2, …
	Name    string `json:"name"`    // 发文办理
	Nodes   []Node `json:"nodes"`
	Edges   []Edge `json:"edges"`
}

// Node is one step of a flow.
type Node struct {
	ID   string `json:"id"`   // unique in the definition: "review"
	Kind Kind   `json:"kind"` // start, task, choice, end
	Name string `json:"name"` // 审核: what the flow chart shows
	// Task nodes only.
	Assign *Assignment `json:"assign,omitempty"`
	Mode   Mode        `json:"mode,omitempty"` // "" is Single
	// Limit is the time to act (办理时限), counted on the working calendar
	// from the moment a task opens: its due time. Escalate is the second
	// limit, from the same moment, after which the holder's leader is told.
	Limit    *Limit `json:"limit,omitempty"`
	Escalate *Limit `json:"escalate,omitempty"`
}

// Assignment says who acts at a task node. Exactly one way is given:
// named users, the initiator, users listed in a subject field, a role or a permission (in a department or
// office-wide), or a post. Which people hold a role, a permission or a
// post is the organisation's to say: the Resolver the capability gives
// answers it, so that the engine knows nothing of the identity service.
type Assignment struct {
	Users     []string `json:"users,omitempty"`     // user ids, in order (Sequential)
	Initiator bool     `json:"initiator,omitempty"` // whoever started the instance (起草)
	// UsersField names the subject's field listing user ids, comma
	// separated: the people an earlier step chose (传阅's readers, chosen
	// at 批办), kept in the subject by the capability.
	UsersField string `json:"usersField,omitempty"`
	Role       string `json:"role,omitempty"`       // "dept_head"
	Permission string `json:"permission,omitempty"` // "doc.approve"
	Post       string `json:"post,omitempty"`       // a post (岗位) id
	// Department narrows a role or permission to one department (an org
	// id); DepartmentField takes it from the subject's fields instead
	// ("department": the drafting department's head). Neither: office-wide.
	Department      string `json:"department,omitempty"`
	DepartmentField string `json:"departmentField,omitempty"`
}

// Limit is a time limit in exactly one unit, counted by workcal.
type Limit struct {
	Workdays     int `json:"workdays,omitempty"`     // working days, ending at the close of office
	CalendarDays int `json:"calendarDays,omitempty"` // calendar days (自然日), moved past holidays
	Hours        int `json:"hours,omitempty"`        // working hours
}

// Due is the deadline of l for something that opens at from.
func (l Limit) Due(cal *workcal.Calendar, from time.Time) (time.Time, error) {
	switch {
	case l.Workdays > 0:
		return cal.AddWorkdays(from, l.Workdays)
	case l.CalendarDays > 0:
		return cal.AddCalendarDays(from, l.CalendarDays)
	default:
		return cal.AddWorkingHours(from, time.Duration(l.Hours)*time.Hour)
	}
}

// Edge joins two nodes. Edges out of a choice carry a condition, or are
// its default (taken when no condition holds); edges out of a split may
// carry a condition (the branch runs only when it holds); every other node
// has one edge out (an end: none).
type Edge struct {
	From    string     `json:"from"`
	To      string     `json:"to"`
	When    *Condition `json:"when,omitempty"`
	Default bool       `json:"default,omitempty"`
	Label   string     `json:"label,omitempty"` // the chart's text on the edge: "涉密"
}

// Condition compares one of the subject's fields with a value:
// classification >= 秘密, docType == 请示, copies > 100. Ordering
// operators compare 密级 by rank when the value is a level, numbers as
// numbers; "in" takes a comma-separated list ("请示,报告").
type Condition struct {
	Field string `json:"field"`
	Op    string `json:"op"` // == != > >= < <= in
	Value string `json:"value"`
}

// String is the condition as the chart and messages show it.
func (c Condition) String() string { return fmt.Sprintf("%s %s %s", c.Field, c.Op, c.Value) }

// ID is the store id of a definition version: "outgoing@3".
func (d *Definition) ID() string { return DefinitionID(d.Key, d.Version) }

// DefinitionID is the store id of a definition's version.
func DefinitionID(key string, version int) string { return fmt.Sprintf("%s@%d", key, version) }

// Node returns the node with id, or nil.
func (d *Definition) Node(id string) *Node {
	for i := range d.Nodes {
		if d.Nodes[i].ID == id {
			return &d.Nodes[i]
		}
	}
	return nil
}

// Out lists the edges leaving node id, in the definition's order (a
// choice tries its conditions in that order).
func (d *Definition) Out(id string) []Edge {
	var out []Edge
	for _, e := range d.Edges {
		if e.From == id {
			out = append(out, e)
		}
	}
	return out
}

// ParseDefinition decodes and validates a definition's JSON: unknown
// fields are errors, so a mistyped key is not silently dropped.
func ParseDefinition(raw []byte) (Definition, error) {
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return Definition{}, fmt.Errorf("workflow: definition: %w", err)
	}
	return d, d.Validate()
}
