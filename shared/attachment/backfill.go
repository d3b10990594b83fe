package attachment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"zhengwu/shared/store"
)

// migrations holds one marker per finished backfill.
const migrations = "store_migrations"

// Owner says which document attaches which files: the owner's collection
// and id, and the files, read from one stored document of the collection
// Backfill scans (a document may speak for another: an edition for its
// document).
type Owner func(d store.Doc) (collection, id string, mediaIDs []string, err error)

// Backfill records the references of every document in collection, once
// per store (a marker says it is done), for data written before
// documents recorded their files: without references, a download finds
// no owner and lets no one in. Writing a reference twice is harmless, so
// a backfill cut short by a crash simply runs again.
func Backfill(ctx context.Context, st store.Store, collection string, owner Owner) (int, error) {
	marker := "media_refs/" + collection
	if _, err := st.Get(ctx, migrations, marker); err == nil {
		return 0, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	n := 0
	for after := ""; ; {
		page, err := st.Scan(ctx, collection, after, 500)
		if err != nil {
			return n, err
		}
		var writes []store.Write
		seen := map[string]bool{} // PutAll takes one write per document (editions repeat their files)
		for _, d := range page {
			c, id, ids, err := owner(d)
			if err != nil {
				return n, fmt.Errorf("attachment: backfill %s/%s: %w", collection, d.ID, err)
			}
			for _, w := range Writes(c, id, ids...) {
				if !seen[w.ID] {
					seen[w.ID] = true
					writes = append(writes, w)
				}
			}
		}
		if len(writes) > 0 {
			if _, err := st.PutAll(ctx, writes); err != nil {
				return n, err
			}
			n += len(writes)
		}
		if len(page) < 500 {
			break
		}
		after = page[len(page)-1].ID
	}
	data, _ := store.Encode(map[string]any{"done": time.Now().UTC(), "refs": n})
	_, err := st.Put(ctx, migrations, marker, data, store.AnyVersion)
	return n, err
}
