package print

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// The intake: a follower of the change feed that reads each changed
// outgoing document as it is now and keeps its print job in step —
//
//   - at 印制 with no job: the job is made (its id DocumentJobID, so two
//     processes, or a feed replayed after a crash, make it once);
//   - at 印制 again after its job was returned, cancelled or done (the
//     flow took it back and brought it again): the job is reopened for
//     another round, with a new file;
//   - no longer at 印制 while its job waits unclaimed: the job is
//     cancelled (someone did the task on the document itself, or the
//     flow was withdrawn). A claimed job is left to its operator, whose
//     done finds out where the document went (Done).
//
// Following the feed keeps officialdoc unaware of the print room: its
// step commit stays one write of its own documents, and whatever moves a
// document to 印制 (a step, a withdrawal, a flow edited by the business
// administrator) is seen the same way.

// intakeCollection keeps the intake's position in the feed.
const intakeCollection = "print_intake"

// intakeCheckpoint is the intake's stored position.
type intakeCheckpoint struct {
	Seq int64 `json:"seq"`
}

// system is the actor of the jobs the intake makes.
var system = records.Actor{P: &auth.Principal{UserID: "system", Name: "系统"}, IP: "local"}

// DocumentJobID is the id of a document's print job (officialdoc's
// PrintJobID, which the 印制 task's link names).
func DocumentJobID(documentID string) string { return officialdoc.PrintJobID(documentID) }

// follower follows the feed from the stored checkpoint. The position is
// kept in memory and stored only with a batch that held a document: a
// store write for every batch would be a change of its own, which the next
// batch would store again, without end. After a restart the changes since
// the last stored batch come again, which is harmless (take reads each
// document as it is now).
func (s *Service) follower() *store.Follower {
	var mu sync.Mutex
	seq := int64(-1) // not read yet
	return &store.Follower{Store: s.store, Name: "print intake", Logger: s.log,
		Checkpoint: func(ctx context.Context) (int64, error) {
			mu.Lock()
			defer mu.Unlock()
			if seq >= 0 {
				return seq, nil
			}
			cp, _, err := store.Load[intakeCheckpoint](ctx, s.store, intakeCollection, officialdoc.Collection)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return 0, err
			}
			seq = cp.Seq
			return seq, nil
		},
		Apply: func(ctx context.Context, changes []store.Change) error {
			seen := map[string]bool{}
			for _, ch := range changes {
				if ch.Collection != officialdoc.Collection || seen[ch.ID] {
					continue
				}
				seen[ch.ID] = true
				if err := s.take(ctx, ch.ID); err != nil {
					return err
				}
			}
			last := changes[len(changes)-1].Seq
			if len(seen) > 0 {
				if _, err := store.Save(ctx, s.store, intakeCollection, officialdoc.Collection,
					intakeCheckpoint{Seq: last}, store.AnyVersion); err != nil {
					return err
				}
			}
			mu.Lock()
			seq = last
			mu.Unlock()
			return nil
		}}
}

// Sync applies every change committed so far to the jobs: a document at
// 印制 has its job when it returns (for the demo, seeded before Start).
func (s *Service) Sync(ctx context.Context) error { return s.intake.CatchUp(ctx) }

// take brings the job of one document in step with it. The job is read
// before the document: a job done before that read belongs to a document
// that had already left 印制 then.
func (s *Service) take(ctx context.Context, docID string) error {
	for range 3 { // a concurrent change of the job: read both again
		err := s.takeOnce(ctx, docID)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return nil // a third conflict: someone else is keeping it in step
}

func (s *Service) takeOnce(ctx context.Context, docID string) error {
	j, jver, err := store.Load[Job](ctx, s.store, Collection, DocumentJobID(docID))
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	d, _, err := store.Load[officialdoc.Document](ctx, s.store, officialdoc.Collection, docID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	atPrint := d.Direction == officialdoc.Outgoing && d.State == officialdoc.StateProcessing &&
		slices.ContainsFunc(d.Tasks, func(t officialdoc.Task) bool { return t.Node == nodePrint })
	switch {
	case atPrint && !found:
		j = Job{ID: DocumentJobID(d.ID), Kind: KindDocument, Round: 1, CreatedAt: s.jobs.Now()}
		s.fill(ctx, &j, &d)
		_, _, err = s.jobs.Put(ctx, system, "print.job.create", j, 0, details(&j))
	case atPrint && !j.open():
		s.fill(ctx, &j, &d)
		j.Round++
		_, _, err = s.jobs.Put(ctx, system, "print.job.reopen", j, jver, details(&j))
	case !atPrint && found && j.State == StateQueued:
		j.State, j.ReturnNote, j.UpdatedAt = StateCancelled, "公文已离开印制环节（在公文中办理或已撤回）", s.jobs.Now()
		_, _, err = s.jobs.Put(ctx, system, "print.job.cancel", j, jver, map[string]any{"state": j.State})
	}
	return err
}

func details(j *Job) map[string]any {
	return map[string]any{"document": j.Document, "docNumber": j.DocNumber, "classification": string(j.Classification),
		"copies": j.Copies, "room": j.Room, "file": j.File, "round": j.Round}
}

// fill makes j the queued job of document d as it is now: its fields, a
// due time from now, a room its 密级 allows, the file rendered and stored.
func (s *Service) fill(ctx context.Context, j *Job, d *officialdoc.Document) {
	now := s.jobs.Now()
	urgency := d.Urgency
	if urgency == "" {
		urgency = Pingjian
	}
	j.Document, j.DocNumber, j.Sealed, j.Title = d.ID, d.DocNumber, d.Sealed, d.Title
	j.Department, j.Classification, j.Urgency, j.Due = d.Department, d.Classification, urgency, s.dueOf(now, urgency)
	j.Readers = officialdoc.AccessOf(d).Readers
	if j.Copies == 0 {
		j.Copies = defaultCopies(d)
	}
	if j.Room == "" || !roomCovers(j.Room, j) {
		j.Room, j.RoomName = "", ""
		for _, r := range Rooms {
			if r.Max.Covers(d.Classification) {
				j.Room, j.RoomName = r.ID, r.Name
				break
			}
		}
	}
	copyRange(j, 1)
	j.State, j.Operator, j.OperatorName, j.Proofread, j.SealCheck, j.DoneAt = StateQueued, "", "", nil, nil, nil
	j.ReturnNote, j.UpdatedAt = "", now
	j.File, j.FileError = "", ""
	j.FileName = fileName(d)
	data, err := s.render(ctx, d.ID)
	if err == nil {
		j.File, err = s.files.Add(ctx, system.P.UserID, j.FileName, data)
	}
	if err != nil {
		// The job still exists and says why it has no file: a missing font
		// is fixed by the administrator, then the document sent again.
		s.log.Error("print: the document's file was not made", "document", d.ID, "err", err)
		j.FileError = "印制文件生成失败：" + err.Error()
	}
}

func roomCovers(id string, j *Job) bool {
	_, err := roomOf(id, "room", j.Classification)
	return err == nil
}

// defaultCopies is a document's 份数 until the clerk sets it: one per
// recipient named in 主送 and 抄送, and two kept (存档, 办文).
func defaultCopies(d *officialdoc.Document) int {
	n := 0
	for _, entry := range append(slices.Clone(d.MainTo), d.CopyTo...) {
		n += len(strings.FieldsFunc(entry, func(r rune) bool { return strings.ContainsRune("，、；,;", r) }))
	}
	return n + 2
}

// fileName is the file's name: the 文号 and title.
func fileName(d *officialdoc.Document) string {
	name := strings.TrimSpace(d.DocNumber + " " + d.Title)
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, name)
	return name + ".pdf"
}
