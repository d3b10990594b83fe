package officialdoc

import (
	"context"
	"slices"
	"strings"

	"zhengwu/officeapi/docnumber"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// UrgeInput is a 催办 (POST /documents/{id}/urge).
type UrgeInput struct {
	Message string `json:"message" validate:"required,max=500,nocontrol" doc:"催办意见"`
	// Task narrows the urge to one open task ("<document>.t3"); "" urges
	// every open task but the urger's own.
	Task string `json:"task" validate:"max=100,nocontrol" doc:"只催办这一待办（默认全部在办待办）"`
}

// TerminateInput is a 终止 (POST /documents/{id}/terminate).
type TerminateInput struct {
	Reason string `json:"reason" validate:"required,max=500,nocontrol" doc:"终止理由"`
}

// Urge chases the holders of a document's open tasks (催办): each task's
// count goes up and the flow records who urged, with the message; the
// holders' desktops list urged tasks first. Who may urge (among the
// document's readers): its drafter, anyone who has done one of its tasks
// (an earlier node's handler chasing the next), or whoever holds
// doc.approve for its department (its head; a leader office-wide), who
// supervise its handling. The three officers hold none of these.
func (s *Service) Urge(ctx context.Context, a records.Actor, id string, in UrgeInput) (View, error) {
	return s.run(ctx, a, "officialdoc.urge", id, func(d *Document, inst *workflow.Instance) ([]workflow.Action, error) {
		if !mayUrge(d, inst, a.P) {
			return nil, problem.Forbidden()
		}
		var acts []workflow.Action
		for _, t := range d.Tasks {
			if t.Assignee == a.P.UserID || in.Task != "" && t.ID != in.Task {
				continue
			}
			_, task, _ := strings.Cut(t.ID, ".")
			acts = append(acts, workflow.Action{Kind: workflow.ActUrge, Actor: a.P.UserID, Task: task, Opinion: strings.TrimSpace(in.Message)})
		}
		if len(acts) == 0 {
			if d.State != StateProcessing {
				return nil, problem.InvalidState(stateNames[d.State], d.State)
			}
			return nil, problem.New(409, "officialdoc_nothing_to_urge", "没有可催办的待办", "no open task of someone else's to urge")
		}
		return acts, nil
	})
}

func mayUrge(d *Document, inst *workflow.Instance, p *auth.Principal) bool {
	if d.Drafter == p.UserID || p.Can(auth.PermDocApprove, d.Department) {
		return true
	}
	return slices.ContainsFunc(inst.History, func(e workflow.Event) bool {
		return e.Actor == p.UserID && e.Action == workflow.ActApprove
	})
}

// Terminate stops a document's flow (终止) with a reason: its open tasks
// close and it is 已终止. The drafter may while the flow has not passed
// 签发 (发文) or 批办 (收文): nothing has been decided in the office's name
// yet; afterwards only whoever holds doc.approve for its department (its
// head; a leader office-wide). A 发文字号 already taken is voided (作废) in
// the same write: the register keeps it, never to be given again. A 发文
// already dispatched (核发) to its units cannot be terminated: what was
// sent is withdrawn by a new document (发文撤销), not by stopping this one.
func (s *Service) Terminate(ctx context.Context, a records.Actor, id string, in TerminateInput) (View, error) {
	return s.run(ctx, a, "officialdoc.terminate", id, func(d *Document, inst *workflow.Instance) ([]workflow.Action, error) {
		decided := nodeSign
		if d.Direction == Incoming {
			decided = nodeDecide
		}
		passed := slices.ContainsFunc(inst.History, func(e workflow.Event) bool { return e.Node == decided && e.Action == workflow.Left })
		if !(d.Drafter == a.P.UserID && !passed) && !a.P.Can(auth.PermDocApprove, d.Department) {
			return nil, problem.Forbidden()
		}
		if d.State != StateProcessing {
			return nil, problem.InvalidState(stateNames[d.State], d.State)
		}
		if d.Direction == Outgoing && d.Receipts != nil {
			return nil, problem.New(409, "officialdoc_dispatched", "公文已核发送达各单位，不能终止", "the document was dispatched to the receiving units: it cannot be terminated")
		}
		return []workflow.Action{{Kind: workflow.ActTerminate, Actor: a.P.UserID, Opinion: strings.TrimSpace(in.Reason)}}, nil
	})
}

// voidNumber voids a terminated 发文's number inside its terminating write.
func (s *Service) voidNumber(ctx context.Context, b *store.Batch, a records.Actor, text, reason string) (audit.Event, error) {
	n, err := docnumber.Parse("docNumber", text)
	if err != nil {
		return audit.Event{}, err
	}
	_, ev, err := s.numbers.VoidIn(ctx, b, a, n, "公文终止："+reason)
	return ev, err
}
