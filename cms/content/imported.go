package content

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"zhengwu/cms/item"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Imports from the office (the data gateway's side of the CMS).
//
// The gateway (gateway/) moves items the office released for the portal.
// The office already approved them, so an import skips the portal review:
// it is published at once by System, its edition records the office's
// approval as the review step 网关 (ImportStep).
//
// Keyed by source id: cms_imports/<sourceID> maps the source to one
// document id. The mapping is created with a create-only put, in the same
// PutAll as the document it names, so two racing imports of one source
// (two gateway processes, a replay racing a live step) agree on one
// document. The document itself carries the source id and the source
// revision it shows (Document.Source), so the check "is this revision
// already live?" and the publication are one compare-and-set: importing
// the same revision again creates nothing, an older revision than the one
// shown is ignored.
//
// WithdrawImport takes the copy back: the document becomes gone (410 for
// readers, not listed) and its portal item keeps no title, since the
// source may have been reclassified; readers get the public notice
// ImportWithdrawnNotice with the time, never the gateway's reason. A later allowed revision (or the same
// one, when the gateway allows it again: an embargo set and lifted, a
// channel restored) publishes it again. What the portal editors did to an
// imported document is respected: a copy an editor withdrew comes back
// only with a newer source revision, one an editor removed never does.
//
// Import and WithdrawImport write no audit entry of their own: their one
// caller, the gateway, audits every crossing and withdrawal with the rule
// that decided it, the source and its revision (gateway.cross,
// gateway.withdraw). One entry per crossing instead of two keeps the bulk
// sync within its write budget (each store write is one SQLite
// transaction).

// ImportsCollection maps a source id to its document id.
const ImportsCollection = "cms_imports"

// ImportStep is the review step recorded on an imported edition.
const ImportStep = "网关"

// ImportWithdrawnNotice is what readers are told about a copy the
// gateway took back, whatever the rule: the rule and the source's
// classification are internal (they stay in the document's withdrawal,
// for the editors, and in the gateway's audit entry).
const ImportWithdrawnNotice = "该信息已由发布部门撤回"

// Source links an imported document to its office item.
type Source struct {
	ID       string `json:"id"`       // the office item id
	Revision int    `json:"revision"` // the source revision last imported
	// Withdrawn: the gateway took the copy back (WithdrawImport), so the
	// same revision may be published again.
	Withdrawn bool `json:"withdrawn,omitempty"`
}

// ImportInput is one released revision of an office item.
type ImportInput struct {
	SourceID       string `json:"sourceId"`
	SourceRevision int    `json:"sourceRevision"`
	Channel        string `json:"channel"`
	Department     string `json:"department"`
	// Type is the content type; default article.
	Type   string `json:"type,omitempty"`
	Fields Fields `json:"fields"`
}

type importMapping struct {
	SourceID string    `json:"sourceId"`
	DocID    string    `json:"docId"`
	At       time.Time `json:"at"`
}

// ImportedDocID returns the document id of a source, or "" if it was never
// imported.
func (s *Service) ImportedDocID(ctx context.Context, sourceID string) (string, error) {
	if sourceID == "" {
		return "", nil
	}
	m, _, err := store.Load[importMapping](ctx, s.store, ImportsCollection, sourceID)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return "", nil
	}
	return m.DocID, err
}

// Import publishes in.SourceRevision of an office item as a portal
// document, creating the document on the first import. changed is false
// when that revision (or a newer one) is already what the document shows,
// or when a portal editor removed the copy. Invalid fields are a 400
// problem, as for an editor's draft.
func (s *Service) Import(ctx context.Context, in ImportInput) (View, bool, error) {
	if in.Type == "" {
		in.Type = "article"
	}
	switch {
	case strings.TrimSpace(in.SourceID) == "" || len(in.SourceID) > 200:
		return View{}, false, problem.Invalid(problem.Field("sourceId", "来源编号为必填字段", "sourceId is required"))
	case in.SourceRevision < 1:
		return View{}, false, problem.Invalid(problem.Field("sourceRevision", "来源版本必须大于0", "sourceRevision must be at least 1"))
	case strings.TrimSpace(in.Department) == "":
		return View{}, false, problem.Invalid(problem.Field("department", "部门为必填字段", "department is required"))
	}
	c, ok := s.channels.Get(in.Channel)
	switch {
	case !ok:
		return View{}, false, problem.Invalid(problem.Field("channel", "栏目不存在", "no such channel"))
	case !c.Accepts(in.Type):
		return View{}, false, problem.Invalid(problem.Field("type", "该栏目不接受此内容类型", "the channel does not take this content type"))
	}
	if err := s.validateFields(ctx, in.Type, "", &in.Fields); err != nil {
		return View{}, false, err
	}
	if in.Fields.Links != nil {
		return View{}, false, problem.Invalid(problem.Field("fields.links", "导入的文档不能带链接", "an import carries no links"))
	}
	var (
		v       View
		changed bool
	)
	err := store.Retry(ctx, func(ctx context.Context) error {
		var err error
		v, changed, err = s.importOnce(ctx, in)
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return View{}, false, problem.Conflict("导入的文档持续被修改，请重试", "the imported document kept changing; retry")
	}
	return v, changed, err
}

// importOnce is one attempt of Import; a conflict means another writer
// (an editor, a second import) got there first, and Import tries again.
func (s *Service) importOnce(ctx context.Context, in ImportInput) (View, bool, error) {
	now := s.now().UTC()
	docID, err := s.ImportedDocID(ctx, in.SourceID)
	if err != nil {
		return View{}, false, err
	}
	fresh := record{Document: Document{Heading: Heading{Type: in.Type, Channel: in.Channel, Department: in.Department},
		CreatedBy: System, CreatedAt: now, Source: &Source{ID: in.SourceID}}}
	var r record
	var expect int64
	var before []store.Write
	if docID == "" {
		// First import: the mapping is created in the same PutAll as the
		// document, so it never points at nothing, and its create-only
		// put decides a race between two first imports: the loser's
		// whole write is refused, and its retry finds the winner's
		// document.
		r = fresh
		r.ID = uuid.NewString()
		m := importMapping{SourceID: in.SourceID, DocID: r.ID, At: now}
		if err := addWrite(&before, ImportsCollection, in.SourceID, m, 0); err != nil {
			return View{}, false, err
		}
	} else {
		doc, err := s.store.Get(ctx, DocumentsCollection, docID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			// A mapping without its document: written before mappings
			// and documents were one PutAll, or by PutAll's ordered
			// fallback (mongostore without transactions), then a crash.
			r = fresh
			r.ID = docID
		case err != nil:
			return View{}, false, err
		default:
			if err := doc.Decode(&r); err != nil {
				return View{}, false, fmt.Errorf("decode %s: %w", docID, err)
			}
			expect = doc.Version
			if r.Source == nil {
				return View{}, false, fmt.Errorf("content: document %s of import %s is not an import", docID, in.SourceID)
			}
			if skip := importCurrent(r, in); skip {
				// Nothing to publish, but finish what a crash may have cut
				// short after the document was written (see finishImport).
				return viewOf(r, doc), false, s.finishImport(ctx, r)
			}
		}
	}
	r.Type, r.Channel, r.Department = in.Type, in.Channel, in.Department
	note := fmt.Sprintf("由数据网关从办公业务系统导入（来源第 %d 版）", in.SourceRevision)
	working, publishAt := r.Draft, r.PublishAt // an editor's working edition stays
	r.Editions++
	r.Draft = &Edition{DocID: r.ID, Number: r.Editions, State: EditionDraft, Fields: in.Fields, ChangeNote: note,
		Editor: System, EditorName: SystemName,
		Reviews: []Review{{Step: ImportStep, Reviewer: System, ReviewerName: SystemName, Decision: DecisionApproved,
			Comment: "办公业务系统已审批发布", At: now}},
		CreatedAt: now, UpdatedAt: now}
	editions := publishDraft(&r, now, System)
	r.Draft, r.PublishAt = working, publishAt
	r.WithdrawAt, r.WithdrawReason = nil, ""
	r.Source = &Source{ID: in.SourceID, Revision: in.SourceRevision}
	// No audit entry here: the caller (the gateway) audits the crossing
	// with the rule that decided it (see the type comment).
	v, err := s.commit(ctx, System, r, expect, now, change{item: true, editions: editions, before: before})
	if err != nil {
		return View{}, false, err
	}
	return v, true, nil
}

// ImportIsCurrent reports whether importing in would change nothing (the
// portal shows that revision, or a newer one, or an editor removed it):
// the gateway asks it of the batch it replays after a restart or a
// takeover, so as not to audit a crossing its predecessor already made.
func (s *Service) ImportIsCurrent(ctx context.Context, in ImportInput) (bool, error) {
	docID, err := s.ImportedDocID(ctx, in.SourceID)
	if err != nil || docID == "" {
		return false, err
	}
	doc, err := s.store.Get(ctx, DocumentsCollection, docID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var r record
	if err := doc.Decode(&r); err != nil {
		return false, fmt.Errorf("decode %s: %w", docID, err)
	}
	if r.Source == nil {
		return false, fmt.Errorf("content: document %s of import %s is not an import", docID, in.SourceID)
	}
	if in.Type == "" {
		in.Type = "article" // as Import
	}
	return importCurrent(r, in), nil
}

// importCurrent reports whether importing in would change nothing.
func importCurrent(r record, in ImportInput) bool {
	rev := in.SourceRevision
	switch {
	case rev < r.Source.Revision:
		return true // older than what was imported: ignored
	case r.Live == StateGone && !r.Source.Withdrawn:
		return true // a portal editor removed it for good
	case rev > r.Source.Revision:
		return false
	case r.Live == StatePublished:
		// This revision is live, unless the office designated it for
		// another channel (or it changed department or type) without a
		// new revision: the designation is not part of the revision.
		return r.Channel == in.Channel && r.Department == in.Department && r.Type == in.Type
	case r.Live == StateWithdrawn:
		return true // an editor withdrew it: only a newer revision returns
	}
	return !r.Source.Withdrawn && r.Live != ""
}

// WithdrawImport takes the portal copy of an office item back (the source
// was withdrawn, reclassified, deleted or is no longer released); reason
// is the rule that decided it. changed is false when there is no copy
// live.
func (s *Service) WithdrawImport(ctx context.Context, sourceID, reason string) (bool, error) {
	docID, err := s.ImportedDocID(ctx, sourceID)
	if err != nil || docID == "" {
		return false, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = "来源不再允许发布"
	}
	withdrawn := false
	err = store.Retry(ctx, func(ctx context.Context) error {
		r, version, err := store.Load[record](ctx, s.store, DocumentsCollection, docID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if r.Source == nil || (r.Live != StatePublished && r.Live != StateWithdrawn) {
			if r.Source != nil {
				return s.finishImport(ctx, r)
			}
			return nil
		}
		now := s.now().UTC()
		r.Live = StateGone
		r.Withdrawal = &item.Notice{Reason: reason, At: now}
		r.WithdrawAt, r.WithdrawReason, r.PublishAt = nil, "", nil
		r.Source.Withdrawn = true
		var editions []*Edition
		if r.Draft != nil && r.Draft.State == EditionScheduled {
			// A scheduled edition of a taken-back copy must not go live.
			r.Draft.State, r.Draft.PublishAt, r.Draft.UpdatedAt = EditionDraft, nil, now
			editions = append(editions, r.Draft)
		}
		if _, err := s.commit(ctx, System, r, version, now, change{item: true, editions: editions}); err != nil {
			return err
		}
		withdrawn = true
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return false, problem.Conflict("导入的文档持续被修改，请重试", "the imported document kept changing; retry")
	}
	return withdrawn, err
}

// finishImport makes the live edition's history entry and the portal item
// what the document says. commit now writes them in one PutAll with the
// document, so on the SQLite store and on MongoDB with transactions there
// is nothing left to finish; it stays, harmless and cheap when they
// already agree, for documents written before that and for PutAll's
// ordered fallback (mongostore without transactions), where a crash can
// still land between the document and what follows it.
func (s *Service) finishImport(ctx context.Context, r record) error {
	if r.Pub != nil {
		e, _, err := store.Load[Edition](ctx, s.store, EditionsCollection, editionID(r.ID, r.Pub.Number))
		if errors.Is(err, store.ErrNotFound) || (err == nil && e.State != r.Pub.State) {
			if _, err := store.Save(ctx, s.store, EditionsCollection, editionID(r.ID, r.Pub.Number), r.Pub, store.AnyVersion); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	want, ok := s.itemOf(r, r.Pub)
	if !ok {
		return nil
	}
	have, _, err := store.Load[item.Item](ctx, s.store, item.Collection, r.ID)
	if err == nil && sameItem(have, want) {
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	_, err = store.Save(ctx, s.store, item.Collection, r.ID, want, store.AnyVersion)
	return err
}
