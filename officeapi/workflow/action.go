package workflow

import (
	"net/http"
	"time"

	"zhengwu/officeapi/workcal"
	"zhengwu/shared/problem"
)

// The actions people take on an instance (Action.Kind).
const (
	ActStart     = "start"     // 发起: begin a flow on a subject
	ActApprove   = "approve"   // 同意 / 办理: the task is done, with an opinion
	ActReturn    = "return"    // 退回: back to an earlier node (Action.To; "" the last one left)
	ActWithdraw  = "withdraw"  // 撤回: take one's last step back before the next person acts
	ActTransfer  = "transfer"  // 转办: hand the task to another user (Action.To)
	ActCosign    = "cosign"    // 加签: add a co-signer to a 会签 node (Action.To)
	ActUrge      = "urge"      // 催办: chase a task's holder; recorded and counted, nothing moves
	ActTerminate = "terminate" // 终止: stop the instance
)

// Actions lists every action, for a capability's validation (oneof).
var Actions = []string{ActStart, ActApprove, ActReturn, ActWithdraw, ActTransfer, ActCosign, ActUrge, ActTerminate}

// MaxOpinion bounds an opinion (意见), in characters.
const MaxOpinion = 2000

// Action is one thing a person does to an instance.
//
// Who may urge or terminate is the capability's to decide (a permission,
// the initiator); the engine checks what only the instance knows: that
// the actor holds the task acted on, that a return goes to an earlier
// node, that a withdrawal is the actor's own last step.
type Action struct {
	Kind    string `json:"action"`
	Actor   string `json:"actor"`             // the user id acting
	Task    string `json:"task,omitempty"`    // the task acted on: approve, return, transfer, cosign, urge
	Opinion string `json:"opinion,omitempty"` // 意见
	To      string `json:"to,omitempty"`      // return: a node id; transfer, cosign: a user id
	// Fields update the subject's fields (merged) before the flow moves
	// on, so that a choice after this step reads the subject as it is now.
	Fields map[string]string `json:"fields,omitempty"`
	// Start only: the new instance's id and subject.
	ID      string  `json:"id,omitempty"`
	Subject Subject `json:"subject,omitzero"`
}

// Resolver answers who holds an assignment given by role, permission or
// post, for a subject (its department field): the organisation's answer,
// given by the capability (the identity directory). Named users and the
// initiator are resolved by the engine itself.
type Resolver func(a Assignment, s Subject) ([]string, error)

// Env is what Apply needs from the process, the same for every step.
// Calendar is asked for the calendar in force at each step (a
// *workcal.Live follows the edits an authorised person saves; a
// *workcal.Calendar is fixed).
type Env struct {
	Calendar workcal.Provider
	Resolve  Resolver
}

// calendar is the calendar in force, or nil when none was given.
func (e Env) calendar() *workcal.Calendar {
	if e.Calendar == nil {
		return nil
	}
	return e.Calendar.Current()
}

// Stable codes of the engine's refusals. Clients switch on these.
const (
	CodeNotRunning        = "workflow_not_running"         // 409: completed or terminated
	CodeNoSuchTask        = "workflow_no_such_task"        // 404: no such task in the instance
	CodeTaskClosed        = "workflow_task_closed"         // 409: the task was done or closed by another step
	CodeNotYourTask       = "workflow_not_your_task"       // 403: the task is someone else's
	CodeNotEarlier        = "workflow_not_earlier"         // 409: a return to a node the flow has not passed
	CodeNothingToWithdraw = "workflow_nothing_to_withdraw" // 409: no step of the actor's to take back, or the next person acted
	CodeNotCosign         = "workflow_not_cosign"          // 409: co-signers are added to a 会签 (all) node only
	CodeAlreadyAssigned   = "workflow_already_assigned"    // 409: the user already has this node's task
	CodeNoAssignee        = "workflow_no_assignee"         // 409: the assignment fits nobody
)

func refuse(status int, code, zh, en string) *problem.Error { return problem.New(status, code, zh, en) }

func errNotRunning(s State) error {
	zh := map[State]string{Completed: "已办结", Terminated: "已终止", "": "未发起"}[s]
	return refuse(http.StatusConflict, CodeNotRunning, "流程"+zh+"，不能执行此操作", "the flow is "+stateName(s)+": nothing can be done").With("state", string(s))
}

func stateName(s State) string {
	if s == "" {
		return "not started"
	}
	return string(s)
}

func errNoSuchTask() error {
	return refuse(http.StatusNotFound, CodeNoSuchTask, "待办事项不存在", "no such task")
}

func errTaskClosed() error {
	return refuse(http.StatusConflict, CodeTaskClosed, "该待办已由他人办理或已关闭", "the task was already done or closed")
}

func errNotYourTask() error {
	return refuse(http.StatusForbidden, CodeNotYourTask, "这不是您的待办", "the task is not yours")
}

func errNotEarlier(node string) error {
	return refuse(http.StatusConflict, CodeNotEarlier, "只能退回到已经办理过的环节："+node, "a return goes to a node already passed: "+node)
}

func errNothingToWithdraw() error {
	return refuse(http.StatusConflict, CodeNothingToWithdraw, "没有可撤回的办理：您不是最后办理人，或下一环节已经办理",
		"nothing to withdraw: the last step is not yours, or the next person has acted")
}

func errNotCosign() error {
	return refuse(http.StatusConflict, CodeNotCosign, "只有会签环节可以加签", "co-signers are added to a co-signing (all) node only")
}

func errAlreadyAssigned(user string) error {
	return refuse(http.StatusConflict, CodeAlreadyAssigned, "该人员已在本环节办理："+user, "the user already has this node's task: "+user)
}

func errNoAssignee(node string) error {
	return refuse(http.StatusConflict, CodeNoAssignee, "环节没有可指派的办理人："+node, "the node's assignment fits nobody: "+node)
}

func errField(field, zh, en string) error { return problem.Invalid(problem.Field(field, zh, en)) }

// now is how the engine stamps times: UTC to the microsecond, as the store
// keeps them, so a stored and a fresh instance compare equal.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
