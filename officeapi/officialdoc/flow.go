package officialdoc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"zhengwu/officeapi/docnumber"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Nodes of the default flows the document's rules hang on.
const (
	nodeDraft    = "draft"    // 起草: the drafter's own task, done by Submit
	nodeSign     = "sign"     // 签发: whoever approves it is the 签发人
	nodeRegister = "register" // 登记编号: leaving it takes the 发文字号
	nodeDispatch = "dispatch" // 核发: leaving it exchanges the 发文 (exchange.go)
	// NodePrint is 印制: the print room's; its approval comes through
	// PrintDone only (the print job's done), never through Act.
	NodePrint = "print"
	// 收文.
	nodeReceive   = "receive"   // 签收: leaving it answers the sender's receipt
	nodeDecide    = "decide"    // 批办: its approval carries the 承办 and 传阅 choice
	nodeCirculate = "circulate" // 传阅: one task per reader
)

// nodesHandle are the incoming flow's 承办 nodes: the 办理时限 chosen at
// 批办 is their tasks' deadline.
var nodesHandle = []string{"handle", "handle_urgent"}

// ActionInput is what a task's holder does (POST /tasks/{id}/actions).
type ActionInput struct {
	Action  string `json:"action" validate:"required,oneof=approve return withdraw transfer cosign" doc:"approve 同意/办理, return 退回, withdraw 撤回, transfer 转办, cosign 加签"`
	Opinion string `json:"opinion" validate:"max=2000,nocontrol"`
	// To is the node a return goes to ("" the last one left), or the user
	// a transfer or 加签 names.
	To string `json:"to" validate:"max=64,nocontrol"`
	// The 承办 and 传阅 choice, with the approval at 批办 (收文) only.
	LeadDepartment    string   `json:"leadDepartment" validate:"omitempty,orgid" doc:"批办：主办处室"`
	AssistDepartments []string `json:"assistDepartments" validate:"max=20,dive,required,orgid" doc:"批办：协办处室（可阅）"`
	Deadline          string   `json:"deadline" validate:"omitempty,datetime=2006-01-02" doc:"批办：办理时限（日期），即承办环节的期限"`
	Readers           []string `json:"readers" validate:"max=200,dive,required,max=64,nocontrol" doc:"批办：传阅人员（用户 id）"`
}

// handling reports whether in carries a 批办 choice.
func (in ActionInput) handling() bool {
	return in.LeadDepartment != "" || len(in.AssistDepartments) > 0 || in.Deadline != "" || len(in.Readers) > 0
}

// Submit starts the document's flow (发文 or 收文, the default version) as
// its drafter; an outgoing draft's 起草 task is done at once, so the
// document goes on to 审核.
func (s *Service) Submit(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.run(ctx, a, "officialdoc.submit", id, func(d *Document, in *workflow.Instance) ([]workflow.Action, error) {
		if d.Drafter != a.P.UserID {
			return nil, problem.Forbidden()
		}
		if d.State != StateDraft {
			return nil, problem.InvalidState(stateNames[d.State], d.State)
		}
		acts := []workflow.Action{{Kind: workflow.ActStart, Actor: a.P.UserID, ID: d.ID,
			Subject: workflow.Subject{Collection: Collection, ID: d.ID, Fields: fieldsOf(d)}}}
		if d.Direction == Outgoing {
			// 起草 is the first task's; its id is the instance's first.
			acts = append(acts, workflow.Action{Kind: workflow.ActApprove, Actor: a.P.UserID, Task: "t1", Opinion: "提交"})
		}
		return acts, nil
	})
}

// fieldsOf are the subject fields the default flows read.
func fieldsOf(d *Document) map[string]string {
	cosign := "no"
	if len(d.Cosigners) > 0 {
		cosign = "yes"
	}
	lead := d.LeadDepartment
	if lead == "" {
		lead = d.Department
	}
	var readers []string
	for _, r := range d.Circulation {
		readers = append(readers, r.User)
	}
	return map[string]string{"department": d.Department, "handlingOffice": d.Department, "leadDepartment": lead,
		"assistDepartments": strings.Join(d.AssistDepartments, ","), "deadline": d.Deadline, "readers": strings.Join(readers, ","),
		"unit": d.Unit, "docType": d.DocType, "classification": string(d.Classification), "urgency": d.Urgency,
		"cosign": cosign, "cosigners": strings.Join(d.Cosigners, ",")}
}

// Act is the holder of task taskID ("<document>.t3") doing in.Action. The
// approval of a 印制 task is refused: the print room approves it through
// PrintDone once its job has passed the proofread and the seal check, so the
// document page (POST /tasks/{id}/actions) cannot skip them.
func (s *Service) Act(ctx context.Context, a records.Actor, taskID string, in ActionInput) (View, error) {
	return s.act(ctx, a, taskID, in, false)
}

// PrintDone approves the 印制 task taskID, held by a, with opinion: the print
// room's done (print.Service.Done, after the job's proofread and seal
// check), the only way a document leaves 印制 forwards. It is a Go call,
// not a route: the process's print room is its one caller.
func (s *Service) PrintDone(ctx context.Context, a records.Actor, taskID, opinion string) (View, error) {
	return s.act(ctx, a, taskID, ActionInput{Action: workflow.ActApprove, Opinion: opinion}, true)
}

// PrintJobID is the id of document id's print job (the print room's
// print.DocumentJobID): declared here, where the 印制 task's link needs it,
// since officialdoc cannot import the print room.
func PrintJobID(id string) string { return "doc-" + id }

// PrintJobLink is the SPA path of the print job of document id, where its
// 印制 task is done.
func PrintJobLink(id string) string { return "/office/print/jobs/" + PrintJobID(id) }

// TaskLink is the SPA path where the task of node on document id is done:
// the print job for 印制, the document's page for every other node.
func TaskLink(id, node string) string {
	if node == NodePrint {
		return PrintJobLink(id)
	}
	return "/office/documents/" + id
}

func (s *Service) act(ctx context.Context, a records.Actor, taskID string, in ActionInput, printRoom bool) (View, error) {
	docID, task, ok := strings.Cut(taskID, ".")
	if !ok || docID == "" || task == "" {
		return View{}, problem.NotFound("待办事项不存在", "no such task")
	}
	return s.run(ctx, a, "officialdoc."+in.Action, docID, func(d *Document, inst *workflow.Instance) ([]workflow.Action, error) {
		if inst.ID == "" {
			return nil, problem.NotFound("待办事项不存在", "no such task")
		}
		if in.Action == workflow.ActTransfer || in.Action == workflow.ActCosign {
			if err := s.mayHold(ctx, d, in.To); err != nil {
				return nil, err
			}
		}
		if in.Action == workflow.ActWithdraw && inst.Undo != nil && d.Receipts != nil &&
			inst.History[inst.Undo.Event-1].Node == nodeDispatch {
			return nil, problem.New(409, "officialdoc_dispatched", "公文已核发送达各单位，不能撤回", "the document was dispatched to the receiving units: it cannot be withdrawn")
		}
		atPrint := nodeOf(d, taskID) == NodePrint
		if atPrint != printRoom && in.Action == workflow.ActApprove {
			if printRoom {
				return nil, problem.New(409, "officialdoc_not_print", "该待办不是印制环节的任务", "the task is not a 印制 task")
			}
			return nil, problem.New(409, "officialdoc_print_room_only", "印制环节须在文印室办理：完成校对和印章核验后由印制任务办结",
				"a 印制 task is approved by the print room's job (proofread and seal check), not here")
		}
		act := workflow.Action{Kind: in.Action, Actor: a.P.UserID, Opinion: strings.TrimSpace(in.Opinion), To: in.To}
		atDecide := d.Direction == Incoming && in.Action == workflow.ActApprove && nodeOf(d, taskID) == nodeDecide
		if in.handling() && !atDecide {
			return nil, problem.Invalid(problem.Field("leadDepartment", "只有收文批办环节的同意可以指定承办和传阅",
				"the 承办 and 传阅 choice comes with the approval at 批办 only"))
		}
		if atDecide {
			if err := s.handle(ctx, d, in); err != nil {
				return nil, err
			}
			act.Fields = fieldsOf(d)
		}
		if in.Action != workflow.ActWithdraw {
			act.Task = task
		}
		return []workflow.Action{act}, nil
	})
}

// mayHold refuses a transfer or 加签 to someone who could not act on the
// document: no such (or a disabled) account, or one not cleared for its
// 密级 (holding the task would make them a reader, AccessOf).
func (s *Service) mayHold(ctx context.Context, d *Document, user string) error {
	u, err := s.account(ctx, user)
	if err == nil && !u.Disabled && u.Clearance.Rank() >= d.Classification.Rank() {
		return nil
	}
	if err != nil && problem.As(err) == nil {
		return err
	}
	return problem.Invalid(problem.Field("to", "转办或加签的人员不存在、已停用，或涉密等级低于公文密级",
		"no such enabled user cleared for the document's classification"))
}

// run is one step of a document's flow as a: plan decides the engine's
// actions from the document and its instance as read; the actions are
// applied in order, the document follows the instance (state, open tasks,
// handlers; the 签发人 when 签发 is done; the 发文字号 when 登记编号 is;
// the receiving units' 收文 when 核发 is, the sender's receipt when such a
// 收文 is signed for; 传阅 readers as they read), and the instance, the
// document, the number's record, the 收文 and the audit entries commit in
// one store write, or nothing does. A step that loses a
// race reads again and decides again; what it then finds (a task done by
// another) is the engine's 409.
func (s *Service) run(ctx context.Context, a records.Actor, action, id string,
	plan func(d *Document, in *workflow.Instance) ([]workflow.Action, error)) (View, error) {
	pre, _, err := s.docs.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	now := s.clock(ctx)
	year := now.In(s.zone).Year()
	if pre.Direction == Outgoing && hasNode(pre.Tasks, nodeRegister) {
		// Registrations of one issuer code queue in this process (fairness;
		// the store's compare-and-set is what keeps numbers gap-free).
		unlock, err := s.numbers.Lock(ctx, pre.IssuerCode, year)
		if err != nil {
			return View{}, err
		}
		defer unlock()
	}
	var out Document
	docs, err := audit.UpdateAll(ctx, s.trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
		var d Document
		found, err := b.Load(ctx, Collection, id, &d)
		if err != nil {
			return nil, err
		}
		if !found || !AccessOf(&d).Allows(a.P) {
			return nil, problem.NotFound("公文不存在", "no such official document")
		}
		var in workflow.Instance
		if _, err := b.Load(ctx, workflow.InstanceCollection, id, &in); err != nil {
			return nil, err
		}
		acts, err := plan(&d, &in)
		if err != nil {
			return nil, err
		}
		var events []workflow.Event
		for _, act := range acts {
			key, version := in.Flow, in.Version
			if act.Kind == workflow.ActStart {
				// The version an authorised person activated (the shipped
				// default until then): flowadmin's activation.
				key = d.Direction
				if version, err = s.flows.Active(ctx, key); err != nil {
					return nil, err
				}
			}
			def, err := s.flows.Definition(ctx, key, version)
			if err != nil {
				return nil, err
			}
			var evs []workflow.Event
			if in, evs, err = workflow.Apply(def, in, act, now, s.env); err != nil {
				return nil, err
			}
			events = append(events, evs...)
		}
		entries := []audit.Event{{Actor: a.P.UserID, ActorIP: a.IP, Action: action, Target: Collection + "/" + id,
			Outcome: audit.Success, Details: map[string]any{"opinion": acts[len(acts)-1].Opinion, "nodes": strings.Join(in.Current(), ",")}}}
		if left(events, nodeSign) {
			d.Signer = a.P.Name
		}
		if d.Direction == Outgoing && left(events, nodeRegister) && d.DocNumber == "" {
			if d.DocType == "请示" && d.Signer == "" {
				return nil, problem.Invalid(problem.Field("signer", "请示须经签发，标注签发人后方可登记编号", "a request (请示) needs its 签发人 before it is numbered"))
			}
			reg, ev, err := s.numbers.Take(ctx, b, a, d.IssuerCode, year, docnumber.Subject{Collection: Collection, ID: id})
			if err != nil {
				return nil, err
			}
			d.DocNumber = reg.Text
			entries = append(entries, ev)
		}
		if d.Direction == Outgoing && in.State == workflow.Terminated && d.DocNumber != "" {
			// A number is never reused: the terminated document's is voided
			// in the terminating write, and the register says why.
			ev, err := s.voidNumber(ctx, b, a, d.DocNumber, acts[len(acts)-1].Opinion)
			if err != nil {
				return nil, err
			}
			entries = append(entries, ev)
		}
		if d.Direction == Outgoing && left(events, nodeDispatch) && d.Receipts == nil {
			sent, err := s.exchange(ctx, b, a, &d, now)
			if err != nil {
				return nil, err
			}
			entries = append(entries, sent...)
		}
		if d.From != nil && left(events, nodeReceive) {
			if err := s.receipt(ctx, b, a, &d); err != nil {
				return nil, err
			}
		}
		s.track(&d, &in, events)
		if err := s.follow(ctx, &d, in); err != nil {
			return nil, err
		}
		if err := b.Save(workflow.InstanceCollection, id, in); err != nil {
			return nil, err
		}
		out = d
		return entries, b.Save(Collection, id, d)
	})
	if errors.Is(err, store.ErrConflict) {
		err = problem.Conflict("公文已被他人同时办理，请刷新后重试", "someone acted on the document at the same time: reload and try again")
	}
	if err != nil {
		return View{}, s.docs.Refused(ctx, a, action, Collection+"/"+id, err)
	}
	s.Notify()
	s.tell(ctx, a, &pre, &out)
	for _, doc := range docs {
		if doc.Collection == Collection && doc.ID == id {
			return records.ViewOf(out, doc, nil)
		}
	}
	return View{}, errors.New("officialdoc: the step wrote no document")
}

// follow makes the document say where its flow is: its state, its open
// tasks and their holders, and everyone who has held one.
func (s *Service) follow(ctx context.Context, d *Document, in workflow.Instance) error {
	def, err := s.flows.Definition(ctx, in.Flow, in.Version)
	if err != nil {
		return err
	}
	d.State = map[workflow.State]string{workflow.Running: StateProcessing, workflow.Completed: StateCompleted,
		workflow.Terminated: StateTerminated}[in.State]
	d.Tasks, d.Holders = nil, nil
	for _, t := range in.Tasks {
		name := t.Node
		if n := def.Node(t.Node); n != nil {
			name = n.Name
		}
		d.Tasks = append(d.Tasks, Task{ID: d.ID + "." + t.ID, DocumentID: d.ID, Node: t.Node, NodeName: name,
			Assignee: t.Assignee, OpenedAt: t.OpenedAt, Due: t.Due, Urged: t.Urged})
		if !slices.Contains(d.Holders, t.Assignee) {
			d.Holders = append(d.Holders, t.Assignee)
		}
		if !slices.Contains(d.Handlers, t.Assignee) {
			d.Handlers = append(d.Handlers, t.Assignee)
		}
	}
	d.UpdatedAt = s.docs.Now()
	return nil
}

// nodeOf is the node of the document's open task id ("" when none).
func nodeOf(d *Document, id string) string {
	for _, t := range d.Tasks {
		if t.ID == id {
			return t.Node
		}
	}
	return ""
}

// backdated is the context key of asOf.
type backdated struct{}

// asOf makes the flow steps taken with the context happen at t: the demo's
// overdue task is one opened days ago, through the same calls.
func asOf(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, backdated{}, t)
}

// clock is the time of a step: now, unless the context is backdated.
func (s *Service) clock(ctx context.Context) time.Time {
	if t, ok := ctx.Value(backdated{}).(time.Time); ok {
		return t
	}
	return s.now()
}

func left(events []workflow.Event, node string) bool {
	return slices.ContainsFunc(events, func(e workflow.Event) bool { return e.Node == node && e.Action == workflow.Left })
}

func hasNode(tasks []Task, node string) bool {
	return slices.ContainsFunc(tasks, func(t Task) bool { return t.Node == node })
}

// Flow is the document's flow chart (流程图): nodes with their state, who
// acted, when, with what opinion; edges. A draft has none (404).
func (s *Service) Flow(ctx context.Context, p *auth.Principal, id string) (workflow.FlowGraph, error) {
	if _, _, err := s.docs.Get(ctx, p, id); err != nil {
		return workflow.FlowGraph{}, err
	}
	in, _, err := s.flows.Get(ctx, id)
	if err != nil {
		return workflow.FlowGraph{}, problem.NotFound("公文尚未提交，没有流程", "the document has not been submitted: no flow")
	}
	def, err := s.flows.Definition(ctx, in.Flow, in.Version)
	if err != nil {
		return workflow.FlowGraph{}, err
	}
	return workflow.Graph(def, in, s.now(), s.env.Calendar), nil
}
