package workflow

import "slices"

// The steps other than start and approve: each checks what only the
// instance knows, then changes the copy Apply gave it.

func (s *step) ret() error {
	t, err := s.own()
	if err != nil {
		return err
	}
	target := s.a.To
	if target == "" {
		target = s.lastLeft(t.Node)
	}
	n := s.def.Node(target)
	if n == nil || n.Kind != Task || target == t.Node || !s.passed(target) || !s.upstream(target, t.Node) {
		return errNotEarlier(target)
	}
	s.remember()
	task := *t
	s.drop(task.ID)
	s.log(Event{Node: task.Node, Task: task.ID, Actor: s.a.Actor, Action: ActReturn, Opinion: s.a.Opinion, To: target, Due: task.Due})
	// What lies ahead of the target is to be done again; a parallel
	// branch the return does not come from keeps its tasks (parallel.go).
	if err := s.rewind(target); err != nil {
		return err
	}
	return s.enter(n, s.handledBy(target))
}

// passed reports whether the flow has left node before: only such a node
// is "earlier" (退回 goes back along the road taken, not to a branch the
// flow skipped); upstream adds that the returning task's node lies ahead
// of it (not in a sibling parallel branch).
func (s *step) passed(node string) bool {
	for _, e := range s.in.History {
		if e.Node == node && e.Action == Left {
			return true
		}
	}
	return false
}

// lastLeft is the task node the flow left most recently on the road to
// current (not in a sibling parallel branch), other than current: where a
// return without a target goes.
func (s *step) lastLeft(current string) string {
	for i := len(s.in.History) - 1; i >= 0; i-- {
		e := s.in.History[i]
		if e.Action == Left && e.Node != current && s.def.Node(e.Node).Kind == Task && s.upstream(e.Node, current) {
			return e.Node
		}
	}
	return ""
}

// handledBy lists who approved at node the last time it was entered, in
// order: a return gives the task back to them, not to everyone the
// assignment fits.
func (s *step) handledBy(node string) []string {
	var users []string
	for i := len(s.in.History) - 1; i >= 0; i-- {
		e := s.in.History[i]
		if e.Node != node {
			continue
		}
		if e.Action == Entered {
			break
		}
		if e.Action == ActApprove && !slices.Contains(users, e.Actor) {
			users = append(users, e.Actor)
		}
	}
	slices.Reverse(users)
	if len(users) == 0 {
		return nil // the assignment decides again
	}
	return users
}

func (s *step) withdraw() error {
	u := s.in.Undo
	if u == nil || u.Actor != s.a.Actor {
		return errNothingToWithdraw()
	}
	took := s.in.History[u.Event-1]
	s.in.Tasks, s.in.Queues, s.in.Joins, s.in.Undo = slices.Clone(u.Tasks), cloneQueues(u.Queues), cloneQueues(u.Joins), nil
	s.log(Event{Node: took.Node, Task: took.Task, Actor: s.a.Actor, Action: ActWithdraw, Opinion: s.a.Opinion})
	return nil
}

func (s *step) transfer() error {
	t, err := s.own()
	if err != nil {
		return err
	}
	if err := s.newcomer(t.Node); err != nil {
		return err
	}
	s.remember()
	t = s.in.Task(t.ID)
	s.log(Event{Node: t.Node, Task: t.ID, Actor: s.a.Actor, Action: ActTransfer, Opinion: s.a.Opinion, To: s.a.To})
	t.Assignee, t.Via, t.Urged = s.a.To, s.a.Actor, 0
	return nil
}

// newcomer checks that a.To may be given a task at node: a user who has
// none there yet (and, in a sequence, is not waiting for their turn).
func (s *step) newcomer(node string) error {
	to := s.a.To
	if to == "" {
		return errField("to", "须指明人员", "the user is required")
	}
	for _, t := range s.in.Tasks {
		if t.Node == node && t.Assignee == to {
			return errAlreadyAssigned(to)
		}
	}
	if slices.Contains(s.in.Queues[node], to) {
		return errAlreadyAssigned(to)
	}
	return nil
}

func (s *step) cosign() error {
	t, err := s.own()
	if err != nil {
		return err
	}
	n := s.def.Node(t.Node)
	if n.Mode != All {
		return errNotCosign()
	}
	if err := s.newcomer(n.ID); err != nil {
		return err
	}
	for _, who := range s.handledBy(n.ID) {
		if who == s.a.To {
			return errAlreadyAssigned(who)
		}
	}
	s.remember()
	s.log(Event{Node: n.ID, Task: t.ID, Actor: s.a.Actor, Action: ActCosign, Opinion: s.a.Opinion, To: s.a.To})
	due, esc := t.Due, t.EscalateAt
	if err := s.open(n, s.a.To, s.a.Actor); err != nil {
		return err
	}
	// The added co-signer answers by the node's deadline, not a new one.
	added := &s.in.Tasks[len(s.in.Tasks)-1]
	added.Due, added.EscalateAt = due, esc
	return nil
}

func (s *step) urge() error {
	t, err := s.task()
	if err != nil {
		return err
	}
	t.Urged++
	s.log(Event{Node: t.Node, Task: t.ID, Actor: s.a.Actor, Action: ActUrge, Opinion: s.a.Opinion, To: t.Assignee})
	return nil
}

func (s *step) terminate() error {
	s.in.Undo = nil
	s.closeAll("")
	s.log(Event{Actor: s.a.Actor, Action: ActTerminate, Opinion: s.a.Opinion})
	s.in.State, s.in.EndedAt = Terminated, s.now
	return nil
}
