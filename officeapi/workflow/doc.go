// Package workflow is the office's workflow engine (流程引擎): flows
// defined as data, run on a subject (an official document, a meeting, a
// leave request, a print job), one stored document per run. It knows
// nothing of HTTP nor of any one capability.
//
// # The parts
//
//   - A Definition (definition.go) is a flow: start, task nodes (who acts,
//     in which mode: single, 会签 all, 或签 any, sequential; a time limit
//     and an escalation limit on the working calendar, officeapi/workcal),
//     choices on the subject's fields, parallel branches (a split runs
//     every edge out at once, a join waits for them all: parallel.go, with
//     what a return or a withdrawal does across branches), ends. It is JSON, stored by key and
//     version (immutable once saved: an edit is a new version) and checked
//     by Validate. Defaults are the shipped 发文 and 收文 flows (data/).
//   - Apply (apply.go) is the engine: a pure function from a definition,
//     an instance and an action to the next instance and its history
//     entries, or a refusal with a stable code. Every rule is there.
//   - Instances (store.go) runs Apply on the store: a step loads the
//     instance, applies and commits it with compare-and-set, together with
//     whatever the capability writes beside it and its audit entries, in
//     one store write. A conflicting step re-reads and decides again.
//   - Graph (graph.go) is the flow chart's data: nodes with their state,
//     who acted, when, with what opinion, time taken and overdue; edges.
//
// # How a capability uses it
//
// At its first start the capability saves the flows it runs
// (SaveDefinition; Defaults for 公文) and keeps one Instances, built with
// an Env: the working calendar and a Resolver that asks the organisation
// who holds a role, permission or post (in a department).
//
// Starting the flow of a document, and each action on it, is one call:
//
//	in, doc, err := flows.Step(ctx, d.FlowID, workflow.Action{Kind: workflow.ActApprove,
//		Actor: p.UserID, Task: taskID, Opinion: opinion,
//		Fields: map[string]string{"classification": string(d.Classification)}},
//		func(in workflow.Instance, events []workflow.Event) ([]store.Write, []audit.Event, error) {
//			// the document's new state (its status, current holders) at the
//			// version read, and the audit entry of the step
//		})
//
// so that the document and its instance can never disagree: both are
// written, with the audit entry, or neither. Who may urge or terminate is
// the capability's decision (a permission, the initiator) before it calls;
// that the actor holds the task, that a return goes to a node already
// passed, that a withdrawal is the actor's own last step are the engine's.
// An instance's open tasks (Instance.Tasks) are what the capability
// projects into its list index for 待办 and the desktop; Task.Due and
// Task.EscalateAt are what a reminder scheduler reads.
package workflow
