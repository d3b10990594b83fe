package item

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// ReportCollection holds, by item id, the attachments of the item's
// published edition whose text search could not read (a broken file, one
// over the limits, one locked with an opening password, a type without a
// reader, a scan without text). The search projection writes it; the
// editor's console shows it on the item ("附件无法建立索引：…"). It is kept
// apart from the item so that the projection never changes the document
// editors save with a version.
const ReportCollection = "portal_attachment_reports"

// AttachmentReport is one item's report: absent when every file was read.
type AttachmentReport struct {
	// Edition is the item's edition whose files were read.
	Edition int              `json:"edition"`
	Refused []source.Refusal `json:"refused"`
}

// ReportOf returns the attachments of edition of item id that search
// could not read (none: nil). A report of another edition is stale (the
// projection reads no store for an item without attachments, so an
// edition that dropped them leaves its predecessor's report behind).
func ReportOf(ctx context.Context, st store.Store, id string, edition int) ([]source.Refusal, error) {
	r, _, err := store.Load[AttachmentReport](ctx, st, ReportCollection, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && r.Edition != edition) {
		return nil, nil
	}
	return r.Refused, err
}

// report records what ReadAttachments refused for the item, writing only
// when it changed (the projection runs again at every rebuild and
// reconciliation), and removes a report that no longer applies.
func report(st store.Store, log *slog.Logger, it Item, refused []source.Refusal) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	old, version, err := store.Load[AttachmentReport](ctx, st, ReportCollection, it.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if len(refused) == 0 {
			return
		}
	case err != nil:
		log.Warn("attachment report not read", "item", it.ID, "err", err)
		return
	case len(refused) == 0:
		if _, err := st.Delete(ctx, ReportCollection, it.ID, version); err != nil && !errors.Is(err, store.ErrNotFound) {
			log.Warn("attachment report not removed", "item", it.ID, "err", err)
		}
		return
	case old.Edition == it.Edition && slices.Equal(old.Refused, refused):
		return
	}
	if _, err := store.Save(ctx, st, ReportCollection, it.ID, AttachmentReport{Edition: it.Edition, Refused: refused}, version); err != nil {
		// A concurrent writer (another search process) wrote the same.
		log.Warn("attachment report not written", "item", it.ID, "err", err)
	}
}
