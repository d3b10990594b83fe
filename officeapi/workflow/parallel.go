package workflow

import (
	"fmt"
	"slices"

	"zhengwu/shared/problem"
)

// Parallel branches (并行分支): a split runs each of its edges out at once
// as a branch; a join waits for every branch its split started.
//
// # The shape a definition must have
//
// A split and its join bound a block. Every branch of the split (the path
// from one of its edges) is made of task and choice nodes, and blocks
// nested whole inside it, and reaches the same join; branches do not meet
// before the join, no branch reaches an end, the start or its own split
// again (a loop that bypasses the join), nothing outside the block has an
// edge into a branch or the join (so a flow can never be inside a branch
// without its split having run), and a join belongs to exactly one split.
// Validate refuses anything else, naming the node or edge.
//
// # Running
//
// At a split the engine logs which branches run (an edge whose condition
// does not hold is a branch skipped, logged Skipped) and records, in
// Instance.Joins, the branches the join waits for; each branch then runs as
// any flow does. A branch arriving at the join (after its last task, or
// straight from a choice in it that sends it there) is crossed off; the
// last one lets the flow on past the join. Concurrent approvals in two
// branches are two compare-and-sets on the instance: one commits, the other
// re-reads and decides again on what the first left (Instances.Step), so
// the join is passed exactly once.
//
// # Return and withdraw across branches
//
// A return goes back along the road its task came by: to a task node the
// flow has passed from which the returning task's node can be reached (an
// ancestor; never into a sibling branch). Everything ahead of the target
// is reset: the open tasks at the nodes reachable from it are closed, their
// sequences and the joins reachable from it forgotten. So:
//   - within a branch, only that branch goes back; the other branches keep
//     their tasks and the join keeps waiting for them;
//   - from a branch to before its split, every branch closes, and all run
//     again when the flow reaches the split anew;
//   - from after the join into one branch, only that branch runs again:
//     the join waits for it alone (the other branches' work stands), and
//     the flow goes on past the join when it arrives. A return to before
//     the split re-runs them all.
//
// A withdrawal restores the open part of the instance as it was before
// the actor's step, the joins' waiting lists included; it is possible only
// while that step is the instance's last (someone else acting in any
// branch ends it), since the restored state would also undo their act.

// block is a split with its join and the branch of each node between them.
type block struct {
	split, join string
	branches    []string          // each branch's first node (the split's edge targets), in edge order
	branchOf    map[string]string // every node between split and join (nested blocks' too) → its branch
}

// blocksOf works out the definition's parallel blocks by split id, and the
// field errors of a shape that is not one (see the package text above).
func blocksOf(d *Definition) (map[string]*block, []problem.FieldError) {
	a := &analysis{d: d, blocks: map[string]*block{}, busy: map[string]bool{}}
	for _, n := range d.Nodes {
		if n.Kind == Split {
			a.block(n.ID)
		}
	}
	if len(a.bad) > 0 {
		return nil, a.bad
	}
	owner := map[string]string{}
	for _, n := range d.Nodes {
		if n.Kind != Split {
			continue
		}
		b := a.blocks[n.ID]
		if other, taken := owner[b.join]; taken {
			a.fail(b.join, "汇聚节点只能汇合同一个分支节点的分支："+other+"、"+b.split,
				"a join gathers the branches of one split: "+other+", "+b.split)
		}
		owner[b.join] = b.split
		for i, e := range d.Edges {
			_, toIn := b.branchOf[e.To]
			if !toIn && e.To != b.join {
				continue
			}
			if _, fromIn := b.branchOf[e.From]; fromIn || e.From == b.split {
				continue
			}
			a.bad = append(a.bad, problem.Field(fmt.Sprintf("edges[%d].from", i),
				"连线从并行分支之外进入分支或汇聚节点："+e.From+" → "+e.To,
				"an edge enters a branch or its join from outside the split's block: "+e.From+" → "+e.To))
		}
	}
	for _, n := range d.Nodes {
		if n.Kind == Join && owner[n.ID] == "" {
			a.fail(n.ID, "汇聚节点须由一个分支节点的各分支到达："+n.ID, "a join must be reached by the branches of one split: "+n.ID)
		}
	}
	if len(a.bad) > 0 {
		return nil, a.bad
	}
	return a.blocks, nil
}

// analysis is blocksOf at work.
type analysis struct {
	d      *Definition
	blocks map[string]*block // nil entries: splits found wrong
	busy   map[string]bool   // splits being worked out: nesting that loops
	bad    []problem.FieldError
}

// fail records an error on node id.
func (a *analysis) fail(id, zh, en string) {
	i := slices.IndexFunc(a.d.Nodes, func(n Node) bool { return n.ID == id })
	a.bad = append(a.bad, problem.Field(fmt.Sprintf("nodes[%d]", i), zh, en))
}

// block walks each branch of split id to its join; nil when the shape is
// wrong (an error recorded).
func (a *analysis) block(id string) *block {
	if b, done := a.blocks[id]; done {
		return b
	}
	if a.busy[id] {
		a.fail(id, "分支节点的分支又回到该分支节点："+id, "the split's branches lead back to it: "+id)
		return nil
	}
	a.busy[id] = true
	defer delete(a.busy, id)
	a.blocks[id] = nil
	b := &block{split: id, branchOf: map[string]string{}}
	joins := map[string]bool{}
	mark := func(node, branch string) bool {
		if other, seen := b.branchOf[node]; seen && other != branch {
			a.fail(id, "并行分支在汇聚节点之前交汇于 "+node, "branches meet before their join, at "+node)
			return false
		}
		b.branchOf[node] = branch
		return true
	}
	for _, e := range a.d.Out(id) {
		branch := e.To
		b.branches = append(b.branches, branch)
		todo, seen := []string{e.To}, map[string]bool{}
		for len(todo) > 0 {
			cur := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			if seen[cur] {
				continue
			}
			seen[cur] = true
			n := a.d.Node(cur)
			switch {
			case cur == id:
				a.fail(id, "分支绕过汇聚节点回到分支节点："+id, "a branch loops back to its split, bypassing the join: "+id)
				return nil
			case n.Kind == Join:
				joins[cur] = true
			case n.Kind == End || n.Kind == Start:
				a.fail(id, "分支未经汇聚节点即到达"+map[Kind]string{End: "结束", Start: "开始"}[n.Kind]+"节点："+cur,
					"a branch reaches the "+string(n.Kind)+" node without passing its join: "+cur)
				return nil
			case n.Kind == Split:
				inner := a.block(cur)
				if inner == nil || !mark(cur, branch) || !mark(inner.join, branch) {
					return nil
				}
				for m := range inner.branchOf {
					if !mark(m, branch) {
						return nil
					}
				}
				todo = append(todo, targets(a.d, inner.join)...)
			default:
				if !mark(cur, branch) {
					return nil
				}
				todo = append(todo, targets(a.d, cur)...)
			}
		}
	}
	if len(joins) != 1 {
		a.fail(id, fmt.Sprintf("分支节点的各分支须汇合到同一个汇聚节点（现为 %d 个）", len(joins)),
			fmt.Sprintf("a split's branches must meet at one join (they reach %d)", len(joins)))
		return nil
	}
	for j := range joins {
		b.join = j
	}
	a.blocks[id] = b
	return b
}

// parallel is the definition's blocks, worked out once per step.
func (s *step) parallel() (map[string]*block, error) {
	if s.blocks == nil {
		blocks, bad := blocksOf(s.def)
		if len(bad) > 0 {
			return nil, fmt.Errorf("workflow: %s: %s", s.def.ID(), bad[0].MessageEn)
		}
		s.blocks = blocks
	}
	return s.blocks, nil
}

// joined is the block whose join is id.
func (s *step) joined(id string) (*block, error) {
	blocks, err := s.parallel()
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		if b.join == id {
			return b, nil
		}
	}
	return nil, fmt.Errorf("workflow: %s: join %s has no split", s.def.ID(), id)
}

// split starts the branches of n whose condition holds (all without one)
// and records what its join waits for.
func (s *step) split(n *Node) error {
	blocks, err := s.parallel()
	if err != nil {
		return err
	}
	b := blocks[n.ID]
	s.log(Event{Node: n.ID, Action: Entered})
	var run []string
	for _, e := range s.def.Out(n.ID) {
		if e.When != nil && !e.When.Holds(s.in.Subject.Fields) {
			s.log(Event{Node: n.ID, Action: Skipped, To: e.To})
			continue
		}
		if e.To != b.join { // an empty branch has arrived already
			run = append(run, e.To)
		}
	}
	s.log(Event{Node: n.ID, Action: Left})
	if len(run) == 0 {
		return s.pass(b.join)
	}
	if s.in.Joins == nil {
		s.in.Joins = map[string][]string{}
	}
	s.in.Joins[b.join] = slices.Clone(run)
	for _, to := range run {
		if err := s.reach(n.ID, to); err != nil {
			return err
		}
	}
	return nil
}

// arrive crosses off the branch that reached join n from node from; the
// last one lets the flow on.
func (s *step) arrive(n *Node, from string) error {
	b, err := s.joined(n.ID)
	if err != nil {
		return err
	}
	branch := b.branchOf[from]
	waiting := s.in.Joins[n.ID]
	i := slices.Index(waiting, branch)
	if i < 0 {
		return fmt.Errorf("workflow: %s: branch %s arrived at join %s, which does not wait for it", s.def.ID(), branch, n.ID)
	}
	s.log(Event{Node: n.ID, Action: Entered, To: branch})
	if waiting = slices.Delete(slices.Clone(waiting), i, i+1); len(waiting) > 0 {
		s.in.Joins[n.ID] = waiting
		return nil
	}
	delete(s.in.Joins, n.ID)
	if len(s.in.Joins) == 0 {
		s.in.Joins = nil
	}
	return s.pass(n.ID)
}

// pass takes the flow on past join id, every branch in.
func (s *step) pass(id string) error {
	s.log(Event{Node: id, Action: Left})
	return s.leave(id)
}

// rewind resets what lies ahead of target before a return re-enters it:
// closes the open tasks at the nodes reachable from it, forgets their
// sequences and the joins reachable from it, and has each join whose block
// holds target wait for target's branch (again, or still).
func (s *step) rewind(target string) error {
	ahead := walk(target, func(id string) []string { return targets(s.def, id) })
	kept := s.in.Tasks[:0:0]
	for _, t := range s.in.Tasks {
		if !ahead[t.Node] {
			kept = append(kept, t)
			continue
		}
		s.log(Event{Node: t.Node, Task: t.ID, Actor: t.Assignee, Action: Closed})
	}
	s.in.Tasks = kept
	for node := range s.in.Queues {
		if ahead[node] {
			delete(s.in.Queues, node)
		}
	}
	if len(s.in.Queues) == 0 {
		s.in.Queues = nil
	}
	if !slices.ContainsFunc(s.def.Nodes, func(n Node) bool { return n.Kind == Split }) {
		return nil
	}
	blocks, err := s.parallel()
	if err != nil {
		return err
	}
	holding := map[string]string{} // join → target's branch, for the blocks that hold target
	for _, b := range blocks {
		if branch, in := b.branchOf[target]; in {
			holding[b.join] = branch
		}
	}
	for j := range s.in.Joins {
		if _, hold := holding[j]; ahead[j] && !hold {
			delete(s.in.Joins, j)
		}
	}
	for j, branch := range holding {
		if s.in.Joins == nil {
			s.in.Joins = map[string][]string{}
		}
		if !slices.Contains(s.in.Joins[j], branch) {
			s.in.Joins[j] = append(slices.Clone(s.in.Joins[j]), branch)
		}
	}
	if len(s.in.Joins) == 0 {
		s.in.Joins = nil
	}
	return nil
}

// upstream reports whether node to can be reached from node from: a
// return goes only to an ancestor of the returning task's node.
func (s *step) upstream(from, to string) bool {
	return walk(from, func(id string) []string { return targets(s.def, id) })[to]
}
