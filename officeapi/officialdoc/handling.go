package officialdoc

import (
	"context"
	"slices"
	"time"

	"zhengwu/officeapi/workflow"
	"zhengwu/shared/problem"
)

// maxReaders bounds a 传阅 list: one task each.
const maxReaders = 200

// handle checks the 承办 and 传阅 choice a leader makes at 批办 and puts it
// on the document: a lead department (主办) and assisting ones (协办) of
// the document's unit, a deadline (办理时限) not in the past, and readers
// who are enabled accounts cleared for its 密级. Each refusal names its
// field. The flow's subject fields follow (fieldsOf), so that 承办 goes
// to the lead department's head and 传阅 to the readers.
func (s *Service) handle(ctx context.Context, d *Document, in ActionInput) error {
	o, err := s.org(ctx)
	if err != nil {
		return err
	}
	var fields []problem.FieldError
	bad := func(field, zh, en string) { fields = append(fields, problem.Field(field, zh, en)) }
	switch {
	case in.LeadDepartment == "":
		bad("leadDepartment", "批办须指定主办处室", "批办 names the lead department")
	case !o.inUnit(in.LeadDepartment, d.Unit):
		bad("leadDepartment", "主办处室不存在或不属于本单位", "no such department in the document's unit")
	}
	var assist []string
	for _, dept := range in.AssistDepartments {
		switch {
		case !o.inUnit(dept, d.Unit):
			bad("assistDepartments", "协办处室不存在或不属于本单位："+dept, "no such department in the document's unit: "+dept)
		case dept != in.LeadDepartment && !slices.Contains(assist, dept):
			assist = append(assist, dept)
		}
	}
	if in.Deadline != "" {
		_, err := time.ParseInLocation(time.DateOnly, in.Deadline, s.zone)
		if today := s.now().In(s.zone).Format(time.DateOnly); err != nil || in.Deadline < today {
			bad("deadline", "办理时限不能早于今天", "the deadline is not before today")
		}
	}
	var circulation []Reading
	if len(in.Readers) == 0 {
		bad("readers", "批办须指定传阅人员", "批办 names the 传阅 readers")
	}
	for _, id := range in.Readers {
		if slices.ContainsFunc(circulation, func(r Reading) bool { return r.User == id }) {
			continue
		}
		u, err := s.account(ctx, id)
		if err != nil && problem.As(err) == nil {
			return err
		}
		if err != nil || u.Disabled || u.Clearance.Rank() < d.Classification.Rank() {
			bad("readers", "传阅人员不存在、已停用，或涉密等级低于公文密级："+id, "no such enabled user cleared for the document's classification: "+id)
			continue
		}
		circulation = append(circulation, Reading{User: id, Name: u.DisplayName})
	}
	if len(fields) > 0 {
		return problem.Invalid(fields...)
	}
	d.LeadDepartment, d.AssistDepartments, d.Deadline, d.Circulation = in.LeadDepartment, assist, in.Deadline, circulation
	return nil
}

// track keeps the document's 承办 and 传阅 in step with what the step did:
// a 承办 task just opened is due at the close of the chosen 办理时限 (when
// that is sooner than the node's own limit), and each 传阅 approval marks
// its reader as having read, when.
func (s *Service) track(d *Document, in *workflow.Instance, events []workflow.Event) {
	if d.Deadline != "" && left(events, nodeDecide) {
		if day, err := time.ParseInLocation(time.DateOnly, d.Deadline, s.zone); err == nil {
			due := day.Add(24*time.Hour - time.Second).UTC().Truncate(time.Microsecond)
			for i := range in.Tasks {
				if t := &in.Tasks[i]; slices.Contains(nodesHandle, t.Node) && (t.Due.IsZero() || due.Before(t.Due)) {
					t.Due = due
				}
			}
		}
	}
	for _, e := range events {
		if e.Node != nodeCirculate || e.Action != workflow.ActApprove {
			continue
		}
		i := slices.IndexFunc(d.Circulation, func(r Reading) bool { return r.User == e.Actor })
		if i < 0 { // a reader the task was transferred to
			d.Circulation = append(d.Circulation, Reading{User: e.Actor})
			i = len(d.Circulation) - 1
		}
		d.Circulation[i].ReadAt = e.At
	}
}
