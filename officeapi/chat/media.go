package chat

import (
	"context"
	"errors"

	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

// MediaRule is how the media store decides a download of a file sent in a
// chat: the message carries it, and the chat's members (AccessOf) may
// read it — a member who left no longer may.
func MediaRule(st store.Store) attachment.Rule {
	return func(ctx context.Context, id, mediaID string) (attachment.Decision, error) {
		m, _, err := store.Load[Message](ctx, st, MessagesCollection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return attachment.Decision{}, nil
		}
		if err != nil || m.MediaID != mediaID {
			return attachment.Decision{}, err
		}
		c, _, err := store.Load[Chat](ctx, st, Collection, m.ChatID)
		if errors.Is(err, store.ErrNotFound) {
			return attachment.Decision{}, nil
		}
		if err != nil {
			return attachment.Decision{}, err
		}
		access := AccessOf(&c)
		if m.Classification.Rank() > access.Classification.Rank() {
			access.Classification = m.Classification
		}
		return attachment.Decision{Attaches: true, Access: access}, nil
	}
}
