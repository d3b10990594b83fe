package workflow

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// parallelFlow: draft → fork into four branches — a; b1 then b2; legal
// (only when legal == yes); a choice that sends the branch to 会签 (cos)
// when cosign == yes, else straight to the join — → merge → sign → end.
func parallelFlow() *Definition {
	user := func(u string) *Assignment { return &Assignment{Users: []string{u}} }
	return &Definition{Key: "par", Version: 1, Name: "并行测试",
		Nodes: []Node{
			{ID: "start", Kind: Start, Name: "开始"},
			{ID: "draft", Kind: Task, Name: "起草", Assign: &Assignment{Initiator: true}},
			{ID: "fork", Kind: Split, Name: "分送"},
			{ID: "a", Kind: Task, Name: "甲处会签", Assign: user("a1")},
			{ID: "b1", Kind: Task, Name: "乙处承办", Assign: user("b1")},
			{ID: "b2", Kind: Task, Name: "乙处审核", Assign: user("b2")},
			{ID: "legal", Kind: Task, Name: "合法性审查", Assign: user("l1")},
			{ID: "check", Kind: Choice, Name: "是否会签"},
			{ID: "cos", Kind: Task, Name: "会签", Assign: user("c1")},
			{ID: "merge", Kind: Join, Name: "汇总"},
			{ID: "sign", Kind: Task, Name: "签发", Assign: user("s1")},
			{ID: "end", Kind: End, Name: "结束"},
		},
		Edges: []Edge{
			{From: "start", To: "draft"},
			{From: "draft", To: "fork"},
			{From: "fork", To: "a"},
			{From: "fork", To: "b1"},
			{From: "fork", To: "legal", When: &Condition{Field: "legal", Op: "==", Value: "yes"}},
			{From: "fork", To: "check"},
			{From: "a", To: "merge"},
			{From: "b1", To: "b2"},
			{From: "b2", To: "merge"},
			{From: "legal", To: "merge"},
			{From: "check", To: "cos", When: &Condition{Field: "cosign", Op: "==", Value: "yes"}},
			{From: "check", To: "merge", Default: true},
			{From: "cos", To: "merge"},
			{From: "merge", To: "sign"},
			{From: "sign", To: "end"},
		}}
}

func newParallelRun(t *testing.T, fields map[string]string) *run {
	r := &run{t: t, def: parallelFlow(), env: testEnv(t), now: time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai)}
	r.do(Action{Kind: ActStart, Actor: "u0", ID: "p1", Subject: Subject{Collection: "docs", ID: "d1", Fields: fields}})
	r.approve("u0")
	return r
}

// count is how many history entries of action at node the instance has.
func (r *run) count(node, action string) int {
	n := 0
	for _, e := range r.in.History {
		if e.Node == node && e.Action == action {
			n++
		}
	}
	return n
}

func (r *run) waiting(join string) []string { return r.in.Joins[join] }

func TestEveryBranchRunsAndTheJoinWaitsForAll(t *testing.T) {
	r := newParallelRun(t, map[string]string{"legal": "yes", "cosign": "yes"})
	r.want("a:a1 b1:b1 legal:l1 cos:c1")
	if got := r.waiting("merge"); !slices.Equal(got, []string{"a", "b1", "legal", "check"}) {
		t.Fatalf("the join waits for %v", got)
	}
	r.approve("a1")
	r.approve("b1")
	r.want("legal:l1 cos:c1 b2:b2") // b's second step opened; a arrived
	r.approve("l1")
	r.approve("c1")
	r.want("b2:b2")
	if r.count("merge", Left) != 0 {
		t.Fatal("the join let the flow on before every branch arrived")
	}
	r.approve("b2")
	r.want("sign:s1")
	if r.count("merge", Left) != 1 || r.count("merge", Entered) != 4 || r.in.Joins != nil {
		t.Fatalf("join left %d times after %d arrivals; joins %v", r.count("merge", Left), r.count("merge", Entered), r.in.Joins)
	}
	r.approve("s1")
	if r.in.State != Completed {
		t.Fatalf("state %s", r.in.State)
	}
}

func TestABranchWhoseConditionFailsIsSkippedAndNotWaitedFor(t *testing.T) {
	r := newParallelRun(t, map[string]string{"legal": "no"})
	// legal's edge does not hold; the choice sends its branch straight to
	// the join, which counts it arrived.
	r.want("a:a1 b1:b1")
	if got := r.waiting("merge"); !slices.Equal(got, []string{"a", "b1"}) {
		t.Fatalf("the join waits for %v", got)
	}
	for _, u := range []string{"b1", "a1", "b2"} {
		r.approve(u)
	}
	r.want("sign:s1")
	g := Graph(r.def, r.in, r.now, r.env.Calendar)
	if got := states(g); got != "start:done draft:done fork:done a:done b1:done b2:done legal:skipped check:done cos:skipped merge:done sign:current end:pending" {
		t.Fatalf("graph: %s", got)
	}
	taken := map[string]bool{}
	for _, e := range g.Edges {
		taken[e.From+">"+e.To] = e.Taken
	}
	if !taken["fork>a"] || !taken["fork>b1"] || taken["fork>legal"] || !taken["fork>check"] ||
		!taken["check>merge"] || taken["check>cos"] || !taken["b2>merge"] || taken["legal>merge"] || !taken["merge>sign"] {
		t.Fatalf("edges taken: %v", taken)
	}
}

func TestNoBranchRunningPassesTheJoinAtOnce(t *testing.T) {
	d := parallelFlow()
	// Only the guarded branch and the choice's: neither runs.
	d.Nodes = slices.DeleteFunc(d.Nodes, func(n Node) bool { return n.ID == "a" || n.ID == "b1" || n.ID == "b2" })
	d.Edges = slices.DeleteFunc(d.Edges, func(e Edge) bool {
		return slices.Contains([]string{"a", "b1", "b2"}, e.From) || slices.Contains([]string{"a", "b1", "b2"}, e.To)
	})
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	r := &run{t: t, def: d, env: testEnv(t), now: time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai)}
	r.do(Action{Kind: ActStart, Actor: "u0", ID: "p1", Subject: Subject{Collection: "docs", ID: "d1"}})
	r.approve("u0")
	r.want("sign:s1")
	if r.in.Joins != nil {
		t.Fatalf("joins %v", r.in.Joins)
	}
}

func TestTheJoinShowsWhatItWaitsFor(t *testing.T) {
	r := newParallelRun(t, map[string]string{"legal": "yes"})
	graph := func() FlowGraph { return Graph(r.def, r.in, r.now, r.env.Calendar) }
	// The choice's branch arrived at once (cosign is not asked for): the
	// join waits for the rest.
	if got := states(graph()); got != "start:done draft:done fork:done a:current b1:current b2:pending legal:current check:done cos:skipped merge:current sign:pending end:pending" {
		t.Fatalf("branches open: %s", got)
	}
	if w := nodeOf(graph(), "merge").Waiting; !slices.Equal(w, []string{"a", "b1", "legal"}) {
		t.Fatalf("merge waits for %v", w)
	}
	r.approve("a1")
	g := graph()
	if got := states(g); got != "start:done draft:done fork:done a:done b1:current b2:pending legal:current check:done cos:skipped merge:current sign:pending end:pending" {
		t.Fatalf("a arrived: %s", got)
	}
	if w := nodeOf(g, "merge").Waiting; !slices.Equal(w, []string{"b1", "legal"}) {
		t.Fatalf("merge waits for %v", w)
	}
}

func TestReturnInsideABranchLeavesTheOtherBranchesAlone(t *testing.T) {
	r := newParallelRun(t, map[string]string{"legal": "yes"})
	r.approve("b1")
	r.approve("a1") // a arrives at the join after b1 left: the most recent step
	// b2 returns without naming a node: to b1, the last node on its own
	// road, not a (a sibling branch's, left more recently).
	r.do(Action{Kind: ActReturn, Actor: "b2", Task: r.taskOf("b2"), Opinion: "请补充"})
	r.want("legal:l1 b1:b1")
	if got := r.waiting("merge"); !slices.Equal(got, []string{"b1", "legal"}) {
		t.Fatalf("the join waits for %v, want b1 and legal still", got)
	}
	if r.count("legal", Closed) != 0 {
		t.Fatal("a return in one branch closed another branch's task")
	}
	r.approve("b1")
	r.approve("l1")
	r.approve("b2")
	r.want("sign:s1")
	if r.count("merge", Left) != 1 {
		t.Fatalf("join left %d times", r.count("merge", Left))
	}
}

func TestAReturnIntoASiblingBranchIsRefused(t *testing.T) {
	r := newParallelRun(t, map[string]string{})
	r.approve("a1")
	r.approve("b1")
	_, err := r.try(Action{Kind: ActReturn, Actor: "b2", Task: r.taskOf("b2"), To: "a"})
	if codeOf(err) != CodeNotEarlier {
		t.Fatalf("return into a sibling branch: %v", err)
	}
}

func TestAReturnToBeforeTheSplitClosesEveryBranchAndRunsThemAgain(t *testing.T) {
	r := newParallelRun(t, map[string]string{"legal": "yes"})
	r.approve("a1")
	r.do(Action{Kind: ActReturn, Actor: "b1", Task: r.taskOf("b1"), To: "draft", Opinion: "重拟"})
	r.want("draft:u0")
	if r.in.Joins != nil || r.count("legal", Closed) != 1 {
		t.Fatalf("joins %v, legal closed %d times", r.in.Joins, r.count("legal", Closed))
	}
	if got := states(Graph(r.def, r.in, r.now, r.env.Calendar)); got != "start:done draft:current fork:pending a:pending b1:pending b2:pending legal:pending check:pending cos:pending merge:pending sign:pending end:pending" {
		t.Fatalf("graph after the return: %s", got)
	}
	r.approve("u0")
	r.want("a:a1 b1:b1 legal:l1") // a's earlier approval does not count: every branch runs again
	for _, u := range []string{"a1", "b1", "l1", "b2"} {
		r.approve(u)
	}
	r.want("sign:s1")
}

func TestAReturnFromAfterTheJoinReopensOnlyThatBranch(t *testing.T) {
	r := newParallelRun(t, map[string]string{"legal": "yes"})
	for _, u := range []string{"a1", "b1", "l1", "b2"} {
		r.approve(u)
	}
	r.do(Action{Kind: ActReturn, Actor: "s1", Task: r.taskOf("s1"), To: "b2", Opinion: "乙处意见不清"})
	r.want("b2:b2")
	if got := r.waiting("merge"); !slices.Equal(got, []string{"b1"}) {
		t.Fatalf("the join waits for %v, want b's branch alone", got)
	}
	g := Graph(r.def, r.in, r.now, r.env.Calendar)
	if got := states(g); got != "start:done draft:done fork:done a:done b1:done b2:current legal:done check:done cos:skipped merge:current sign:pending end:pending" {
		t.Fatalf("graph: %s", got)
	}
	r.approve("b2")
	r.want("sign:s1")
	if r.count("merge", Left) != 2 {
		t.Fatalf("join passed %d times, want twice (once per round)", r.count("merge", Left))
	}
	// To before the split: every branch runs again.
	r.do(Action{Kind: ActReturn, Actor: "s1", Task: r.taskOf("s1"), To: "draft"})
	r.approve("u0")
	r.want("a:a1 b1:b1 legal:l1")
}

func TestWithdrawAcrossBranches(t *testing.T) {
	r := newParallelRun(t, map[string]string{})
	// a1's arrival at the join is taken back: a is open again and waited for.
	r.approve("a1")
	r.do(Action{Kind: ActWithdraw, Actor: "a1"})
	r.want("a:a1 b1:b1")
	if got := r.waiting("merge"); !slices.Equal(got, []string{"a", "b1"}) {
		t.Fatalf("after the withdrawal the join waits for %v", got)
	}
	// Once someone acts in another branch, a1's step stands.
	r.approve("a1")
	r.approve("b1")
	if _, err := r.try(Action{Kind: ActWithdraw, Actor: "a1"}); codeOf(err) != CodeNothingToWithdraw {
		t.Fatalf("withdraw after another branch acted: %v", err)
	}
	// The last arrival passes the join; withdrawing it closes 签发 and
	// the join waits again.
	r.approve("b2")
	r.want("sign:s1")
	r.do(Action{Kind: ActWithdraw, Actor: "b2"})
	r.want("b2:b2")
	if got := r.waiting("merge"); !slices.Equal(got, []string{"b1"}) {
		t.Fatalf("the join waits for %v", got)
	}
	if got := states(Graph(r.def, r.in, r.now, r.env.Calendar)); got != "start:done draft:done fork:done a:done b1:done b2:current legal:skipped check:done cos:skipped merge:current sign:pending end:pending" {
		t.Fatalf("graph after withdrawing the join's last arrival: %s", got)
	}
	r.approve("b2")
	r.want("sign:s1")
}

func TestTerminateForgetsTheJoins(t *testing.T) {
	r := newParallelRun(t, map[string]string{})
	r.approve("a1")
	r.do(Action{Kind: ActTerminate, Actor: "admin"})
	if r.in.Joins != nil || len(r.in.Tasks) != 0 || r.in.State != Terminated {
		t.Fatalf("%+v", r.in)
	}
}

func TestNestedBlocksRun(t *testing.T) {
	d := parallelFlow()
	// b's branch becomes a block of its own: b1 and b2 in parallel.
	d.Nodes = append(d.Nodes, Node{ID: "inner", Kind: Split, Name: "乙处分送"}, Node{ID: "innerj", Kind: Join, Name: "乙处汇总"})
	for i, e := range d.Edges {
		switch {
		case e.From == "fork" && e.To == "b1":
			d.Edges[i].To = "inner"
		case e.From == "b1" && e.To == "b2":
			d.Edges[i] = Edge{From: "inner", To: "b1"}
		case e.From == "b2" && e.To == "merge":
			d.Edges[i].To = "innerj"
		}
	}
	d.Edges = append(d.Edges, Edge{From: "inner", To: "b2"}, Edge{From: "b1", To: "innerj"}, Edge{From: "innerj", To: "merge"})
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	r := &run{t: t, def: d, env: testEnv(t), now: time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai)}
	r.do(Action{Kind: ActStart, Actor: "u0", ID: "p1", Subject: Subject{Collection: "docs", ID: "d1"}})
	r.approve("u0")
	r.want("a:a1 b1:b1 b2:b2")
	r.approve("b1")
	r.approve("a1")
	r.want("b2:b2")
	if !slices.Equal(r.waiting("merge"), []string{"inner"}) || !slices.Equal(r.waiting("innerj"), []string{"b2"}) {
		t.Fatalf("joins %v", r.in.Joins)
	}
	r.approve("b2")
	r.want("sign:s1")
	// From after the outer join into the inner block: both joins wait
	// for the one branch.
	r.do(Action{Kind: ActReturn, Actor: "s1", Task: r.taskOf("s1"), To: "b1"})
	if !slices.Equal(r.waiting("merge"), []string{"inner"}) || !slices.Equal(r.waiting("innerj"), []string{"b1"}) {
		t.Fatalf("joins after the return %v", r.in.Joins)
	}
	r.approve("b1")
	r.want("sign:s1")
}

func TestValidateTheParallelShape(t *testing.T) {
	edge := func(d *Definition, from, to string) int {
		return slices.IndexFunc(d.Edges, func(e Edge) bool { return e.From == from && e.To == to })
	}
	cases := []struct {
		name   string
		mutate func(d *Definition)
		field  string
	}{
		{"a split with one edge out", func(d *Definition) {
			d.Nodes = slices.DeleteFunc(d.Nodes, func(n Node) bool { return slices.Contains([]string{"a", "legal", "check", "cos", "b2"}, n.ID) })
			d.Edges = slices.DeleteFunc(d.Edges, func(e Edge) bool {
				return slices.ContainsFunc([]string{"a", "legal", "check", "cos", "b2"}, func(id string) bool { return e.From == id || e.To == id })
			})
			d.Edges = append(d.Edges, Edge{From: "b1", To: "merge"})
			d.Edges = slices.DeleteFunc(d.Edges, func(e Edge) bool { return e.From == "b1" && e.To == "b2" })
		}, "nodes[2]"},
		{"a default edge out of a split", func(d *Definition) { d.Edges[edge(d, "fork", "a")].Default = true }, "edges[2].when"},
		{"a bad condition on a split's edge", func(d *Definition) { d.Edges[edge(d, "fork", "legal")].When.Op = "~" }, "edges[4].when"},
		{"a join with two edges out", func(d *Definition) { d.Edges = append(d.Edges, Edge{From: "merge", To: "end"}) }, "nodes[9]"},
		{"branches meet before the join", func(d *Definition) { d.Edges[edge(d, "a", "merge")].To = "b2" }, "nodes[2]"},
		{"a branch reaches an end", func(d *Definition) { d.Edges[edge(d, "a", "merge")].To = "end" }, "nodes[2]"},
		{"a branch loops back to its split", func(d *Definition) {
			d.Nodes = append(d.Nodes, Node{ID: "again", Kind: Choice, Name: "重来"})
			d.Edges[edge(d, "a", "merge")].To = "again"
			d.Edges = append(d.Edges, Edge{From: "again", To: "fork", When: &Condition{Field: "x", Op: "==", Value: "1"}}, Edge{From: "again", To: "merge", Default: true})
		}, "nodes[2]"},
		{"a branch loops back to before the split", func(d *Definition) {
			d.Nodes = append(d.Nodes, Node{ID: "again", Kind: Choice, Name: "重来"})
			d.Edges[edge(d, "a", "merge")].To = "again"
			d.Edges = append(d.Edges, Edge{From: "again", To: "draft", When: &Condition{Field: "x", Op: "==", Value: "1"}}, Edge{From: "again", To: "merge", Default: true})
		}, "nodes[2]"},
		{"an edge from after the join into a branch", func(d *Definition) {
			d.Nodes = append(d.Nodes, Node{ID: "back", Kind: Choice, Name: "退回乙处"})
			d.Edges[edge(d, "sign", "end")].To = "back"
			d.Edges = append(d.Edges, Edge{From: "back", To: "b2", When: &Condition{Field: "x", Op: "==", Value: "1"}}, Edge{From: "back", To: "end", Default: true})
		}, "edges[15].from"},
		{"branches reaching two joins", func(d *Definition) {
			d.Nodes = append(d.Nodes, Node{ID: "merge2", Kind: Join, Name: "汇总二"})
			d.Edges[edge(d, "a", "merge")].To = "merge2"
			d.Edges = append(d.Edges, Edge{From: "merge2", To: "sign"})
		}, "nodes[2]"},
		{"a join without a split", func(d *Definition) {
			d.Nodes = append(d.Nodes, Node{ID: "stray", Kind: Join, Name: "无主汇聚"})
			d.Edges[edge(d, "sign", "end")].To = "stray"
			d.Edges = append(d.Edges, Edge{From: "stray", To: "end"})
		}, "nodes[12]"},
		{"a join gathering two splits", func(d *Definition) {
			// A second split after draft whose branches also end at merge.
			d.Nodes = append(d.Nodes, Node{ID: "fork2", Kind: Split, Name: "分送二"}, Node{ID: "x", Kind: Task, Name: "丙处", Assign: &Assignment{Users: []string{"x"}}})
			d.Edges[edge(d, "draft", "fork")].To = "fork2"
			d.Edges = append(d.Edges, Edge{From: "fork2", To: "fork"}, Edge{From: "fork2", To: "x"}, Edge{From: "x", To: "merge"})
		}, "nodes[12]"},
		{"two edges from a split to one node", func(d *Definition) { d.Edges = append(d.Edges, Edge{From: "fork", To: "a"}) }, "edges[15].to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := parallelFlow()
			c.mutate(d)
			wantInvalid(t, d, c.field)
		})
	}
	if err := parallelFlow().Validate(); err != nil {
		t.Fatalf("the parallel flow itself: %v", err)
	}
}

// Two branches' holders approve at once on the real store: both succeed
// (the loser of the compare-and-set reads again and arrives too), and the
// join is passed exactly once.
func TestConcurrentBranchesJoinOnceOnTheStore(t *testing.T) {
	ctx := context.Background()
	ins, s, _ := stored(t)
	if err := ins.SaveDefinition(ctx, *parallelFlow()); err != nil {
		t.Fatal(err)
	}
	for round := range 6 {
		id := "p" + string(rune('a'+round))
		if _, _, err := ins.Start(ctx, "par", 1, Action{Actor: "u0", ID: id,
			Subject: Subject{Collection: "docs", ID: "d-" + id, Fields: map[string]string{"legal": "yes"}}}, withDoc(s, "u0")); err != nil {
			t.Fatal(err)
		}
		step := func(user string) error {
			in, _, err := ins.Get(ctx, id)
			if err != nil {
				return err
			}
			_, _, err = ins.Step(ctx, id, Action{Kind: ActApprove, Actor: user, Task: in.TasksOf(user)[0].ID}, withDoc(s, user))
			return err
		}
		for _, u := range []string{"u0", "b1"} {
			if err := step(u); err != nil {
				t.Fatal(err)
			}
		}
		// a1, b2 and l1 hold the three open branches: all at once.
		var wg sync.WaitGroup
		errs := make(chan error, 3)
		for _, u := range []string{"a1", "b2", "l1"} {
			wg.Add(1)
			go func() { defer wg.Done(); errs <- step(u) }()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		in, _, _ := ins.Get(ctx, id)
		r := run{in: in}
		if r.count("merge", Left) != 1 || r.count("merge", Entered) != 4 || in.holdersString() != "sign:s1" || in.Joins != nil {
			t.Fatalf("round %d: join left %d times, arrivals %d, open %s, joins %v",
				round, r.count("merge", Left), r.count("merge", Entered), in.holdersString(), in.Joins)
		}
	}
}
