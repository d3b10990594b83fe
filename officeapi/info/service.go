package info

import (
	"context"
	"errors"

	"zhengwu/officeapi/records"
	"zhengwu/search/feed"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Deps is what the information platforms need from the process.
type Deps struct {
	records.Deps // the store, trail, clock, log and list index directory
	// Media describes a stored file by id (its real, sniffed type and
	// size), or ok=false when there is no such file; attachments must name
	// one. Nil: attachments are refused.
	Media func(ctx context.Context, id string) (Attachment, bool, error)
	// Department reports whether a department exists (auto-publish rules
	// must name one). Nil: every well-formed id is taken.
	Department func(ctx context.Context, id string) (bool, error)
}

// Service is the department information platforms. Its list index's
// Start, Close, Notify and CatchUp are the module table's (and tests');
// the collection stays private, so that every write goes through the
// rules of this package.
type Service struct {
	*feed.ListIndex
	items *records.Collection[Item]
	store store.Store
	trail *audit.Trail
	deps  Deps
}

// New opens the list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Trail == nil {
		return nil, errors.New("info: Store and Trail are required")
	}
	// Items stored before their files were recorded get their references
	// once (attachment.Backfill), so that their downloads find them.
	if _, err := attachment.Backfill(context.Background(), d.Store, Collection, func(doc store.Doc) (string, string, []string, error) {
		var it Item
		err := doc.Decode(&it)
		return Collection, doc.ID, it.MediaIDs(), err
	}); err != nil {
		return nil, err
	}
	items, err := records.Open(records.Config[Item]{
		Deps:       d.Deps,
		Collection: Collection, Noun: records.Noun{Zh: "信息", En: "item"}, Access: AccessOf,
		Mapping: listMapping(), Project: project,
		// An item's files are recorded with each of its changes.
		Writes: func(it *Item) []store.Write { return attachment.Writes(Collection, it.ID, it.MediaIDs()...) },
	})
	if err != nil {
		return nil, err
	}
	return &Service{ListIndex: items.ListIndex, items: items, store: d.Store, trail: d.Trail, deps: d}, nil
}

// Actor is who acts, from where.
type Actor = records.Actor

func view(it Item, doc store.Doc, err error) (View, error) {
	return View{Item: it, Version: doc.Version, Seq: doc.Seq}, err
}

// Get returns the item if p may read it; otherwise 404, whether or not it
// exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return view(s.items.Get(ctx, p, id))
}

// AccessByID is AccessOf for a stored item (attachment downloads decide
// with it); ok=false when there is no such item.
func AccessByID(ctx context.Context, st store.Store, id string) (auth.Access, bool, error) {
	it, _, err := store.Load[Item](ctx, st, Collection, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return auth.Access{}, false, nil
	}
	if err != nil {
		return auth.Access{}, false, err
	}
	return AccessOf(&it), true, nil
}
