package info

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Deps is what the information platforms need from the process.
type Deps struct {
	Store store.Store
	Trail *audit.Trail
	Now   func() time.Time // default time.Now
	Log   *slog.Logger     // default slog.Default()
	// IndexDir is the list index's directory.
	IndexDir string
	// Media describes a stored file by id (its real, sniffed type and
	// size), or ok=false when there is no such file; attachments must name
	// one. Nil: attachments are refused.
	Media func(ctx context.Context, id string) (Attachment, bool, error)
	// Department reports whether a department exists (auto-publish rules
	// must name one). Nil: every well-formed id is taken.
	Department func(ctx context.Context, id string) (bool, error)
}

// Service is the department information platforms.
type Service struct {
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
	items, err := records.Open(records.Config[Item]{
		Deps:       records.Deps{Store: d.Store, Trail: d.Trail, Now: d.Now, Log: d.Log, IndexDir: d.IndexDir},
		Collection: Collection, Noun: records.Noun{Zh: "信息", En: "item"}, Access: AccessOf,
		Mapping: listMapping(), Project: project,
		// An item's files are recorded with each of its changes.
		Writes: func(it *Item) []store.Write { return attachment.Writes(Collection, it.ID, it.MediaIDs()...) },
	})
	if err != nil {
		return nil, err
	}
	return &Service{items: items, store: d.Store, trail: d.Trail, deps: d}, nil
}

// Start catches the list index up and keeps it fed until ctx ends.
func (s *Service) Start(ctx context.Context) error { return s.items.Start(ctx) }

// Close stops feeding the list index and closes it.
func (s *Service) Close() error { return s.items.Close() }

// Notify wakes the list index after a write in this process (subscribe it
// to the process's store).
func (s *Service) Notify() { s.items.Notify() }

// CatchUp applies the feed up to now (tests).
func (s *Service) CatchUp(ctx context.Context) error { return s.items.CatchUp(ctx) }

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
