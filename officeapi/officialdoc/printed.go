package officialdoc

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
)

// Printed hands the document to render (its printed form: the GB/T 9704
// PDF) if a may read it — 404 otherwise, as Get — and records the download
// in the audit trail once the file is made: who took which document, of
// which 密级, in which form. A file that may be printed and carried away is
// a security event (GB/T 22239: audit of every user's security events),
// more so for a classified document.
func (s *Service) Printed(ctx context.Context, a records.Actor, id, form string, render func(Document) ([]byte, error)) (Document, []byte, error) {
	d, _, err := s.docs.Get(ctx, a.P, id)
	if err != nil {
		return Document{}, nil, err
	}
	out, err := render(d)
	if err != nil {
		return Document{}, nil, err
	}
	if _, err := s.trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "officialdoc.download",
		Target: Collection + "/" + d.ID, Outcome: audit.Success, Details: map[string]any{"form": form,
			"classification": string(d.Classification), "docNumber": d.DocNumber, "bytes": len(out)}}); err != nil {
		return Document{}, nil, err
	}
	return d, out, nil
}
