package workflow

import (
	"slices"
	"time"

	"zhengwu/officeapi/workcal"
)

// NodeState is a node's state on the flow chart.
type NodeState string

// The states a chart shows.
const (
	NodeDone    NodeState = "done"    // the flow passed it (and has not been sent back before it)
	NodeCurrent NodeState = "current" // it has open tasks (a join: some branches arrived, it waits for the rest)
	NodePending NodeState = "pending" // still ahead
	NodeSkipped NodeState = "skipped" // a branch not taken, or never reached before the end
)

// FlowGraph is what the flow chart (流程图) draws: the definition's nodes
// and edges with where the instance is. Its JSON is the answer of
// GET /documents/{id}/flow.
type FlowGraph struct {
	State State       `json:"state"`
	Nodes []GraphNode `json:"nodes"`
	Edges []GraphEdge `json:"edges"`
}

// GraphNode is one node and what happened there.
type GraphNode struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Kind  Kind      `json:"kind"`
	Mode  Mode      `json:"mode,omitempty"`
	State NodeState `json:"state"`
	// Acts are people's acts at the node, oldest first, every round
	// (a node sent back and done again shows both).
	Acts []Act `json:"acts"`
	// Holders are the open tasks: who holds the node now.
	Holders []Holder `json:"holders,omitempty"`
	// EnteredAt and LeftAt bound the node's last round; Taken is the time
	// between them (to now for a current node), in seconds.
	EnteredAt time.Time `json:"enteredAt,omitzero"`
	LeftAt    time.Time `json:"leftAt,omitzero"`
	Taken     int64     `json:"takenSeconds,omitempty"`
	// Overdue: an open task is past its due time, or an act came after it.
	Overdue bool `json:"overdue"`
	// Waiting, on a join some branches have reached (current), names the
	// branches it still waits for, each by its first node.
	Waiting []string `json:"waiting,omitempty"`
}

// Act is one person's act at a node.
type Act struct {
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Opinion string    `json:"opinion,omitempty"`
	To      string    `json:"to,omitempty"`
	At      time.Time `json:"at"`
	// LateWorkdays is how many working days after its due time the act
	// came (0 and Overdue: late the same day).
	Overdue      bool `json:"overdue,omitempty"`
	LateWorkdays int  `json:"lateWorkdays,omitempty"`
}

// Holder is an open task on the chart.
type Holder struct {
	Task         string    `json:"task"`
	Assignee     string    `json:"assignee"`
	OpenedAt     time.Time `json:"openedAt"`
	Due          time.Time `json:"due,omitzero"`
	Overdue      bool      `json:"overdue,omitempty"`
	LateWorkdays int       `json:"lateWorkdays,omitempty"`
	Urged        int       `json:"urged,omitempty"`
}

// GraphEdge is one edge; Taken says the flow went along it.
type GraphEdge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label,omitempty"`
	Taken bool   `json:"taken"`
}

// Graph draws in, a run of def, as the chart shows it at now; overdue is
// counted on the calendar in force (late by how many working days).
func Graph(def *Definition, in Instance, now time.Time, calendars workcal.Provider) FlowGraph {
	cal := calendars.Current()
	g := FlowGraph{State: in.State, Nodes: make([]GraphNode, 0, len(def.Nodes)), Edges: make([]GraphEdge, 0, len(def.Edges))}
	late := func(due, at time.Time) (bool, int) {
		if due.IsZero() || !at.After(due) {
			return false, 0
		}
		return true, cal.WorkdaysBetween(due, at)
	}
	// Where each node was last entered and left, and from when a return
	// sent the flow back before it (then it is to be done again).
	entered, left, reset := map[string]int{}, map[string]int{}, map[string]int{}
	for i, e := range in.History {
		switch e.Action {
		case Entered:
			entered[e.Node] = i + 1
		case Left, ActStart:
			left[e.Node] = i + 1
		case ActReturn, ActWithdraw:
			// A return sends the flow back to e.To; a withdrawal takes back
			// a step at e.Node: what lies after either is to be done again.
			from := e.To
			if e.Action == ActWithdraw {
				from = e.Node
			}
			for id := range walk(from, func(id string) []string { return targets(def, id) }) {
				if id != from {
					reset[id] = i + 1
				}
			}
		}
	}
	splitOf := map[string]string{} // join → its split
	if blocks, bad := blocksOf(def); len(bad) == 0 {
		for _, b := range blocks {
			splitOf[b.join] = b.split
		}
	}
	current := map[string]bool{}
	for _, t := range in.Tasks {
		current[t.Node] = true
	}
	ahead := map[string]bool{}
	for node := range current {
		for id := range walk(node, func(id string) []string { return targets(def, id) }) {
			ahead[id] = true
		}
	}
	for _, n := range def.Nodes {
		gn := GraphNode{ID: n.ID, Name: n.Name, Kind: n.Kind, Mode: n.Mode, Acts: []Act{}}
		passed := left[n.ID] > reset[n.ID] && left[n.ID] >= entered[n.ID]
		if n.Kind == Choice || n.Kind == End {
			passed = entered[n.ID] > reset[n.ID] && (n.Kind == Choice || in.State == Completed)
		}
		// A join is current while it waits: it has a waiting list and a
		// branch arrived since its split last ran.
		waiting, joining := in.Joins[n.ID]
		if n.Kind == Join && joining && in.State == Running && entered[n.ID] > left[splitOf[n.ID]] {
			current[n.ID] = true
			gn.Waiting = slices.Clone(waiting)
		}
		switch {
		case current[n.ID]:
			gn.State = NodeCurrent
		case passed:
			gn.State = NodeDone
		case in.State == Running && ahead[n.ID]:
			gn.State = NodePending
		default:
			gn.State = NodeSkipped
		}
		if i := entered[n.ID]; i > 0 {
			gn.EnteredAt = in.History[i-1].At
		}
		if i := left[n.ID]; i > 0 && gn.State == NodeDone {
			gn.LeftAt = in.History[i-1].At
		}
		switch {
		case gn.State == NodeCurrent && !gn.EnteredAt.IsZero():
			gn.Taken = int64(now.Sub(gn.EnteredAt) / time.Second)
		case gn.State == NodeDone && !gn.EnteredAt.IsZero():
			gn.Taken = int64(gn.LeftAt.Sub(gn.EnteredAt) / time.Second)
		}
		for _, e := range in.History {
			if e.Node != n.ID || e.Actor == "" || e.Action == Closed || e.Action == Entered || e.Action == Left {
				continue
			}
			a := Act{Actor: e.Actor, Action: e.Action, Opinion: e.Opinion, To: e.To, At: e.At}
			a.Overdue, a.LateWorkdays = late(e.Due, e.At)
			gn.Overdue = gn.Overdue || (a.Overdue && e.Seq > reset[n.ID])
			gn.Acts = append(gn.Acts, a)
		}
		for _, t := range in.Tasks {
			if t.Node == n.ID {
				h := Holder{Task: t.ID, Assignee: t.Assignee, OpenedAt: t.OpenedAt, Due: t.Due, Urged: t.Urged}
				h.Overdue, h.LateWorkdays = late(t.Due, now)
				gn.Overdue = gn.Overdue || h.Overdue
				gn.Holders = append(gn.Holders, h)
			}
		}
		g.Nodes = append(g.Nodes, gn)
	}
	for _, e := range def.Edges {
		g.Edges = append(g.Edges, GraphEdge{From: e.From, To: e.To, Label: e.Label, Taken: taken(in.History, e, def.Node(e.From).Kind)})
	}
	return g
}

// targets are the nodes edges lead to from id.
func targets(def *Definition, id string) []string {
	var out []string
	for _, e := range def.Out(id) {
		out = append(out, e.To)
	}
	return out
}

// taken reports whether the flow ever went along e: a pass of e.From (its
// start, its tasks done, a choice entered) followed next by entering e.To;
// out of a split, a pass of the split that did not skip the branch.
func taken(history []Event, e Edge, kind Kind) bool {
	if kind == Split {
		return splitTook(history, e)
	}
	for i, ev := range history {
		if ev.Node != e.From || !slices.Contains([]string{ActStart, Left, Entered}, ev.Action) {
			continue
		}
		for _, next := range history[i+1:] {
			if next.Action == Entered {
				if next.Node == e.To {
					return true
				}
				break
			}
		}
	}
	return false
}

// splitTook reports whether a pass of split e.From ran the branch e: the
// skips are logged between the split's enter and leave.
func splitTook(history []Event, e Edge) bool {
	skipped := false
	for _, ev := range history {
		if ev.Node != e.From {
			continue
		}
		switch ev.Action {
		case Entered:
			skipped = false
		case Skipped:
			skipped = skipped || ev.To == e.To
		case Left:
			if !skipped {
				return true
			}
		}
	}
	return false
}
