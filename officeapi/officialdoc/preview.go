package officialdoc

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Preview is the document a draft form's fields make, not stored: what
// Create would file, for its printed form while it is being drafted (the
// SPA's live preview). It asks what Create asks of the drafter — doc.draft
// in the department, clearance for the 密级 — but not the rules a draft
// must meet to be filed (an issuer code, one 主送 for a 请示): a preview
// shows the draft as it stands.
//
// Nothing is read from the store and nothing is written, so nothing is
// audited either: the caller sees only what they typed (the audit trail
// records the downloads of stored documents, Printed; a refusal is
// recorded, as every refusal is). The attachments
// are read by the caller as readers of the files (the HTTP layer asks the
// media store).
func (s *Service) Preview(ctx context.Context, a records.Actor, in Input) (Document, error) {
	dept, err := records.FilingDepartment(a.P, in.Department)
	if err != nil {
		return Document{}, err
	}
	if !a.P.Can(auth.PermDocDraft, dept) {
		return Document{}, s.docs.Refused(ctx, a, "officialdoc.preview", Collection+"/"+dept, problem.Forbidden())
	}
	if !a.P.MayRead(in.Classification) {
		return Document{}, problem.Invalid(problem.Field("classification", "密级不能高于本人的涉密等级", "above your clearance"))
	}
	d := draftOf(a, in, dept, s.docs.Now())
	d.ID = ""
	return d, nil
}
