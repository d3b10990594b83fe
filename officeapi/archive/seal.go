package archive

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Input archives a document (归档).
type Input struct {
	Document string `json:"document" validate:"required,max=64,nocontrol" doc:"公文 id"`
	// Retention: "" takes the default of the document's 文种 (DefaultRetention).
	Retention string `json:"retention" validate:"omitempty,oneof=永久 定期30年 定期10年" doc:"保管期限（不填按文种默认）"`
}

// nodeArchive is the 归档 node of both default flows.
const nodeArchive = "archive"

// DefaultRetention is the retention a 文种 gets when 归档 chooses none:
// 永久 for the documents that make rules or decide (决议, 决定, 命令, 公报,
// 公告, 议案), 定期10年 for a 函, 定期30年 for the rest.
func DefaultRetention(docType string) string {
	switch docType {
	case "决议", "决定", "命令", "公报", "公告", "议案":
		return Permanent
	case "函":
		return Term10
	}
	return Term30
}

// Archive seals a finished document into the archive and moves its flow
// on. The caller is the holder of the document's 归档 task (the clerk the
// flow chose; the task is then done with the 档号 as its opinion), or an
// archivist (archive.manage office-wide, cleared for its 密级) taking a
// document already 办结 into custody. Archiving a document twice answers
// the record made the first time.
func (s *Service) Archive(ctx context.Context, a records.Actor, in Input) (View, error) {
	if s.docs == nil {
		return View{}, errors.New("archive: an intake without Docs archives no document")
	}
	if in.Retention != "" && !slices.Contains(Retentions, in.Retention) {
		return View{}, problem.Invalid(problem.Field("retention", "保管期限只能是永久、定期30年或定期10年", "retention must be 永久, 定期30年 or 定期10年"))
	}
	d, err := s.document(ctx, a.P, in.Document)
	if err != nil {
		return View{}, err
	}
	var task *officialdoc.Task
	for i, t := range d.Tasks {
		if t.Node == nodeArchive && t.Assignee == a.P.UserID {
			task = &d.Tasks[i]
		}
	}
	existing, _, gerr := s.recs.Get(ctx, a.P, d.ID)
	switch {
	case gerr == nil && task == nil:
		return records.ViewOf(s.recs.Get(ctx, a.P, d.ID))
	case task == nil && d.State == officialdoc.StateCompleted:
		if !a.P.Can(auth.PermArchiveManage, auth.OfficeWide) {
			return View{}, s.recs.Refused(ctx, a, "archive.create", Collection+"/"+d.ID, problem.Forbidden())
		}
	case task == nil:
		return View{}, s.recs.Refused(ctx, a, "archive.create", Collection+"/"+d.ID,
			problem.InvalidState("公文尚未到归档环节，或归档不是本人的待办", "the document is not at 归档, or 归档 is not the caller's task"))
	}
	if gerr != nil {
		if pe := problem.As(gerr); pe == nil || pe.Status != 404 {
			return View{}, gerr
		}
		existing, err = s.seal(ctx, a, d, in.Retention)
		if errors.Is(err, errArchived) {
			existing, _, err = s.recs.Get(ctx, a.P, d.ID)
		}
		if err != nil {
			return View{}, err
		}
	}
	if task != nil {
		if _, err := s.docs.Act(ctx, a, task.ID, officialdoc.ActionInput{Action: "approve",
			Opinion: "已归档，档号 " + existing.ArchiveNo + "，保管期限 " + existing.Retention}); err != nil && !s.taskDone(ctx, a, d.ID, task.ID) {
			return View{}, err
		}
	}
	return records.ViewOf(s.recs.Get(ctx, a.P, existing.ID))
}

// document is the document p archives: one p may read (officialdoc's
// rule), or, for an archivist cleared for its 密级, any 办结 one; else the
// 404 officialdoc answers.
func (s *Service) document(ctx context.Context, p *auth.Principal, id string) (officialdoc.Document, error) {
	v, err := s.docs.Get(ctx, p, id)
	if err == nil {
		return v.Document, nil
	}
	if pe := problem.As(err); pe == nil || pe.Status != 404 || !p.Can(auth.PermArchiveManage, auth.OfficeWide) {
		return officialdoc.Document{}, err
	}
	d, _, lerr := store.Load[officialdoc.Document](ctx, s.store, officialdoc.Collection, id)
	if lerr != nil || d.State != officialdoc.StateCompleted || !p.MayRead(d.Classification) {
		return officialdoc.Document{}, err
	}
	return d, nil
}

// Sweep archives, as the system and with the default retention, every
// 办结 document that has no record: one whose 归档 task was done through
// the plain task action rather than Archive. The scheduled pass runs it.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	a := records.Actor{P: system, IP: "scheduler"}
	n := 0
	for doc, err := range store.ScanAll(ctx, s.store, officialdoc.Collection, "") {
		if err != nil {
			return n, err
		}
		var d officialdoc.Document
		if err := doc.Decode(&d); err != nil || d.State != officialdoc.StateCompleted {
			continue
		}
		if _, err := s.store.Get(ctx, Collection, d.ID); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return n, err
		}
		if _, err := s.seal(ctx, a, d, ""); errors.Is(err, errArchived) {
			continue
		} else if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// seal makes the record: the parts stored first (a record always has its
// bytes), then the record with the next 件号 of its 年度 and retention in
// one commit with its audit entry.
func (s *Service) seal(ctx context.Context, a records.Actor, d officialdoc.Document, retention string) (Record, error) {
	if retention == "" {
		retention = DefaultRetention(d.DocType)
	}
	parts, err := s.parts(ctx, a, d)
	if err != nil {
		return Record{}, err
	}
	now := s.now()
	year := now.In(s.zone).Year()
	if w, err := time.ParseInLocation(time.DateOnly, d.WrittenOn, s.zone); err == nil {
		year = w.Year() // 年度: the year the document was made (DA/T 22)
	}
	acc := officialdoc.AccessOf(&d)
	r := Record{ID: d.ID, Fonds: s.fonds, Year: year, Retention: retention, Document: d.ID,
		Direction: d.Direction, DocType: d.DocType, Title: d.Title, DocNumber: d.DocNumber, Issuer: d.Issuer,
		WrittenOn: d.WrittenOn, Classification: d.Classification, SecrecyPeriod: d.SecrecyPeriod, Department: d.Department,
		Readers: acc.Readers, Parts: parts, ArchivedAt: now, ArchivedBy: a.P.UserID, ArchivedName: a.P.Name,
		Status: StatusValid, Fixity: FixityUnchecked, ExpiresOn: expiry(year, retention)}
	if r.Readers == nil {
		r.Readers = []string{}
	}
	_, err = audit.UpdateAll(ctx, s.trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
		var old Record
		if found, err := b.Load(ctx, Collection, r.ID, &old); err != nil || found {
			return nil, cmp.Or(err, errArchived)
		}
		n, err := b.Next(ctx, sequenceName(s.fonds, year, retention))
		if err != nil {
			return nil, err
		}
		r.ItemNo = int(n)
		r.ArchiveNo = archiveNo(s.fonds, year, retention, n)
		r.ContentSHA256 = contentDigest(&r)
		r.Events = []Event{{Kind: EventArchived, At: now, By: a.P.UserID, ByName: a.P.Name, Retention: retention}}
		if err := b.Save(Collection, r.ID, r); err != nil {
			return nil, err
		}
		b.Add(attachment.Writes(Collection, r.ID, r.files()...)...)
		return []audit.Event{{Actor: a.P.UserID, ActorIP: a.IP, Action: "archive.create", Target: Collection + "/" + r.ID,
			Outcome: audit.Success, Details: map[string]any{"archiveNo": r.ArchiveNo, "retention": retention,
				"classification": string(r.Classification), "parts": len(r.Parts), "contentSha256": r.ContentSHA256}}}, nil
	})
	if errors.Is(err, errArchived) || errors.Is(err, store.ErrConflict) {
		return Record{}, errArchived
	}
	if err != nil {
		return Record{}, err
	}
	s.Notify()
	return r, nil
}

// errArchived: the document was archived meanwhile (another call at the
// same time); its record is the answer. seal's callers take it so.
var errArchived = errors.New("archive: the document was archived meanwhile")

// sequenceName names the 件号 sequence: one per 全宗, 年度 and retention.
func sequenceName(fonds string, year int, retention string) string {
	return "archive/" + fonds + "/" + strconv.Itoa(year) + "/" + retentionCode[retention]
}

// archiveNo is the 档号: 全宗号-年度-保管期限代码-件号.
func archiveNo(fonds string, year int, retention string, n int64) string {
	return fmt.Sprintf("%s-%d-%s-%04d", fonds, year, retentionCode[retention], n)
}

// expiry is the last day a record is kept: 31 December of 年度 + the
// period ("" for 永久).
func expiry(year int, retention string) string {
	n, ok := retentionYears[retention]
	if !ok {
		return ""
	}
	return fmt.Sprintf("%04d-12-31", year+n)
}

// parts stores the document's parts and returns them with their digests:
// the document, its revisions and its flow instance (every step: who,
// when, the opinion) as stored, the sealed PDF, the attachments.
func (s *Service) parts(ctx context.Context, a records.Actor, d officialdoc.Document) ([]Part, error) {
	revs := make([]officialdoc.Revision, 0, d.Revision)
	for n := 1; n <= d.Revision; n++ {
		r, _, err := store.Load[officialdoc.Revision](ctx, s.store, officialdoc.RevisionCollection, fmt.Sprintf("%s@%d", d.ID, n))
		if err != nil {
			return nil, fmt.Errorf("archive: revision %d of %s: %w", n, d.ID, err)
		}
		revs = append(revs, r)
	}
	flow, _, err := store.Load[workflow.Instance](ctx, s.store, workflow.InstanceCollection, d.ID)
	if err != nil {
		return nil, fmt.Errorf("archive: the flow of %s: %w", d.ID, err)
	}
	pdf, err := s.pdf(ctx, a, d)
	if err != nil {
		return nil, err
	}
	var out []Part
	put := func(kind, name string, data []byte) error {
		id, err := s.files.Put(ctx, a, name, data)
		if err != nil {
			return err
		}
		out = append(out, Part{Kind: kind, Name: name, Media: id, Size: int64(len(data)), SHA256: sum(data)})
		return nil
	}
	for _, p := range []struct {
		kind, name string
		v          any
	}{{PartDocument, "document.json", d}, {PartRevisions, "revisions.json", revs}, {PartFlow, "flow.json", flow}} {
		data, err := json.MarshalIndent(p.v, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := put(p.kind, p.name, data); err != nil {
			return nil, err
		}
	}
	if err := put(PartPDF, fileName(d)+".pdf", pdf); err != nil {
		return nil, err
	}
	for i, m := range d.Attachments {
		name, data, err := s.files.Get(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("archive: attachment %s of %s: %w", m, d.ID, err)
		}
		out = append(out, Part{Kind: PartAttachment, Name: fmt.Sprintf("附件%d-%s", i+1, name), Media: m,
			Size: int64(len(data)), SHA256: sum(data)})
	}
	return out, nil
}

// fileName is a document's file name: its 发文字号, else its title, without
// the characters file systems refuse.
func fileName(d officialdoc.Document) string {
	name := d.DocNumber
	if name == "" {
		name = d.Title
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return -1
		}
		return r
	}, name)
}

// taskDone reports that the document's task is no longer open: another
// call archiving the same document at the same time completed it.
func (s *Service) taskDone(ctx context.Context, a records.Actor, doc, task string) bool {
	v, err := s.docs.Get(ctx, a.P, doc)
	return err == nil && !slices.ContainsFunc(v.Document.Tasks, func(t officialdoc.Task) bool { return t.ID == task })
}
