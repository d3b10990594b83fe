package officialdoc

import (
	"context"
	"errors"
	"slices"

	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// MediaRule is how the media store decides a download of a 公文's file:
// whoever may read the document (AccessOf) may read the files it still
// attaches (附件, and the images its 正文 shows). Each document records a
// reference to its files in the write that attaches them.
func MediaRule(st store.Store) attachment.Rule {
	return func(ctx context.Context, id, mediaID string) (attachment.Decision, error) {
		d, _, err := store.Load[Document](ctx, st, Collection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return attachment.Decision{}, nil
		}
		if err != nil {
			return attachment.Decision{}, err
		}
		if !slices.Contains(d.files(), mediaID) {
			return attachment.Decision{}, nil
		}
		return attachment.Decision{Attaches: true, Access: AccessOf(&d)}, nil
	}
}
