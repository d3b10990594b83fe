package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Apply is the engine: it decides what action a does to inst, a run of
// def, at now, and returns the new instance and the history entries the
// step added. It does no I/O (env's Resolver and Calendar answer from
// memory) and never changes inst, so that every rule is here, testable on
// values, and a caller that loses a compare-and-set just applies again to
// what it reads next. A refusal is a *problem.Error with one of the Code…
// codes (or problem.CodeInvalid naming the field); nothing else is
// returned for a person's mistake.
func Apply(def *Definition, inst Instance, a Action, now time.Time, env Env) (Instance, []Event, error) {
	if a.Kind != ActStart && (inst.Flow != def.Key || inst.Version != def.Version) {
		return Instance{}, nil, fmt.Errorf("workflow: instance %s runs %s, not %s", inst.ID, DefinitionID(inst.Flow, inst.Version), def.ID())
	}
	if a.Actor == "" {
		return Instance{}, nil, errField("actor", "须指明办理人", "the actor is required")
	}
	if utf8.RuneCountInString(a.Opinion) > MaxOpinion {
		return Instance{}, nil, errField("opinion", fmt.Sprintf("意见不超过 %d 字", MaxOpinion), fmt.Sprintf("an opinion has at most %d characters", MaxOpinion))
	}
	s := &step{def: def, in: inst.clone(), a: a, now: stamp(now), env: env, first: len(inst.History)}
	var err error
	if a.Kind == ActStart {
		err = s.start()
	} else if inst.State != Running {
		err = errNotRunning(inst.State)
	} else {
		for k, v := range a.Fields {
			if s.in.Subject.Fields == nil {
				s.in.Subject.Fields = map[string]string{}
			}
			s.in.Subject.Fields[k] = v
		}
		switch a.Kind {
		case ActApprove:
			err = s.approve()
		case ActReturn:
			err = s.ret()
		case ActWithdraw:
			err = s.withdraw()
		case ActTransfer:
			err = s.transfer()
		case ActCosign:
			err = s.cosign()
		case ActUrge:
			err = s.urge()
		case ActTerminate:
			err = s.terminate()
		default:
			err = errField("action", "未知的操作："+a.Kind, "unknown action "+a.Kind)
		}
	}
	if err != nil {
		return Instance{}, nil, err
	}
	return s.in, s.in.History[s.first:], nil
}

// step is one Apply in progress.
type step struct {
	def   *Definition
	in    Instance
	a     Action
	now   time.Time
	env   Env
	first int // len(History) before the step
	hops  int // nodes passed without stopping: a bound on loops
	// blocks are the definition's parallel blocks, worked out when a
	// split, a join or a return first needs them.
	blocks map[string]*block
}

// log appends a history entry.
func (s *step) log(e Event) {
	e.Seq, e.At = len(s.in.History)+1, s.now
	s.in.History = append(s.in.History, e)
}

// remember keeps the open part as it is before an undoable step (the
// actor may withdraw it until someone else acts).
func (s *step) remember() {
	s.in.Undo = &Undo{Actor: s.a.Actor, Event: len(s.in.History) + 1, Tasks: slices.Clone(s.in.Tasks),
		Queues: cloneQueues(s.in.Queues), Joins: cloneQueues(s.in.Joins)}
}

func (s *step) start() error {
	if s.in.State != "" {
		return errNotRunning(s.in.State)
	}
	if s.a.ID == "" {
		return errField("id", "须给出流程实例标识", "the instance id is required")
	}
	if s.a.Subject.Collection == "" || s.a.Subject.ID == "" {
		return errField("subject", "须指明办理对象", "the subject is required")
	}
	s.in = Instance{ID: s.a.ID, Flow: s.def.Key, Version: s.def.Version, Subject: s.a.Subject, State: Running,
		Initiator: s.a.Actor, Tasks: []TaskItem{}, StartedAt: s.now}
	s.in.Subject.Fields = cloneFields(s.a.Subject.Fields, s.a.Fields)
	var start string
	for _, n := range s.def.Nodes {
		if n.Kind == Start {
			start = n.ID
		}
	}
	s.log(Event{Node: start, Actor: s.a.Actor, Action: ActStart, Opinion: s.a.Opinion})
	return s.leave(start)
}

func cloneFields(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// own returns the open task a acts on, refusing a missing, closed or
// someone else's task.
func (s *step) own() (*TaskItem, error) {
	t, err := s.task()
	if err != nil {
		return nil, err
	}
	if t.Assignee != s.a.Actor {
		return nil, errNotYourTask()
	}
	return t, nil
}

// task returns the open task the action names.
func (s *step) task() (*TaskItem, error) {
	if s.a.Task == "" {
		return nil, errField("task", "须指明待办事项", "the task is required")
	}
	if t := s.in.Task(s.a.Task); t != nil {
		return t, nil
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(s.a.Task, "t")); err == nil && strings.HasPrefix(s.a.Task, "t") && n >= 1 && n <= s.in.NextTask {
		return nil, errTaskClosed()
	}
	return nil, errNoSuchTask()
}

// drop removes the open task id.
func (s *step) drop(id string) {
	s.in.Tasks = slices.DeleteFunc(s.in.Tasks, func(t TaskItem) bool { return t.ID == id })
}

// closeAll closes the open tasks at node ("" every node) without their
// holders acting, and forgets the node's queue.
func (s *step) closeAll(node string) {
	kept := s.in.Tasks[:0:0]
	for _, t := range s.in.Tasks {
		if node != "" && t.Node != node {
			kept = append(kept, t)
			continue
		}
		s.log(Event{Node: t.Node, Task: t.ID, Actor: t.Assignee, Action: Closed})
	}
	s.in.Tasks = kept
	if node == "" {
		s.in.Queues, s.in.Joins = nil, nil
	} else {
		delete(s.in.Queues, node)
	}
}

func (s *step) approve() error {
	t, err := s.own()
	if err != nil {
		return err
	}
	s.remember()
	task := *t
	s.drop(task.ID)
	s.log(Event{Node: task.Node, Task: task.ID, Actor: s.a.Actor, Action: ActApprove, Opinion: s.a.Opinion, Due: task.Due})
	node := s.def.Node(task.Node)
	switch node.Mode {
	case Sequential:
		if q := s.in.Queues[node.ID]; len(q) > 0 {
			s.in.Queues[node.ID] = q[1:]
			if len(q) == 1 {
				delete(s.in.Queues, node.ID)
			}
			return s.open(node, q[0], "")
		}
	case All:
		for _, other := range s.in.Tasks {
			if other.Node == node.ID {
				return nil // 会签 joins when the last co-signer approves
			}
		}
	default: // Single, Any: the first approval decides for the others
		s.closeAll(node.ID)
	}
	s.log(Event{Node: node.ID, Action: Left})
	return s.leave(node.ID)
}

// leave moves the flow out of node along its edge (a choice's chosen
// one) until it reaches task nodes (their tasks open), a join still
// waiting for other branches, or an end (the instance completes).
func (s *step) leave(from string) error {
	next, err := s.next(from)
	if err != nil {
		return err
	}
	return s.reach(from, next)
}

// reach moves the flow from node from into node to.
func (s *step) reach(from, to string) error {
	if s.hops++; s.hops > 2*len(s.def.Nodes)+len(s.def.Edges) {
		return fmt.Errorf("workflow: %s: the flow loops without reaching a task or an end", s.def.ID())
	}
	n := s.def.Node(to)
	switch n.Kind {
	case Task:
		return s.enter(n, nil)
	case End:
		s.log(Event{Node: n.ID, Action: Entered})
		if len(s.in.Tasks) == 0 {
			s.in.State, s.in.EndedAt, s.in.Queues, s.in.Joins = Completed, s.now, nil, nil
		}
		return nil
	case Choice:
		s.log(Event{Node: n.ID, Action: Entered})
		return s.leave(n.ID)
	case Split:
		return s.split(n)
	case Join:
		return s.arrive(n, from)
	default:
		return fmt.Errorf("workflow: %s: an edge leads back to the start", s.def.ID())
	}
}

// next is the node the flow goes to from node: the one edge out, or for a
// choice the first edge whose condition holds, else its default.
func (s *step) next(node string) (string, error) {
	out := s.def.Out(node)
	if s.def.Node(node).Kind != Choice {
		return out[0].To, nil
	}
	def := ""
	for _, e := range out {
		if e.Default {
			def = e.To
		} else if e.When.Holds(s.in.Subject.Fields) {
			return e.To, nil
		}
	}
	if def == "" {
		return "", fmt.Errorf("workflow: %s: no edge of choice %s holds for the subject and it has no default", s.def.ID(), node)
	}
	return def, nil
}

// enter opens a task node: for the given assignees (a return sends the
// node back to those who handled it) or for its assignment's.
func (s *step) enter(n *Node, assignees []string) error {
	if assignees == nil {
		var err error
		if assignees, err = s.assignees(n); err != nil {
			return err
		}
	}
	s.log(Event{Node: n.ID, Action: Entered})
	if n.Mode == Sequential && len(assignees) > 1 {
		if s.in.Queues == nil {
			s.in.Queues = map[string][]string{}
		}
		s.in.Queues[n.ID] = slices.Clone(assignees[1:])
		assignees = assignees[:1]
	}
	for _, u := range assignees {
		if err := s.open(n, u, ""); err != nil {
			return err
		}
	}
	return nil
}

// assignees resolves a node's assignment: its users in order, without
// repeats.
func (s *step) assignees(n *Node) ([]string, error) {
	var users []string
	switch a := n.Assign; {
	case len(a.Users) > 0:
		users = a.Users
	case a.Initiator:
		users = []string{s.in.Initiator}
	case a.UsersField != "":
		for _, u := range strings.Split(s.in.Subject.Fields[a.UsersField], ",") {
			users = append(users, strings.TrimSpace(u))
		}
	case s.env.Resolve == nil:
		return nil, fmt.Errorf("workflow: node %s is assigned by role, permission or post, and no resolver was given", n.ID)
	default:
		var err error
		if users, err = s.env.Resolve(*a, s.in.Subject); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, u := range users {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return nil, errNoAssignee(n.ID)
	}
	return out, nil
}

// open adds a task at n for user, its deadlines counted from now.
func (s *step) open(n *Node, user, via string) error {
	s.in.NextTask++
	t := TaskItem{ID: fmt.Sprintf("t%d", s.in.NextTask), Node: n.ID, Assignee: user, Via: via, OpenedAt: s.now}
	for _, lim := range []struct {
		l  *Limit
		at *time.Time
	}{{n.Limit, &t.Due}, {n.Escalate, &t.EscalateAt}} {
		if lim.l == nil {
			continue
		}
		cal := s.env.calendar()
		if cal == nil {
			return fmt.Errorf("workflow: node %s has a time limit and no calendar was given", n.ID)
		}
		due, err := lim.l.Due(cal, s.now)
		if err != nil {
			return err
		}
		*lim.at = stamp(due)
	}
	s.in.Tasks = append(s.in.Tasks, t)
	return nil
}
