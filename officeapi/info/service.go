package info

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"zhengwu/search/feed"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
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
	store store.Store
	trail *audit.Trail
	now   func() time.Time
	log   *slog.Logger
	deps  Deps
	list  *feed.ListIndex
}

// New opens the list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Trail == nil {
		return nil, errors.New("info: Store and Trail are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	list, err := feed.OpenListIndex(feed.ListIndexConfig{Store: d.Store, Dir: d.IndexDir, Mapping: listMapping(),
		Collections: []string{Collection}, Project: project, Logger: d.Log})
	if err != nil {
		return nil, err
	}
	return &Service{store: d.Store, trail: d.Trail, now: d.Now, log: d.Log, deps: d, list: list}, nil
}

// Start catches the list index up and keeps it fed until ctx ends.
func (s *Service) Start(ctx context.Context) error { return s.list.Start(ctx) }

// Close stops feeding the list index and closes it.
func (s *Service) Close() error { return s.list.Close() }

// Notify wakes the list index after a write in this process (subscribe it
// to the process's store).
func (s *Service) Notify() { s.list.Notify() }

// CatchUp applies the feed up to now (tests).
func (s *Service) CatchUp(ctx context.Context) error { return s.list.CatchUp(ctx) }

// Actor is who acts, from where.
type Actor struct {
	P  *auth.Principal
	IP string
}

func notFound() error { return problem.NotFound("信息不存在", "no such item") }

// Get returns the item if p may read it; otherwise 404, whether or not it
// exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	it, doc, err := s.load(ctx, id)
	if err != nil {
		return View{}, err
	}
	if !MayRead(p, &it) {
		return View{}, notFound()
	}
	return View{Item: it, Version: doc.Version, Seq: doc.Seq}, nil
}

func (s *Service) load(ctx context.Context, id string) (Item, store.Doc, error) {
	doc, err := s.store.Get(ctx, Collection, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return Item{}, doc, notFound()
	}
	if err != nil {
		return Item{}, doc, err
	}
	var it Item
	if err := doc.Decode(&it); err != nil {
		return Item{}, doc, err
	}
	return it, doc, nil
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
