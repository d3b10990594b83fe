package cms

import (
	"context"
	"errors"
	"slices"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// MediaRules decide downloads of the portal's files, by the collection of
// the document that attaches them:
//
//   - a published (or withdrawn, still readable) item's file is public
//     when the item is, in a public channel under public channels — and
//     then cacheable by anyone; an internal item's is for signed-in staff;
//     a removed or redirected item's for no one through the item;
//   - a document's file (any of its editions, drafts included) is for
//     those who edit, review or publish in the document's department.
func MediaRules(st store.Store, channels *channel.Tree) map[string]attachment.Rule {
	return map[string]attachment.Rule{
		item.Collection:             itemRule(st, channels),
		content.DocumentsCollection: documentRule(st),
	}
}

func itemRule(st store.Store, channels *channel.Tree) attachment.Rule {
	return func(ctx context.Context, id, mediaID string) (attachment.Decision, error) {
		it, _, err := store.Load[item.Item](ctx, st, item.Collection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return attachment.Decision{}, nil
		}
		if err != nil {
			return attachment.Decision{}, err
		}
		if (it.Status != item.StatusPublished && it.Status != item.StatusWithdrawn) || !slices.Contains(it.MediaIDs(), mediaID) {
			return attachment.Decision{}, nil
		}
		if it.Visibility != channel.Public || channels.Visibility(it.Channel) != channel.Public {
			return attachment.Decision{Attaches: true,
				Access: auth.Access{Classification: classification.Feimi, Readers: []string{auth.Staff}}}, nil
		}
		return attachment.Decision{Attaches: true, Public: true}, nil
	}
}

func documentRule(st store.Store) attachment.Rule {
	return func(ctx context.Context, id, mediaID string) (attachment.Decision, error) {
		doc, _, err := store.Load[content.Document](ctx, st, content.DocumentsCollection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return attachment.Decision{}, nil
		}
		if err != nil {
			return attachment.Decision{}, err
		}
		var readers []string
		for _, p := range []auth.Permission{content.PermEdit, content.PermReview, content.PermPublish} {
			readers = append(readers, auth.Holder(p, doc.Department), auth.Holder(p, auth.OfficeWide))
		}
		return attachment.Decision{Attaches: true,
			Access: auth.Access{Classification: classification.Feimi, Readers: readers}}, nil
	}
}
