package officialdochttp_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

// The 印制 task is the print room's: the printer's 待办 leads to the print
// job, a 同意 through POST /tasks/{id}/actions is refused (the document
// stays at 印制, the refusal audited), and only PrintDone — the print
// job's done, after its proofread and seal check — moves it on to 核发.
// PrintDone approves nothing but a 印制 task.
func TestPrintTaskOnlyThroughThePrintRoom(t *testing.T) {
	e, svc := newService(t)
	ctx := context.Background()
	id := idOf(t, draft(e, "staff", nil))
	if r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	for _, who := range []string{"chuzhang", "director", "clerk"} {
		step(t, e, who, id, nil)
	}
	// PrintDone on another node's task (登记编号): refused.
	reg := taskOf(t, e, "clerk", id)
	if _, err := svc.PrintDone(ctx, actorOf(t, e, "clerk"), reg.ID, "印制完成"); problem.As(err) == nil || problem.As(err).Code != "officialdoc_not_print" {
		t.Fatalf("PrintDone at 登记编号: %v", err)
	}
	step(t, e, "clerk", id, nil)

	task := taskOf(t, e, "printer", id)
	if task.Node != officialdoc.NodePrint {
		t.Fatalf("not at 印制: %+v", task)
	}
	var desk struct{ Todo []struct{ ID, Link string } }
	e.Do("GET", base+"/desktop?consistentWith="+strconv.FormatInt(e.LastSeq, 10), e.TokenOf("printer"), nil).Decode(t, &desk)
	i := slices.IndexFunc(desk.Todo, func(x struct{ ID, Link string }) bool { return x.ID == task.ID })
	if i < 0 || desk.Todo[i].Link != "/office/print/jobs/doc-"+id {
		t.Fatalf("the printer's 待办: %+v", desk.Todo)
	}
	testkit.WantProblem(t, act(e, "printer", task.ID, "approve", "同意"), 409, "officialdoc_print_room_only")
	if got := e.Audited("officialdoc.approve", officialdoc.Collection+"/"+id); got[len(got)-1].Outcome != "failure" {
		t.Fatalf("the refused approval is not audited: %+v", got[len(got)-1])
	}
	if task := taskOf(t, e, "printer", id); task.Node != officialdoc.NodePrint {
		t.Fatalf("the document left 印制: %+v", task)
	}
	if _, err := svc.PrintDone(ctx, actorOf(t, e, "printer"), task.ID, "印制完成，共5份"); err != nil {
		t.Fatal(err)
	}
	if next := taskOf(t, e, "clerk", id); next.Node != "dispatch" {
		t.Fatalf("after the print room's done: %+v", next)
	}
}
