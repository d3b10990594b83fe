package info

import (
	"context"
	"errors"
	"slices"

	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// MediaRule decides a download of a file attached to an information
// item: it is readable exactly by those who may read the item (AccessOf),
// while the item still attaches it.
func MediaRule(st store.Store) attachment.Rule {
	return func(ctx context.Context, id, mediaID string) (attachment.Decision, error) {
		it, _, err := store.Load[Item](ctx, st, Collection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return attachment.Decision{}, nil
		}
		if err != nil {
			return attachment.Decision{}, err
		}
		if !slices.Contains(it.MediaIDs(), mediaID) {
			return attachment.Decision{}, nil
		}
		return attachment.Decision{Attaches: true, Access: AccessOf(&it)}, nil
	}
}
