package content

import (
	"context"
	"fmt"
	"log/slog"

	"zhengwu/cms/item"
	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// backfillMediaRefs records the files of items and editions stored before
// each change recorded them (attachment.Backfill: once per store), so
// that their downloads find their owners.
func backfillMediaRefs(ctx context.Context, st store.Store, log *slog.Logger) error {
	for collection, owner := range map[string]attachment.Owner{
		item.Collection: func(d store.Doc) (string, string, []string, error) {
			var it item.Item
			err := d.Decode(&it)
			return item.Collection, d.ID, it.MediaIDs(), err
		},
		EditionsCollection: func(d store.Doc) (string, string, []string, error) {
			var e Edition
			err := d.Decode(&e)
			return DocumentsCollection, e.DocID, e.Fields.MediaIDs(), err
		},
	} {
		n, err := attachment.Backfill(ctx, st, collection, owner)
		if err != nil {
			return fmt.Errorf("content: %w", err)
		}
		if n > 0 {
			log.Info("recorded the files of documents stored before their files were recorded", "collection", collection, "refs", n)
		}
	}
	return nil
}
