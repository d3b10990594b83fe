package workflow

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi/workcal"
	"zhengwu/shared/problem"
)

// testFlow: draft → (秘密 and above: secret review | else review by any
// reviewer) → co-signing by c1, c2 → signing by s1 then s2 → end.
func testFlow() *Definition {
	return &Definition{Key: "test", Version: 1, Name: "测试流程",
		Nodes: []Node{
			{ID: "start", Kind: Start, Name: "开始"},
			{ID: "draft", Kind: Task, Name: "起草", Assign: &Assignment{Initiator: true}},
			{ID: "route", Kind: Choice, Name: "密级"},
			{ID: "secret", Kind: Task, Name: "保密审查", Assign: &Assignment{Users: []string{"sec"}}},
			{ID: "review", Kind: Task, Name: "审核", Mode: Any, Assign: &Assignment{Role: "reviewer"},
				Limit: &Limit{Workdays: 3}, Escalate: &Limit{Workdays: 5}},
			{ID: "cosign", Kind: Task, Name: "会签", Mode: All, Assign: &Assignment{Users: []string{"c1", "c2"}}},
			{ID: "sign", Kind: Task, Name: "签发", Mode: Sequential, Assign: &Assignment{Users: []string{"s1", "s2"}}},
			{ID: "end", Kind: End, Name: "结束"},
		},
		Edges: []Edge{
			{From: "start", To: "draft"},
			{From: "draft", To: "route"},
			{From: "route", To: "secret", When: &Condition{Field: "classification", Op: ">=", Value: "秘密"}},
			{From: "route", To: "review", Default: true},
			{From: "secret", To: "cosign"},
			{From: "review", To: "cosign"},
			{From: "cosign", To: "sign"},
			{From: "sign", To: "end"},
		}}
}

var shanghai = func() *time.Location { l, _ := time.LoadLocation(workcal.Zone); return l }()

func testEnv(t testing.TB) Env {
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return Env{Calendar: cal, Resolve: func(a Assignment, s Subject) ([]string, error) {
		if a.Role == "reviewer" {
			return []string{"r1", "r2"}, nil
		}
		return nil, nil
	}}
}

// run drives one instance through Apply, failing the test on a refusal.
type run struct {
	t   *testing.T
	def *Definition
	env Env
	now time.Time
	in  Instance
}

func newRun(t *testing.T, class string) *run {
	r := &run{t: t, def: testFlow(), env: testEnv(t), now: time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai)}
	r.do(Action{Kind: ActStart, Actor: "u0", ID: "i1",
		Subject: Subject{Collection: "docs", ID: "d1", Fields: map[string]string{"classification": class}}})
	return r
}

func (r *run) try(a Action) ([]Event, error) {
	r.t.Helper()
	next, events, err := Apply(r.def, r.in, a, r.now, r.env)
	if err == nil {
		r.in = next
	}
	return events, err
}

func (r *run) do(a Action) []Event {
	r.t.Helper()
	events, err := r.try(a)
	if err != nil {
		r.t.Fatalf("%s by %s: %v", a.Kind, a.Actor, err)
	}
	return events
}

// taskOf is user's one open task.
func (r *run) taskOf(user string) string {
	r.t.Helper()
	ts := r.in.TasksOf(user)
	if len(ts) != 1 {
		r.t.Fatalf("%s has %d open tasks, want 1: %+v", user, len(ts), r.in.Tasks)
	}
	return ts[0].ID
}

func (r *run) approve(user string) {
	r.t.Helper()
	r.do(Action{Kind: ActApprove, Actor: user, Task: r.taskOf(user), Opinion: "同意"})
}

// holders is who holds an open task, by node: "cosign:c1,c2".
func (r *run) holders() string {
	var out []string
	for _, node := range r.in.Current() {
		var who []string
		for _, t := range r.in.Tasks {
			if t.Node == node {
				who = append(who, t.Assignee)
			}
		}
		out = append(out, node+":"+strings.Join(who, ","))
	}
	return strings.Join(out, " ")
}

func (r *run) want(holders string) {
	r.t.Helper()
	if got := r.holders(); got != holders {
		r.t.Fatalf("open tasks %q, want %q", got, holders)
	}
}

func TestAFlowRunsThroughEachMode(t *testing.T) {
	r := newRun(t, "非密")
	r.want("draft:u0")
	r.approve("u0")
	r.want("review:r1,r2") // 或签: every reviewer sees it
	r.approve("r2")
	r.want("cosign:c1,c2") // the first approval decided: r1's task closed
	r.approve("c1")
	r.want("cosign:c2") // 会签 waits for every co-signer
	r.approve("c2")
	r.want("sign:s1") // sequential: one at a time, in order
	r.approve("s1")
	r.want("sign:s2")
	r.approve("s2")
	if r.in.State != Completed || len(r.in.Tasks) != 0 || r.in.EndedAt.IsZero() {
		t.Fatalf("state %s, tasks %v", r.in.State, r.in.Tasks)
	}
	var closed []string
	for _, e := range r.in.History {
		if e.Action == Closed {
			closed = append(closed, e.Actor+"@"+e.Node)
		}
	}
	if !slices.Equal(closed, []string{"r1@review"}) {
		t.Fatalf("closed without acting: %v", closed)
	}
	if _, err := r.try(Action{Kind: ActUrge, Actor: "u0", Task: "t1"}); codeOf(err) != CodeNotRunning {
		t.Fatalf("urge after completion: %v", err)
	}
}

func TestAChoiceReadsTheSubjectsFields(t *testing.T) {
	for class, want := range map[string]string{"非密": "review:r1,r2", "秘密": "secret:sec", "机密": "secret:sec"} {
		r := newRun(t, class)
		r.approve("u0")
		r.want(want)
	}
	// Fields given with an action are what the choice after it reads.
	r := newRun(t, "非密")
	r.do(Action{Kind: ActApprove, Actor: "u0", Task: r.taskOf("u0"), Fields: map[string]string{"classification": "秘密"}})
	r.want("secret:sec")
}

func TestDeadlinesCountWorkingDaysAcrossTheSpringFestival(t *testing.T) {
	r := newRun(t, "非密") // Friday 13 February 2026, 10:00
	r.approve("u0")
	// Three working days: Saturday the 14th (调休上班), then the festival
	// (15th–23rd) off, then the 24th and the 25th; closing time 17:30.
	due := time.Date(2026, 2, 25, 17, 30, 0, 0, shanghai)
	esc := time.Date(2026, 2, 27, 17, 30, 0, 0, shanghai)
	for _, task := range r.in.Tasks {
		if !task.Due.Equal(due) || !task.EscalateAt.Equal(esc) {
			t.Fatalf("due %v, escalate %v; want %v, %v", task.Due.In(shanghai), task.EscalateAt.In(shanghai), due, esc)
		}
	}
}

func TestReturnGoesBackToWhoHandledTheEarlierNode(t *testing.T) {
	r := newRun(t, "非密")
	r.approve("u0")
	r.approve("r1")
	r.approve("c1")
	// c2 disagrees: back to 审核, to r1 who handled it, not every reviewer;
	// c1's signature is void with the node.
	r.do(Action{Kind: ActReturn, Actor: "c2", Task: r.taskOf("c2"), To: "review", Opinion: "依据不足"})
	r.want("review:r1")
	r.approve("r1")
	r.want("cosign:c1,c2") // the co-signing starts again
	// Without a target: the node left last (审核).
	r.do(Action{Kind: ActReturn, Actor: "c1", Task: r.taskOf("c1")})
	r.want("review:r1")
	// Back to the start of the road: 起草, its initiator.
	r.do(Action{Kind: ActReturn, Actor: "r1", Task: r.taskOf("r1"), To: "draft"})
	r.want("draft:u0")
}

func TestWithdrawBeforeTheNextPersonActs(t *testing.T) {
	r := newRun(t, "非密")
	draft := r.taskOf("u0")
	r.approve("u0")
	r.want("review:r1,r2")
	r.do(Action{Kind: ActWithdraw, Actor: "u0"})
	r.want("draft:u0")
	if r.taskOf("u0") != draft {
		t.Fatalf("withdrawn task %s, want the original %s back", r.taskOf("u0"), draft)
	}
	// The reviewers' tasks are gone: acting on one is refused.
	if _, err := r.try(Action{Kind: ActApprove, Actor: "r1", Task: "t2"}); codeOf(err) != CodeTaskClosed {
		t.Fatalf("approve a withdrawn task: %v", err)
	}
	r.approve("u0")
	r.do(Action{Kind: ActUrge, Actor: "u0", Task: r.taskOf("r1")}) // an urge is no step: still withdrawable
	r.approve("r1")
	if _, err := r.try(Action{Kind: ActWithdraw, Actor: "u0"}); codeOf(err) != CodeNothingToWithdraw {
		t.Fatalf("withdraw after the next person acted: %v", err)
	}
}

func TestTransferAndAddCosigner(t *testing.T) {
	r := newRun(t, "非密")
	r.approve("u0")
	r.approve("r1")
	r.do(Action{Kind: ActTransfer, Actor: "c1", Task: r.taskOf("c1"), To: "x"})
	r.want("cosign:x,c2")
	if got := r.in.TasksOf("x")[0].Via; got != "c1" {
		t.Fatalf("transferred task via %q", got)
	}
	r.do(Action{Kind: ActCosign, Actor: "c2", Task: r.taskOf("c2"), To: "y"})
	r.want("cosign:x,c2,y")
	r.approve("x")
	r.approve("c2")
	r.want("cosign:y") // the added co-signer must sign too
	r.approve("y")
	r.want("sign:s1")
}

func TestUrgeCountsAndChangesNothingElse(t *testing.T) {
	r := newRun(t, "非密")
	r.approve("u0")
	before := r.in
	task := r.taskOf("r1")
	r.do(Action{Kind: ActUrge, Actor: "boss", Task: task, Opinion: "请尽快办理"})
	r.do(Action{Kind: ActUrge, Actor: "boss", Task: task})
	if got := r.in.Task(task).Urged; got != 2 {
		t.Fatalf("urged %d", got)
	}
	if r.holders() != "review:r1,r2" || r.in.Undo == nil || r.in.Undo.Actor != before.Undo.Actor {
		t.Fatalf("an urge moved the flow: %s, undo %+v", r.holders(), r.in.Undo)
	}
}

func TestTerminateClosesEveryTask(t *testing.T) {
	r := newRun(t, "非密")
	r.approve("u0")
	r.do(Action{Kind: ActTerminate, Actor: "admin", Opinion: "重复发文"})
	if r.in.State != Terminated || len(r.in.Tasks) != 0 {
		t.Fatalf("state %s tasks %v", r.in.State, r.in.Tasks)
	}
	if _, err := r.try(Action{Kind: ActApprove, Actor: "r1", Task: "t2"}); codeOf(err) != CodeNotRunning {
		t.Fatalf("approve after terminate: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	long := strings.Repeat("意", MaxOpinion+1)
	cases := []struct {
		name   string
		setup  func(r *run)
		action func(r *run) Action
		status int
		code   string
	}{
		{"someone else's task", nil, func(r *run) Action { return Action{Kind: ActApprove, Actor: "r1", Task: "t1"} }, 403, CodeNotYourTask},
		{"no such task", nil, func(r *run) Action { return Action{Kind: ActApprove, Actor: "u0", Task: "t99"} }, 404, CodeNoSuchTask},
		{"a task done by another", func(r *run) { r.approve("u0"); r.approve("r2") },
			func(r *run) Action { return Action{Kind: ActApprove, Actor: "r1", Task: "t2"} }, 409, CodeTaskClosed},
		{"no task named", nil, func(r *run) Action { return Action{Kind: ActApprove, Actor: "u0"} }, 400, problem.CodeInvalid},
		{"return to a later node", nil, func(r *run) Action { return Action{Kind: ActReturn, Actor: "u0", Task: "t1", To: "sign"} }, 409, CodeNotEarlier},
		{"return to the node itself", func(r *run) { r.approve("u0") },
			func(r *run) Action { return Action{Kind: ActReturn, Actor: "r1", Task: "t2", To: "review"} }, 409, CodeNotEarlier},
		{"return to a branch not taken", func(r *run) { r.approve("u0"); r.approve("r1") },
			func(r *run) Action { return Action{Kind: ActReturn, Actor: "c1", Task: r.taskOf("c1"), To: "secret"} }, 409, CodeNotEarlier},
		{"return to no node", nil, func(r *run) Action { return Action{Kind: ActReturn, Actor: "u0", Task: "t1"} }, 409, CodeNotEarlier},
		{"withdraw with nothing done", nil, func(r *run) Action { return Action{Kind: ActWithdraw, Actor: "u0"} }, 409, CodeNothingToWithdraw},
		{"withdraw another's step", func(r *run) { r.approve("u0") },
			func(r *run) Action { return Action{Kind: ActWithdraw, Actor: "r1"} }, 409, CodeNothingToWithdraw},
		{"co-signer on a single node", nil, func(r *run) Action { return Action{Kind: ActCosign, Actor: "u0", Task: "t1", To: "x"} }, 409, CodeNotCosign},
		{"co-signer already there", func(r *run) { r.approve("u0"); r.approve("r1") },
			func(r *run) Action { return Action{Kind: ActCosign, Actor: "c1", Task: r.taskOf("c1"), To: "c2"} }, 409, CodeAlreadyAssigned},
		{"co-signer who signed", func(r *run) { r.approve("u0"); r.approve("r1"); r.approve("c1") },
			func(r *run) Action { return Action{Kind: ActCosign, Actor: "c2", Task: r.taskOf("c2"), To: "c1"} }, 409, CodeAlreadyAssigned},
		{"transfer to a holder", func(r *run) { r.approve("u0") },
			func(r *run) Action { return Action{Kind: ActTransfer, Actor: "r1", Task: r.taskOf("r1"), To: "r2"} }, 409, CodeAlreadyAssigned},
		{"transfer to a sequence's next", func(r *run) { r.approve("u0"); r.approve("r1"); r.approve("c1"); r.approve("c2") },
			func(r *run) Action { return Action{Kind: ActTransfer, Actor: "s1", Task: r.taskOf("s1"), To: "s2"} }, 409, CodeAlreadyAssigned},
		{"transfer to nobody", nil, func(r *run) Action { return Action{Kind: ActTransfer, Actor: "u0", Task: "t1"} }, 400, problem.CodeInvalid},
		{"start twice", nil, func(r *run) Action {
			return Action{Kind: ActStart, Actor: "u0", ID: "i1", Subject: Subject{Collection: "docs", ID: "d1"}}
		}, 409, CodeNotRunning},
		{"unknown action", nil, func(r *run) Action { return Action{Kind: "approve-all", Actor: "u0"} }, 400, problem.CodeInvalid},
		{"opinion too long", nil, func(r *run) Action { return Action{Kind: ActApprove, Actor: "u0", Task: "t1", Opinion: long} }, 400, problem.CodeInvalid},
		{"no actor", nil, func(r *run) Action { return Action{Kind: ActApprove, Task: "t1"} }, 400, problem.CodeInvalid},
		{"terminated", func(r *run) { r.do(Action{Kind: ActTerminate, Actor: "admin"}) },
			func(r *run) Action { return Action{Kind: ActTerminate, Actor: "admin"} }, 409, CodeNotRunning},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRun(t, "非密")
			if c.setup != nil {
				c.setup(r)
			}
			before := r.in.clone()
			_, err := r.try(c.action(r))
			p := problem.As(err)
			if p == nil || p.Status != c.status || p.Code != c.code || p.Zh == "" || p.En == "" {
				t.Fatalf("got %v, want %d %s", err, c.status, c.code)
			}
			if !reflect.DeepEqual(before, r.in) {
				t.Fatal("a refusal changed the instance")
			}
		})
	}
}

func TestApplyLeavesItsInputAlone(t *testing.T) {
	r := newRun(t, "非密")
	r.approve("u0")
	before := r.in.clone()
	if _, _, err := Apply(r.def, r.in, Action{Kind: ActApprove, Actor: "r1", Task: "t2", Fields: map[string]string{"x": "1"}}, r.now, r.env); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, r.in) {
		t.Fatal("Apply changed the instance it was given")
	}
}

func TestAnAssignmentThatFitsNobodyIsRefused(t *testing.T) {
	r := newRun(t, "非密")
	r.env.Resolve = func(Assignment, Subject) ([]string, error) { return nil, nil }
	if _, err := r.try(Action{Kind: ActApprove, Actor: "u0", Task: "t1"}); codeOf(err) != CodeNoAssignee {
		t.Fatalf("got %v", err)
	}
}

func TestConditions(t *testing.T) {
	f := map[string]string{"classification": "机密", "docType": "请示", "copies": "120"}
	for _, c := range []struct {
		c    Condition
		want bool
	}{
		{Condition{"classification", ">=", "秘密"}, true},
		{Condition{"classification", "<", "秘密"}, false},
		{Condition{"classification", ">", "机密"}, false},
		{Condition{"docType", "==", "请示"}, true},
		{Condition{"docType", "!=", "请示"}, false},
		{Condition{"docType", "in", "报告, 请示"}, true},
		{Condition{"copies", ">", "100"}, true},
		{Condition{"copies", "<=", "99"}, false},
		{Condition{"missing", "!=", "x"}, true},
		{Condition{"missing", ">=", "1"}, false},
		{Condition{"docType", ">", "1"}, false}, // text does not order
	} {
		if got := c.c.Holds(f); got != c.want {
			t.Errorf("%s: %v", c.c, got)
		}
	}
}

func codeOf(err error) string {
	if p := problem.As(err); p != nil {
		return p.Code
	}
	if err != nil {
		return "non-problem: " + err.Error()
	}
	return ""
}
