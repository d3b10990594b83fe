package print

import (
	"context"
	"io"

	"zhengwu/officeapi/records"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Download is the job's file for a reader of the job (404 otherwise),
// recorded in the audit trail once opened: who took which job's file, of
// which 密级 — a file to be printed and carried away is a security event.
// The caller closes the File's Body.
func (s *Service) Download(ctx context.Context, a records.Actor, id string) (Job, File, error) {
	v, err := s.Get(ctx, a.P, id)
	if err != nil {
		return Job{}, File{}, err
	}
	j := v.Document
	if j.File == "" {
		return Job{}, File{}, problem.NotFound("该印制任务没有文件", "the job has no file")
	}
	f, err := s.files.Open(ctx, j.File)
	if err != nil {
		return Job{}, File{}, err
	}
	if _, err := s.trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "print.job.download",
		Target: Collection + "/" + j.ID, Outcome: audit.Success, Details: map[string]any{"file": j.File,
			"classification": string(j.Classification), "document": j.Document, "docNumber": j.DocNumber, "bytes": f.Size}}); err != nil {
		f.Body.Close()
		return Job{}, File{}, err
	}
	if f.Name == "" {
		f.Name = j.FileName
	}
	return j, f, nil
}

// SealedFile is the file of document id's print job — the sealed PDF the
// print room prints — if p may read the job (a 404 problem otherwise, or
// when it has no file): what the seal's GET /documents/{id}/pdf/verify
// checks (sealhttp.SealedFile).
func (s *Service) SealedFile(ctx context.Context, p *auth.Principal, id string) ([]byte, error) {
	v, err := s.Get(ctx, p, DocumentJobID(id))
	if err != nil {
		return nil, err
	}
	if v.Document.File == "" {
		return nil, problem.NotFound("该公文尚无印制文件", "the document has no print file yet")
	}
	f, err := s.files.Open(ctx, v.Document.File)
	if err != nil {
		return nil, err
	}
	defer f.Body.Close()
	return io.ReadAll(io.LimitReader(f.Body, maxFile))
}

// MediaRule is how the media store decides a download of a job's file:
// whoever may read the job (AccessOf: the print room, the sender, the
// document's readers) may read the file it attaches.
func MediaRule(st store.Store) attachment.Rule {
	return attachment.AccessRule(st, Collection, (*Job).files, AccessOf)
}
