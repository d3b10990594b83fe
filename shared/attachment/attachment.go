// Package attachment is the contract between the media store and the
// capabilities whose documents carry files (portal items, information
// items, official documents, mail): a document that attaches a file
// records a reference from the file to itself, in the same store write as
// the document, so that a download can find every document the file
// belongs to and let the reader through only if one of them lets the
// reader read it (ARCHITECTURE.md: "every byte follows its owner's rule").
//
// References are never deleted: a download re-reads each owner and checks
// that it still attaches the file, so a reference the owner has since
// dropped lets no one in.
package attachment

import (
	"context"
	"errors"
	"slices"

	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Collection holds one document per (file, owner).
const Collection = "media_refs"

// Ref says that the document Owner (collection/id) attaches the file Media.
type Ref struct {
	Media      string `json:"media"`
	Collection string `json:"collection"`
	ID         string `json:"id"`
}

func refID(media, collection, id string) string { return media + "/" + collection + "/" + id }

// Writes are the store writes that record each file of mediaIDs as
// attached to collection/id; put them in the owner's own PutAll (or
// audit.Trail.Commit).
func Writes(collection, id string, mediaIDs ...string) []store.Write {
	out := make([]store.Write, 0, len(mediaIDs))
	seen := map[string]bool{}
	for _, m := range mediaIDs {
		if m == "" || seen[m] {
			continue
		}
		seen[m] = true
		data, _ := store.Encode(Ref{Media: m, Collection: collection, ID: id})
		out = append(out, store.Write{Collection: Collection, ID: refID(m, collection, id), Data: data,
			ExpectVersion: store.AnyVersion})
	}
	return out
}

// Owners lists the documents that have attached the file (some may have
// dropped it since).
func Owners(ctx context.Context, st store.Store, mediaID string) ([]Ref, error) {
	return store.LoadPrefix[Ref](ctx, st, Collection, mediaID+"/")
}

// Decision is what an owner says about one of its files for one reader.
type Decision struct {
	// Attaches: the owner exists and still attaches the file. A reference
	// the owner has dropped since decides nothing.
	Attaches bool
	// Public: anyone may read the file, signed in or not, and caches may
	// keep it (a published public portal item's).
	Public bool
	// Access is who may read the file otherwise: the owner's own rule.
	Access auth.Access
}

// Rule is how the capability that owns a collection decides a file of
// one of its documents: it reads the document by id and says whether it
// still attaches mediaID and who may read it. Each capability exports
// one per collection whose documents carry files (info.MediaRule, the
// portal's in cms); the media service asks them on every download.
type Rule func(ctx context.Context, id, mediaID string) (Decision, error)

// AccessRule is the Rule of a collection whose documents (of type T) name
// their files and say who may read them: a file is readable exactly by
// the document's readers (access) while the document still attaches it
// (files). A document that is gone, or unreadable as T, decides nothing.
func AccessRule[T any](st store.Store, collection string, files func(*T) []string, access func(*T) auth.Access) Rule {
	return func(ctx context.Context, id, mediaID string) (Decision, error) {
		d, _, err := store.Load[T](ctx, st, collection, id)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return Decision{}, nil
		}
		if err != nil {
			return Decision{}, err
		}
		if !slices.Contains(files(&d), mediaID) {
			return Decision{}, nil
		}
		return Decision{Attaches: true, Access: access(&d)}, nil
	}
}
