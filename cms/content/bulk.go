package content

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/validation"
)

// Bulk import of an old site's content (zhengwu import, cms/bulkimport).
//
// Unlike the gateway's Import, a bulk import acts as a named account and
// goes through that account's rights, as an editor's Create does: portal
// edit in the department and the channel. Whether the item is published at
// once or left as a draft is decided by the account, not by the caller:
// one who may take the last review step (an office-wide reviewer who may
// publish) would approve it anyway, and the content was already public on
// the old site, so it goes live with a review step BulkStep that records
// who imported it; anyone else's import lands as drafts in the ordinary
// review flow.
//
// Keyed like the gateway's imports, in a collection of their own (the
// gateway reconciles every mapping of cms_imports against the office):
// cms_bulk_imports/<key> maps the source key to one document, created
// with a create-only put in the same PutAll as the document, so a rerun
// (or two racing runs) of the same export creates nothing twice. A rerun
// never overwrites: what the editors did to an imported document since is
// theirs.

// BulkStep is the review step recorded on a bulk-imported published edition.
const BulkStep = "批量导入"

// BulkImportsCollection maps a bulk import key to its document id.
const BulkImportsCollection = "cms_bulk_imports"

// BulkImportedDocID returns the document id of a bulk import key, or ""
// if it was never imported.
func (s *Service) BulkImportedDocID(ctx context.Context, key string) (string, error) {
	if key == "" {
		return "", nil
	}
	m, _, err := store.Load[importMapping](ctx, s.store, BulkImportsCollection, key)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return "", nil
	}
	return m.DocID, err
}

// BulkInput is one item of a bulk import.
type BulkInput struct {
	// Key identifies the item in its source (e.g. a digest of the export
	// and its row id); the same key imports once.
	Key        string `json:"key" validate:"required,max=120,nocontrol"`
	Type       string `json:"type" validate:"required,oneof=article policy speech activity report"`
	Channel    string `json:"channel" validate:"required,max=64,nocontrol"`
	Department string `json:"department" validate:"required,max=64,nocontrol"`
	Fields     Fields `json:"fields"`
	// Origin says where it came from (a file path, an export row), for
	// the change note and the audit entry.
	Origin string `json:"origin" validate:"max=500"`
	// PublishedAt is when the old site published it: the portal item's
	// first publication date when it is published here (never in the
	// future; now when absent).
	PublishedAt *time.Time `json:"publishedAt,omitempty"`
}

// The years an imported item's publication date may have (see CheckBulk).
const (
	EarliestPublication = 1900
	LatestPublication   = 2200
)

// BulkPublishes reports whether p's bulk imports are published at once
// (see the comment above) rather than left as drafts.
func BulkPublishes(p *auth.Principal) bool {
	return p != nil && mayTake(p, needPublisher, "")
}

// CheckBulk validates in as BulkImport would (rights, channel, type,
// fields), writing nothing: the dry run. Attachments are checked against
// the media store only when they exist there already (a dry run has not
// stored them).
func (s *Service) CheckBulk(ctx context.Context, p *auth.Principal, in *BulkInput) error {
	if err := checkPrincipal(p); err != nil {
		return err
	}
	if err := validation.Struct(in); err != nil {
		return err
	}
	c, ok := s.channels.Get(in.Channel)
	switch {
	case !ok:
		return problem.Invalid(problem.Field("channel", "栏目不存在", "no such channel"))
	case !c.Accepts(in.Type):
		return problem.Invalid(problem.Field("type", "该栏目不接受此内容类型", "the channel does not take this content type"))
	}
	if !p.Can(PermEdit, in.Department) {
		return problem.Forbidden()
	}
	if err := s.mayWriteIn(p, c); err != nil {
		return err
	}
	if in.Fields.Links != nil {
		return problem.Invalid(problem.Field("fields.links", "导入的文档不能带链接", "an import carries no links"))
	}
	if t := in.PublishedAt; t != nil && (t.Year() < EarliestPublication || t.Year() > LatestPublication) {
		// A mistyped year (1600, 0202) is refused: the portal's lists hold
		// their times as int64 nanoseconds (cms/delivery), which reach
		// only 1678–2262, and no old site published before 1900.
		return problem.Invalid(problem.Field("publishedAt",
			fmt.Sprintf("发布时间的年份须在 %d 至 %d 之间", EarliestPublication, LatestPublication),
			fmt.Sprintf("the publication year must be from %d to %d", EarliestPublication, LatestPublication)))
	}
	return s.validateFields(ctx, in.Type, "", &in.Fields)
}

// BulkImport creates the document of in, published or as a draft (see
// BulkPublishes), unless its key was imported before: then it returns
// that document with created false. The change and its audit entry
// (portal.document.import) commit together.
func (s *Service) BulkImport(ctx context.Context, p *auth.Principal, in BulkInput) (v View, created bool, err error) {
	if err := s.CheckBulk(ctx, p, &in); err != nil {
		return View{}, false, err
	}
	err = store.Retry(ctx, func(ctx context.Context) error {
		var err error
		v, created, err = s.bulkOnce(ctx, p, in)
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return View{}, false, problem.Conflict("导入的文档持续被修改，请重试", "the imported document kept changing; retry")
	}
	return v, created, err
}

func (s *Service) bulkOnce(ctx context.Context, p *auth.Principal, in BulkInput) (View, bool, error) {
	key := in.Key
	docID, err := s.BulkImportedDocID(ctx, key)
	if err != nil {
		return View{}, false, err
	}
	now := s.now().UTC()
	var before []store.Write
	if docID != "" {
		doc, err := s.store.Get(ctx, DocumentsCollection, docID)
		if err == nil {
			var r record
			if err := doc.Decode(&r); err != nil {
				return View{}, false, fmt.Errorf("decode %s: %w", docID, err)
			}
			return viewOf(r, doc), false, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return View{}, false, err
		}
		// A mapping without its document (PutAll's ordered fallback,
		// then a crash): create the document under the mapped id.
	} else {
		docID = uuid.NewString()
		// Create-only: a racing run of the same key loses here and its
		// retry finds the winner's document.
		if err := addWrite(&before, BulkImportsCollection, key, importMapping{SourceID: key, DocID: docID, At: now}, 0); err != nil {
			return View{}, false, err
		}
	}
	note := "批量导入：" + in.Origin
	if len([]rune(note)) > 500 {
		note = string([]rune(note)[:500])
	}
	e := &Edition{DocID: docID, Number: 1, State: EditionDraft, Fields: in.Fields, ChangeNote: note,
		Editor: p.UserID, EditorName: p.Name, Authors: []string{p.UserID}, CreatedAt: now, UpdatedAt: now}
	r := record{Document: Document{Heading: Heading{ID: docID, Type: in.Type, Channel: in.Channel, Department: in.Department},
		Editions: 1, CreatedBy: p.UserID, CreatedAt: now}, Draft: e}
	publish := BulkPublishes(p)
	editions := []*Edition{e}
	if publish {
		e.Reviews = []Review{{Step: BulkStep, Reviewer: p.UserID, ReviewerName: p.Name, Decision: DecisionApproved,
			Comment: "原网站已公开发布，批量导入", At: now}}
		editions = publishDraft(&r, now, p.UserID)
		if in.PublishedAt != nil && in.PublishedAt.Before(now) {
			first := in.PublishedAt.UTC()
			r.FirstPublishedAt = &first
		}
	}
	v, err := s.commit(ctx, p.UserID, r, 0, now, change{action: "portal.document.import", editions: editions, item: publish,
		before: before, details: map[string]any{"key": in.Key, "origin": in.Origin, "channel": in.Channel,
			"department": in.Department, "type": in.Type, "published": publish}})
	if err != nil {
		return View{}, false, err
	}
	return v, true, nil
}
