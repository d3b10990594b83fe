package workflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// stored is the engine on a real SQLite store with an audit trail.
func stored(t testing.TB) (*Instances, store.Store, *audit.Trail) {
	s := storetest.NewSQLite(t)
	now := func() time.Time { return time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai) }
	trail := audit.New(s, now)
	ins := NewInstances(s, trail, testEnv(t), now)
	if err := ins.SaveDefinition(context.Background(), *testFlow()); err != nil {
		t.Fatal(err)
	}
	return ins, s, trail
}

// docState is a capability's document whose state commits with each step.
type docState struct {
	ID    string `json:"id"`
	State string `json:"state"`
	Step  int    `json:"step"`
}

// withDoc writes the subject document with the instance's state, expecting
// the version it read, and an audit event: what a capability's With does.
func withDoc(s store.Store, actor string) With {
	return func(in Instance, events []Event) ([]store.Write, []audit.Event, error) {
		d, version, err := store.Load[docState](context.Background(), s, "docs", in.Subject.ID)
		if errors.Is(err, store.ErrNotFound) {
			d, version, err = docState{ID: in.Subject.ID}, 0, nil
		}
		if err != nil {
			return nil, nil, err
		}
		d.State, d.Step = string(in.State), len(in.History)
		data, err := store.Encode(d)
		if err != nil {
			return nil, nil, err
		}
		return []store.Write{{Collection: "docs", ID: d.ID, Data: data, ExpectVersion: version}},
			[]audit.Event{{Actor: actor, Action: "doc." + events[0].Action, Target: "docs/" + d.ID, Outcome: audit.Success}}, nil
	}
}

func startStored(t testing.TB, ins *Instances, s store.Store, id string) Instance {
	in, _, err := ins.Start(context.Background(), "test", 1, Action{Actor: "u0", ID: id,
		Subject: Subject{Collection: "docs", ID: "d-" + id, Fields: map[string]string{"classification": "非密"}}}, withDoc(s, "u0"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestAStoredStepCommitsTheInstanceTheDocumentAndTheAuditEntryTogether(t *testing.T) {
	ctx := context.Background()
	ins, s, trail := stored(t)
	in := startStored(t, ins, s, "i1")
	if _, _, err := ins.Start(ctx, "test", 1, Action{Actor: "u0", ID: "i1", Subject: in.Subject}, nil); problem.As(err) == nil || problem.As(err).Status != http.StatusConflict {
		t.Fatalf("second start: %v", err)
	}
	in, _, err := ins.Step(ctx, "i1", Action{Kind: ActApprove, Actor: "u0", Task: "t1", Opinion: "拟同意"}, withDoc(s, "u0"))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := ins.Get(ctx, "i1")
	if err != nil || len(got.Tasks) != 2 || got.History[len(got.History)-1].Node != "review" {
		t.Fatalf("stored instance %+v, %v", got, err)
	}
	d, _, err := store.Load[docState](ctx, s, "docs", "d-i1")
	if err != nil || d.Step != len(in.History) || d.State != "running" {
		t.Fatalf("document %+v, %v", d, err)
	}
	// A refusal writes nothing: neither the instance nor the document.
	before, _, _ := ins.Get(ctx, "i1")
	if _, _, err := ins.Step(ctx, "i1", Action{Kind: ActApprove, Actor: "u0", Task: "t2"}, withDoc(s, "u0")); codeOf(err) != CodeNotYourTask {
		t.Fatalf("refused step: %v", err)
	}
	if after, _, _ := ins.Get(ctx, "i1"); len(after.History) != len(before.History) {
		t.Fatal("a refused step was written")
	}
	// With's own write conflicting (the document changed under it) writes
	// nothing either, not even the instance: one write or none.
	bad := func(in Instance, _ []Event) ([]store.Write, []audit.Event, error) {
		return []store.Write{{Collection: "docs", ID: "d-i1", Data: []byte(`{}`), ExpectVersion: 99}},
			[]audit.Event{{Actor: "r1", Action: "doc.approve", Outcome: audit.Success}}, nil
	}
	if _, _, err := ins.Step(ctx, "i1", Action{Kind: ActApprove, Actor: "r1", Task: "t2"}, bad); problem.As(err) == nil || problem.As(err).Status != http.StatusConflict {
		t.Fatalf("a step whose document write conflicts: %v", err)
	}
	if after, _, _ := ins.Get(ctx, "i1"); len(after.History) != len(before.History) {
		t.Fatal("the instance was written without its document")
	}
	if r, err := trail.Verify(ctx); err != nil || !r.OK || r.Entries != 2 {
		t.Fatalf("audit trail %+v, %v: want the start's and the approval's entries", r, err)
	}
	if _, _, err := ins.Step(ctx, "nope", Action{Kind: ActUrge, Actor: "u0", Task: "t1"}, nil); problem.As(err) == nil || problem.As(err).Status != 404 {
		t.Fatalf("missing instance: %v", err)
	}
}

func TestConcurrentActionsOnOneTaskOneWins(t *testing.T) {
	ctx := context.Background()
	ins, s, _ := stored(t)
	startStored(t, ins, s, "i1")
	if _, _, err := ins.Step(ctx, "i1", Action{Kind: ActApprove, Actor: "u0", Task: "t1"}, withDoc(s, "u0")); err != nil {
		t.Fatal(err)
	}
	// r1 approves and returns its one task at once, from 8 goroutines,
	// without a document write beside (whose own compare-and-set would
	// decide): the instance's compare-and-set alone lets one through.
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kind := ActApprove
			if i%2 == 1 {
				kind = ActReturn
			}
			_, _, errs[i] = ins.Step(ctx, "i1", Action{Kind: kind, Actor: "r1", Task: "t2", Opinion: fmt.Sprint(i)}, nil)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch p := problem.As(err); {
		case err == nil:
			wins++
		case p == nil || p.Status != http.StatusConflict:
			t.Fatalf("a loser got %v, want 409", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d actions won, want exactly 1", wins)
	}
	in, _, _ := ins.Get(ctx, "i1")
	acted := 0
	for _, e := range in.History {
		if e.Task == "t2" && (e.Action == ActApprove || e.Action == ActReturn) {
			acted++
		}
	}
	if acted != 1 {
		t.Fatalf("the task was acted on %d times", acted)
	}
}

func TestConcurrentCosignersAllSucceedAndJoinOnce(t *testing.T) {
	ctx := context.Background()
	ins, s, _ := stored(t)
	startStored(t, ins, s, "i1")
	for _, a := range []Action{{Kind: ActApprove, Actor: "u0", Task: "t1"}, {Kind: ActApprove, Actor: "r1", Task: "t2"}} {
		if _, _, err := ins.Step(ctx, "i1", a, withDoc(s, a.Actor)); err != nil {
			t.Fatal(err)
		}
	}
	// Six more co-signers, then all eight sign at once: every signature
	// lands (a conflict re-reads and decides again), and the node is left
	// exactly once.
	for i := range 6 {
		in, _, _ := ins.Get(ctx, "i1")
		if _, _, err := ins.Step(ctx, "i1", Action{Kind: ActCosign, Actor: "c1", Task: in.TasksOf("c1")[0].ID, To: fmt.Sprint("x", i)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	in, _, _ := ins.Get(ctx, "i1")
	var wg sync.WaitGroup
	errs := make(chan error, len(in.Tasks))
	for _, task := range in.Tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := ins.Step(ctx, "i1", Action{Kind: ActApprove, Actor: task.Assignee, Task: task.ID}, withDoc(s, task.Assignee))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	in, _, _ = ins.Get(ctx, "i1")
	left := 0
	for _, e := range in.History {
		if e.Node == "cosign" && e.Action == Left {
			left++
		}
	}
	if left != 1 || in.holdersString() != "sign:s1" {
		t.Fatalf("left %d times, open %s", left, in.holdersString())
	}
}

func TestADefinitionVersionIsNeverOverwritten(t *testing.T) {
	ins, _, _ := stored(t)
	d := testFlow()
	d.Name = "改过的"
	if err := ins.SaveDefinition(context.Background(), *d); problem.As(err) == nil || problem.As(err).Code != problem.CodeConflict {
		t.Fatalf("overwrite: %v", err)
	}
	bad := testFlow()
	bad.Version, bad.Nodes[1].Assign = 2, nil
	if err := ins.SaveDefinition(context.Background(), *bad); problem.As(err) == nil || problem.As(err).Code != problem.CodeInvalid {
		t.Fatalf("invalid definition saved: %v", err)
	}
}

// holdersString is who holds open tasks by node, for assertions.
func (in *Instance) holdersString() string {
	r := run{in: *in}
	return r.holders()
}

func BenchmarkApply(b *testing.B) {
	def, env := testFlow(), testEnv(b)
	now := time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai)
	in, _, err := Apply(def, Instance{}, Action{Kind: ActStart, Actor: "u0", ID: "i", Subject: Subject{Collection: "d", ID: "d"}}, now, env)
	if err != nil {
		b.Fatal(err)
	}
	in, _, _ = Apply(def, in, Action{Kind: ActApprove, Actor: "u0", Task: "t1"}, now, env)
	b.ResetTimer()
	for b.Loop() {
		// 或签 at 审核: approve, then the co-signing opens (one step).
		if _, _, err := Apply(def, in, Action{Kind: ActApprove, Actor: "r1", Task: "t2", Opinion: "同意"}, now, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoredStep is steps per second on SQLite, one goroutine: each
// step reads the instance, applies, and commits it with the subject
// document and an audit entry (the full write a capability makes). The
// steps run whole flows (start, then one approval at each task) so that
// instances stay the size they are in use.
func BenchmarkStoredStep(b *testing.B) {
	ctx := context.Background()
	ins, s, _ := stored(b)
	n, id := 0, ""
	b.ResetTimer()
	for b.Loop() {
		in, _, err := ins.Get(ctx, id)
		if id == "" || in.State != Running {
			n++
			id = fmt.Sprint("i", n)
			startStored(b, ins, s, id)
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		task := in.Tasks[0]
		if _, _, err := ins.Step(ctx, id, Action{Kind: ActApprove, Actor: task.Assignee, Task: task.ID, Opinion: "同意"}, withDoc(s, task.Assignee)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}
