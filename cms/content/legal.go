package content

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
)

// Legal-status propagation (效力联动).
//
// When an edition of a policy file that repeals or amends other policy
// files goes live (published after review, published by the scheduler, or
// republished by a rollback), each target's validity follows: a repealed
// target becomes 已废止, an amended one 已修改 (unless it is already
// 已废止). This is done the GOV.UK way: the target gets a new edition that
// copies its live fields with the new validity and the change note
// "因《<title>》（<docNumber>）废止" (or 修改), published at once. The step
// is a system step (the edition's editor is System) attributed to the
// publisher of the repealing file (its reviewer, its PublishedBy and the
// audit actor), so history, diff and rollback of the target work as for
// any edition, and the target's portal item (edition, ETag, Last-Modified)
// changes.
//
// Rules:
//   - Idempotent: a target whose live validity already says what the link
//     says is left alone, so publishing the repealing file again (a new
//     edition, a rollback to an edition with the link) creates no edition.
//   - Only published targets change. A target that is not live (never
//     published, withdrawn, redirected, gone) is left alone; the audit
//     trail records that (portal.document.validity, outcome failure, with
//     the reason).
//   - A target with a working edition (draft, in review, scheduled) keeps
//     it; the working edition's validity is updated too, so that publishing
//     it later does not silently restore 有效. The system edition takes the
//     next edition number, so it is numbered after the working edition.
//   - A system edition does not propagate further (no cascades, no loops).
//   - Not automatically undone: rolling the repealing file back to an
//     edition without the link (or withdrawing or removing it) does not
//     restore the target. Whether the target is in force again is a legal
//     decision an editor makes on the target (edit its validity, or roll
//     it back to the edition before the system edition); restoring it
//     behind the editors' backs could revive a file a later one also
//     repealed.

// ValidityStep is the review step recorded on a system edition.
const ValidityStep = "效力变更"

// SystemName is the display name of System on editions.
const SystemName = "系统"

// actionValidity is the audit action of a propagated validity change.
const actionValidity = "portal.document.validity"

// propagate applies the live edition of src (a policy file just
// published) to the files it repeals and amends. Failures are logged and
// audited; the source's publication stands.
func (s *Service) propagate(ctx context.Context, src record) {
	if src.Type != channel.TypePolicy || src.Pub == nil || src.Live != StatePublished {
		return
	}
	l := src.Pub.Fields.Links
	if l == nil || len(l.Repeals)+len(l.Amends) == 0 {
		return
	}
	by := publisherOf(src.Pub)
	for _, id := range l.Repeals {
		s.propagateOne(ctx, src, id, item.ValidityRepealed, "废止", by)
	}
	for _, id := range l.Amends {
		if slices.Contains(l.Repeals, id) {
			continue
		}
		s.propagateOne(ctx, src, id, item.ValidityAmended, "修改", by)
	}
}

// publisherOf is who a propagated change is attributed to: the publisher
// of the edition, or for a scheduled publication (published by System)
// the reviewer who approved its last step.
func publisherOf(e *Edition) string {
	if e.PublishedBy != "" && e.PublishedBy != System {
		return e.PublishedBy
	}
	for i := len(e.Reviews) - 1; i >= 0; i-- {
		if e.Reviews[i].Decision == DecisionApproved && e.Reviews[i].Reviewer != "" {
			return e.Reviews[i].Reviewer
		}
	}
	return System
}

// wants reports whether a file with validity cur must change to want.
func wants(cur, want string) bool {
	if cur == want {
		return false
	}
	// An amendment does not revive or soften a repealed file.
	return !(want == item.ValidityAmended && cur == item.ValidityRepealed)
}

func (s *Service) propagateOne(ctx context.Context, src record, id, want, verb, by string) {
	details := map[string]any{"source": src.ID, "sourceEdition": src.Pub.Number, "validity": want}
	err := store.Retry(ctx, func(ctx context.Context) error {
		doc, err := s.store.Get(ctx, DocumentsCollection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			s.auditActor(ctx, by, actionValidity, id, audit.Failure, "target does not exist", details)
			return nil
		}
		if err != nil {
			s.log.Error("validity propagation failed", "source", src.ID, "target", id, "err", err)
			s.auditActor(ctx, by, actionValidity, id, audit.Failure, "target cannot be read: "+err.Error(), details)
			return nil
		}
		var r record
		if err := doc.Decode(&r); err != nil {
			s.log.Error("validity propagation failed", "source", src.ID, "target", id, "err", err)
			return nil
		}
		switch {
		case r.Type != channel.TypePolicy:
			s.auditActor(ctx, by, actionValidity, id, audit.Failure, "target is not a policy file", details)
			return nil
		case r.Live != StatePublished || r.Pub == nil:
			state := r.Live
			if state == "" {
				state = "unpublished"
			}
			details["state"] = state
			s.auditActor(ctx, by, actionValidity, id, audit.Failure, "target is not published ("+state+"); left alone", details)
			return nil
		case !wants(r.Pub.Fields.Validity, want):
			return nil // already so: idempotent
		}
		now := s.now().UTC()
		ch := systemEdition(&r, src, want, verb, by, now)
		ch.details["source"], ch.details["sourceEdition"] = src.ID, src.Pub.Number
		_, err = s.commit(ctx, by, r, doc.Version, now, ch)
		return err
	})
	switch {
	case err == nil:
	case errors.Is(err, store.ErrConflict):
		s.auditActor(ctx, by, actionValidity, id, audit.Failure, "target kept changing; gave up", details)
	default:
		s.log.Error("validity propagation failed", "source", src.ID, "target", id, "err", err)
		s.auditActor(ctx, by, actionValidity, id, audit.Failure, err.Error(), details)
	}
}

// systemEdition publishes a copy of r's live edition with validity want,
// keeping r's working edition (whose validity follows) and its schedule.
func systemEdition(r *record, src record, want, verb, by string, now time.Time) change {
	f := src.Pub.Fields
	note := fmt.Sprintf("因《%s》（%s）%s", f.Title, f.DocNumber, verb)
	from := r.Pub.Fields.Validity
	fields := r.Pub.Fields
	fields.Validity = want
	working, publishAt := r.Draft, r.PublishAt
	r.Editions++
	r.Draft = &Edition{DocID: r.ID, Number: r.Editions, State: EditionDraft, Fields: fields, ChangeNote: note,
		Editor: System, EditorName: SystemName,
		Reviews:   []Review{{Step: ValidityStep, Reviewer: by, Decision: DecisionApproved, Comment: note, At: now}},
		CreatedAt: now, UpdatedAt: now}
	changed := publishDraft(r, now, by)
	r.Draft, r.PublishAt = working, publishAt
	details := map[string]any{"edition": r.Pub.Number, "from": from, "to": want, "changeNote": note, "system": true}
	if working != nil && wants(working.Fields.Validity, want) {
		working.Fields.Validity = want
		working.UpdatedAt = now
		changed = append(changed, working)
		details["workingEdition"] = working.Number
	}
	return change{action: actionValidity, item: true, editions: changed, details: details}
}
