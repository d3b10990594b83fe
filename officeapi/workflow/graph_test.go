package workflow

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// states is each node's state on the chart: "start:done draft:done …".
func states(g FlowGraph) string {
	var out []string
	for _, n := range g.Nodes {
		out = append(out, n.ID+":"+string(n.State))
	}
	return strings.Join(out, " ")
}

func nodeOf(g FlowGraph, id string) GraphNode {
	for _, n := range g.Nodes {
		if n.ID == id {
			return n
		}
	}
	return GraphNode{}
}

func TestTheGraphShowsWhereTheFlowIs(t *testing.T) {
	r := newRun(t, "非密") // Friday 13 February 2026, 10:00
	graph := func() FlowGraph { return Graph(r.def, r.in, r.now, r.env.Calendar) }
	if got := states(graph()); got != "start:done draft:current route:pending secret:pending review:pending cosign:pending sign:pending end:pending" {
		t.Fatalf("started: %s", got)
	}
	r.approve("u0")
	// 审核's limit is 3 working days: Wednesday 25 February, 17:30. r1
	// acts on Friday the 27th: two working days late.
	r.now = time.Date(2026, 2, 27, 9, 0, 0, 0, shanghai)
	if n := nodeOf(graph(), "review"); !n.Overdue || n.Holders[0].LateWorkdays != 2 || n.State != NodeCurrent {
		t.Fatalf("review before acting: %+v", n)
	}
	r.do(Action{Kind: ActApprove, Actor: "r1", Task: r.taskOf("r1"), Opinion: "同意，请会签"})
	r.now = r.now.Add(2 * time.Hour)
	r.approve("c1")
	g := graph()
	if got := states(g); got != "start:done draft:done route:done secret:skipped review:done cosign:current sign:pending end:pending" {
		t.Fatalf("at co-signing: %s", got)
	}
	review := nodeOf(g, "review")
	if len(review.Acts) != 1 || review.Acts[0].Actor != "r1" || review.Acts[0].Opinion != "同意，请会签" ||
		!review.Acts[0].Overdue || review.Acts[0].LateWorkdays != 2 || !review.Overdue {
		t.Fatalf("review's acts: %+v", review)
	}
	if want := int64(r.in.History[len(r.in.History)-1].At.Sub(review.EnteredAt).Seconds()); review.Taken <= 0 || review.Taken > want {
		t.Fatalf("review took %d s", review.Taken)
	}
	cosign := nodeOf(g, "cosign")
	if len(cosign.Holders) != 1 || cosign.Holders[0].Assignee != "c2" || len(cosign.Acts) != 1 || cosign.Overdue {
		t.Fatalf("co-signing: %+v", cosign)
	}
	taken := map[string]bool{}
	for _, e := range g.Edges {
		taken[e.From+">"+e.To] = e.Taken
	}
	if !taken["route>review"] || taken["route>secret"] || !taken["review>cosign"] || taken["cosign>sign"] {
		t.Fatalf("edges taken: %v", taken)
	}

	// Sent back to 起草: what came after is to be done again.
	r.do(Action{Kind: ActReturn, Actor: "c2", Task: r.taskOf("c2"), To: "draft", Opinion: "请修改"})
	if got := states(graph()); got != "start:done draft:current route:pending secret:pending review:pending cosign:pending sign:pending end:pending" {
		t.Fatalf("returned: %s", got)
	}
	for _, u := range []string{"u0", "r1", "c1", "c2", "s1", "s2"} {
		r.approve(u)
	}
	g = graph()
	if got := states(g); got != "start:done draft:done route:done secret:skipped review:done cosign:done sign:done end:done" {
		t.Fatalf("completed: %s", got)
	}
	if acts := nodeOf(g, "cosign").Acts; len(acts) != 4 || acts[1].Action != ActReturn {
		t.Fatalf("co-signing's acts over both rounds: %+v", acts)
	}
	raw, err := json.Marshal(g)
	if err != nil || !strings.HasPrefix(string(raw), `{"state":"completed","nodes":[{`) || !strings.Contains(string(raw), `"edges":[{"from":"start","to":"draft"`) {
		t.Fatalf("JSON: %s", raw)
	}
}

func TestTheGraphOfATerminatedFlowSkipsWhatWasNotReached(t *testing.T) {
	r := newRun(t, "非密")
	r.approve("u0")
	r.do(Action{Kind: ActTerminate, Actor: "admin"})
	if got := states(Graph(r.def, r.in, r.now, r.env.Calendar)); got != "start:done draft:done route:done secret:skipped review:skipped cosign:skipped sign:skipped end:skipped" {
		t.Fatalf("terminated: %s", got)
	}
}
