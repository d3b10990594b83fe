package print

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/seal"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// nodePrint is the outgoing flow's 印制 node (workflow/data/outgoing.json).
const nodePrint = officialdoc.NodePrint

// nodesAfterPrint are the nodes a document reaches once 印制 is done.
var nodesAfterPrint = []string{"dispatch", "archive"}

// maxFile bounds the bytes of a file read for its seal check.
const maxFile = 256 << 20

// checked refuses to print or finish a document job not proofread and
// seal-checked with success.
func checked(j *Job) error {
	if j.Kind != KindDocument {
		return nil
	}
	var missing []string
	if j.Proofread == nil || !j.Proofread.OK {
		missing = append(missing, "校对")
	}
	if j.SealCheck == nil || !j.SealCheck.OK {
		missing = append(missing, "印章核验")
	}
	if len(missing) == 0 {
		return nil
	}
	return problem.New(409, "print_unchecked", "公文未通过"+strings.Join(missing, "和")+"，不能印制或完成",
		"the document job has not passed its proofread and seal check")
}

// printTask is the id of the document's 印制 task the operator holds: ""
// when the document has no 印制 task (it is no longer at 印制); a 403 when
// it has one held by others only.
func (s *Service) printTask(ctx context.Context, a records.Actor, j *Job) (string, officialdoc.Document, error) {
	d, _, err := store.Load[officialdoc.Document](ctx, s.store, officialdoc.Collection, j.Document)
	if err != nil {
		return "", d, err
	}
	held := false
	for _, t := range d.Tasks {
		if t.Node != nodePrint {
			continue
		}
		held = true
		if t.Assignee == a.P.UserID {
			return t.ID, d, nil
		}
	}
	if held {
		return "", d, problem.New(403, "print_not_holder", "您不是该公文印制环节的办理人，不能办理其印制任务",
			"you do not hold the document's 印制 task")
	}
	return "", d, nil
}

// Proofread records a 校对. A failure needs a note and sends the job back:
// a document's 印制 task is returned in its flow (to the node before, with
// the note as the opinion), an ordinary job to its sender.
func (s *Service) Proofread(ctx context.Context, a records.Actor, id string, in ProofreadInput) (View, error) {
	note := strings.TrimSpace(in.Note)
	if !in.OK && note == "" {
		return View{}, problem.Invalid(problem.Field("note", "校对不通过时须说明问题", "a failed proofread needs a note"))
	}
	change := func(j *Job) (map[string]any, error) {
		if err := mine(a, j); err != nil {
			return nil, err
		}
		if err := inState(j, StateClaimed); err != nil {
			return nil, err
		}
		j.Proofread = &Proofread{By: a.P.UserID, ByName: a.P.Name, At: s.jobs.Now(), OK: in.OK, Note: note}
		if !in.OK {
			j.State, j.ReturnNote, j.Operator, j.OperatorName = StateReturned, note, "", ""
		}
		return map[string]any{"ok": in.OK, "note": note}, nil
	}
	if in.OK {
		return s.step(ctx, a, "print.job.proofread", id, change)
	}
	v, err := s.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	j := v.Document
	if !a.P.Can(auth.PermPrintOperate, auth.OfficeWide) {
		return View{}, s.jobs.Refused(ctx, a, "print.job.proofread", Collection+"/"+id, problem.Forbidden())
	}
	if err := mine(a, &j); err != nil {
		return View{}, s.jobs.Refused(ctx, a, "print.job.proofread", Collection+"/"+id, err)
	}
	if j.Kind == KindDocument {
		// The document first: the job says returned only once its flow
		// has taken the document back (the intake reopens the job when
		// it comes again).
		task, _, err := s.printTask(ctx, a, &j)
		if err != nil {
			return View{}, s.jobs.Refused(ctx, a, "print.job.proofread", Collection+"/"+id, err)
		}
		if task != "" {
			if _, err := s.docs.Act(ctx, a, task, officialdoc.ActionInput{Action: "return", Opinion: "校对不通过：" + note}); err != nil {
				return View{}, err
			}
		}
	}
	return s.step(ctx, a, "print.job.proofread", id, change)
}

// SealCheck verifies the job's file: its bytes are the ones stored (the
// media id is their SHA-256) and seal.Verify's report on its seal. The
// check passes when the file is the registered one, its signature intact,
// and, for a document that carries a seal, the seal valid; a 纪要 (or a
// document marked unsealed) passes on the file's integrity alone.
func (s *Service) SealCheck(ctx context.Context, a records.Actor, id string) (View, error) {
	v, err := s.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	j := v.Document
	refuse := func(err error) (View, error) {
		return View{}, s.jobs.Refused(ctx, a, "print.job.seal_check", Collection+"/"+id, err)
	}
	if !a.P.Can(auth.PermPrintOperate, auth.OfficeWide) {
		return refuse(problem.Forbidden())
	}
	if err := mine(a, &j); err != nil {
		return refuse(err)
	}
	if j.File == "" {
		return refuse(problem.New(409, "print_no_file", "该印制任务没有可核验的文件："+j.FileError, "the job has no file to check"))
	}
	f, err := s.files.Open(ctx, j.File)
	if err != nil {
		return View{}, err
	}
	data, err := io.ReadAll(io.LimitReader(f.Body, maxFile))
	f.Body.Close()
	if err != nil {
		return View{}, err
	}
	report, err := s.verify(ctx, data)
	if err != nil {
		if ctx.Err() != nil {
			return View{}, err
		}
		// A file seal.Verify refuses (no seal at all: a problem naming
		// the file) or cannot read is a failed check with the reason, not
		// an error of the request. Such a file has no signature to break:
		// Intact is then the SHA-256 comparison below alone.
		why := err.Error()
		if p := problem.As(err); p != nil {
			why = p.Zh
		}
		report = seal.Report{Intact: true, Problems: []string{"印章核验未通过：" + why}}
	}
	if report.Problems == nil {
		report.Problems = []string{}
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != j.File {
		report.Valid, report.Intact = false, false
		report.Problems = append([]string{"文件与登记的印制文件不一致（SHA-256 不符）"}, report.Problems...)
	}
	ok := report.Intact && (report.Valid || !j.Sealed)
	return s.step(ctx, a, "print.job.seal_check", id, func(j *Job) (map[string]any, error) {
		if err := mine(a, j); err != nil {
			return nil, err
		}
		j.SealCheck = &SealCheck{By: a.P.UserID, ByName: a.P.Name, At: s.jobs.Now(), OK: ok, Report: report}
		return map[string]any{"ok": ok, "valid": report.Valid, "intact": report.Intact, "unit": report.Unit}, nil
	})
}

// Print starts printing a claimed job; a document job must have passed its
// proofread and seal check.
func (s *Service) Print(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.step(ctx, a, "print.job.print", id, func(j *Job) (map[string]any, error) {
		if err := mine(a, j); err != nil {
			return nil, err
		}
		if err := inState(j, StateClaimed); err != nil {
			return nil, err
		}
		if err := checked(j); err != nil {
			return nil, err
		}
		j.State = StatePrinting
		return nil, nil
	})
}

// Done finishes a job. A document job must have passed its proofread and
// seal check; its 印制 task is then approved through officialdoc (the
// document moves on to 核发) before the job says done. A document that
// has left 印制 meanwhile: moved on, the job is done; taken back, the job
// is cancelled and the answer says so.
func (s *Service) Done(ctx context.Context, a records.Actor, id string, in NoteInput) (View, error) {
	const action = "print.job.done"
	v, err := s.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	j := v.Document
	refuse := func(err error) (View, error) {
		return View{}, s.jobs.Refused(ctx, a, action, Collection+"/"+id, err)
	}
	if !a.P.Can(auth.PermPrintOperate, auth.OfficeWide) {
		return refuse(problem.Forbidden())
	}
	if err := mine(a, &j); err != nil {
		return refuse(err)
	}
	if err := checked(&j); err != nil {
		return refuse(err)
	}
	note := strings.TrimSpace(in.Note)
	if j.Kind == KindDocument {
		task, d, err := s.printTask(ctx, a, &j)
		if err != nil {
			return refuse(err)
		}
		switch {
		case task != "":
			opinion := fmt.Sprintf("印制完成，共%d份", j.Copies)
			if note != "" {
				opinion += "。" + note
			}
			if _, err := s.docs.PrintDone(ctx, a, task, opinion); err != nil {
				return View{}, err
			}
		case !movedOn(&d):
			if _, err := s.step(ctx, a, "print.job.cancel", id, func(j *Job) (map[string]any, error) {
				j.State, j.ReturnNote, j.Operator, j.OperatorName = StateCancelled, "公文已撤回，不在印制环节", "", ""
				return nil, nil
			}); err != nil {
				return View{}, err
			}
			return refuse(problem.New(409, "print_document_withdrawn", "公文已撤回、不在印制环节，本印制任务已撤销",
				"the document is no longer at 印制: the job is cancelled"))
		}
	}
	return s.step(ctx, a, action, id, func(j *Job) (map[string]any, error) {
		if err := mine(a, j); err != nil {
			return nil, err
		}
		if err := checked(j); err != nil {
			return nil, err
		}
		now := s.jobs.Now()
		j.State, j.DoneAt = StateDone, &now
		if note != "" {
			j.Note = strings.TrimSpace(j.Note + " 印制说明：" + note)
		}
		return map[string]any{"copies": j.Copies, "note": note}, nil
	})
}

// movedOn reports whether a document without a 印制 task is past it.
func movedOn(d *officialdoc.Document) bool {
	if d.State == officialdoc.StateCompleted {
		return true
	}
	return slices.ContainsFunc(d.Tasks, func(t officialdoc.Task) bool { return slices.Contains(nodesAfterPrint, t.Node) })
}
