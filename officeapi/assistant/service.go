package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// Linker names something a to-do is made from, read with p's access: its
// title, the SPA path that opens it and its 密级; a problem (404) when p
// may not read it. Deps.Linkers holds one per source ("task", "mail").
type Linker func(ctx context.Context, p *auth.Principal, id string) (title, link string, level classification.Level, err error)

// Overlay is what another capability lays over a person's calendar for
// [from, to): read-only occurrences with a link to their own page.
type Overlay func(ctx context.Context, p *auth.Principal, from, to time.Time) ([]Occurrence, error)

// Org is what the contacts directory reads of the organisation tree.
type Org interface {
	Directory(ctx context.Context) ([]identity.Person, error)
	Departments(ctx context.Context) ([]identity.Department, error)
	Posts(ctx context.Context) ([]identity.Post, error)
}

// Deps is what the assistant needs from the process.
type Deps struct {
	records.Deps
	Org Org
	// Notify sends the reminders (nil sends nothing).
	Notify notify.Sender
	// Linkers make to-dos from other capabilities' things, by source.
	Linkers map[string]Linker
	// Overlays are laid over the calendar, by kind ("meeting", "leader").
	Overlays map[string]Overlay
	// Leases give the reminder sweep one runner among processes; Interval
	// is how often it looks (default a minute).
	Leases   *lease.Leases
	Interval time.Duration
}

// Service is the personal assistant. Its collections stay private, so
// that every write goes through this package's rules.
type Service struct {
	d      Deps
	events *records.Collection[Event]
	todos  *records.Collection[Todo]
	notes  *records.Collection[Note]
	cards  *records.Collection[Card]
	pinyin *pinyinCache
}

// New opens the collections and their list indexes (under d.IndexDir);
// Start feeds them.
func New(d Deps) (*Service, error) {
	if d.Org == nil {
		return nil, errors.New("assistant: Deps.Org is required")
	}
	dep := func(name string) records.Deps { r := d.Deps; r.IndexDir = filepath.Join(d.IndexDir, name); return r }
	var err error
	s := &Service{d: d, pinyin: newPinyinCache()}
	s.events, err = records.Open(records.Config[Event]{Deps: dep("events"), Collection: EventCollection,
		Noun: records.Noun{Zh: "日程", En: "event"}, Access: EventAccess,
		Mapping: records.MappingOf[Event]("notes").FullText("notes", "", true).Datetime("lastEnd"),
		Project: func(e *Event) map[string]any {
			m := live(e, e.Deleted)
			if m != nil {
				m["lastEnd"] = e.lastEnd().Format(time.RFC3339Nano)
			}
			return m
		}})
	if err != nil {
		return nil, err
	}
	s.todos, err = records.Open(records.Config[Todo]{Deps: dep("todos"), Collection: TodoCollection,
		Noun: records.Noun{Zh: "待办", En: "to-do"}, Access: TodoAccess,
		Project: func(t *Todo) map[string]any { return live(t, t.Deleted) }})
	if err != nil {
		return nil, err
	}
	s.notes, err = records.Open(records.Config[Note]{Deps: dep("notes"), Collection: NoteCollection,
		Noun: records.Noun{Zh: "便笺", En: "note"}, Access: NoteAccess,
		Mapping: records.MappingOf[Note]("body").FullText("body", "", true),
		Project: func(n *Note) map[string]any { return live(n, n.Deleted) }})
	if err != nil {
		return nil, err
	}
	s.cards, err = records.Open(records.Config[Card]{Deps: dep("cards"), Collection: CardCollection,
		Noun: records.Noun{Zh: "联系人", En: "contact"}, Access: CardAccess})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// live is a document's fields for its list index, nil for a tombstone
// (left out of every list).
func live(v any, deleted bool) map[string]any {
	if deleted {
		return nil
	}
	m, err := store.Encode(v)
	if err != nil {
		return nil
	}
	var out map[string]any
	if json.Unmarshal(m, &out) != nil {
		return nil
	}
	return out
}

// listIndex is what each collection's list index does for the service.
type listIndex interface {
	Start(context.Context) error
	Close() error
	Notify()
	CatchUp(context.Context) error
	Wait(context.Context, string) error
}

// lists are the collections' list indexes, for starting and stopping.
func (s *Service) lists() []listIndex { return []listIndex{s.events, s.todos, s.notes, s.cards} }

// Start feeds the list indexes from the change feed.
func (s *Service) Start(ctx context.Context) error {
	for _, l := range s.lists() {
		if err := l.Start(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the list indexes.
func (s *Service) Close() error {
	var errs []error
	for _, l := range s.lists() {
		errs = append(errs, l.Close())
	}
	return errors.Join(errs...)
}

// Notify tells the list indexes the store changed (the store's Subscribe).
func (s *Service) Notify() {
	for _, l := range s.lists() {
		l.Notify()
	}
}

// CatchUp brings every list index up to the store (tests, demo).
func (s *Service) CatchUp(ctx context.Context) error {
	for _, l := range s.lists() {
		if err := l.CatchUp(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Wait waits until every list has applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	for _, l := range s.lists() {
		if err := l.Wait(ctx, consistentWith); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) log() *slog.Logger {
	if s.d.Log == nil {
		return slog.Default()
	}
	return s.d.Log
}

// mine is the filter of p's own documents.
func mine(p *auth.Principal) index.Filter { return index.Term("owner", p.UserID) }
