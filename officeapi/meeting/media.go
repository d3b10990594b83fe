package meeting

import (
	"context"
	"errors"

	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// MediaRule is how the media store decides a download of a meeting's
// material: the meeting still hands it out, and MaterialAccess says who
// may read it (need-to-know for a classified one).
func MediaRule(st store.Store) attachment.Rule {
	return func(ctx context.Context, id, mediaID string) (attachment.Decision, error) {
		m, _, err := store.Load[Meeting](ctx, st, Collection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return attachment.Decision{}, nil
		}
		if err != nil {
			return attachment.Decision{}, err
		}
		for _, mat := range m.Materials {
			if mat.MediaID == mediaID {
				return attachment.Decision{Attaches: true, Access: MaterialAccess(&m, mat)}, nil
			}
		}
		return attachment.Decision{}, nil
	}
}
