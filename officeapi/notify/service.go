package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/feed"
	"zhengwu/shared/audit"
	"zhengwu/shared/classification"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// Recipient is what Send needs to know of a person: whether they may
// know a notice of some 密级, and whether their account is in use.
type Recipient struct {
	Clearance classification.Level
	Disabled  bool
}

// Deps is what the inbox needs from the process.
type Deps struct {
	records.Deps
	// Recipients are the people of ids that exist (identity's accounts);
	// an id it leaves out receives nothing. Required.
	Recipients func(ctx context.Context, ids []string) (map[string]Recipient, error)
	// Leases and Retention run the retention sweep (Run): read notices
	// older than Retention are deleted, by one process of several.
	Leases    *lease.Leases
	Retention time.Duration // default DefaultRetention
}

// DefaultRetention is how long a read notice is kept (--notification-retention).
const DefaultRetention = 90 * 24 * time.Hour

// batchSize is how many notifications one commit writes: a notice to a
// whole office is a few commits, not one per person.
const batchSize = 500

// Service is the inbox. It implements Sender. Its list index's Start,
// Close and Notify are the module table's.
type Service struct {
	*feed.ListIndex
	notes      *records.Collection[Notification]
	store      store.Store
	trail      *audit.Trail
	recipients func(ctx context.Context, ids []string) (map[string]Recipient, error)
	leases     *lease.Leases
	retention  time.Duration
	log        *slog.Logger
}

var _ Sender = (*Service)(nil)

// New opens the inbox and its list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.Recipients == nil {
		return nil, errors.New("notify: Recipients is required")
	}
	c, err := records.Open(records.Config[Notification]{Deps: d.Deps, Collection: Collection,
		Noun: records.Noun{Zh: "消息", En: "notification"}, Access: AccessOf})
	if err != nil {
		return nil, err
	}
	if d.Retention <= 0 {
		d.Retention = DefaultRetention
	}
	return &Service{ListIndex: c.ListIndex, notes: c, store: d.Store, trail: d.Trail, recipients: d.Recipients,
		leases: d.Leases, retention: d.Retention, log: cmp.Or(d.Log, slog.Default())}, nil
}

// Send stores one notification per recipient who may have it: an
// enabled account whose clearance covers the notice's 密级 and who has
// not switched its kind off. A recipient who has the Key already keeps
// the one they have (create-if-absent), so a retried Send tells no one
// twice. The recipients' notifications are committed in batches, each
// with one audit entry.
func (s *Service) Send(ctx context.Context, n Notice) error {
	if err := check(&n); err != nil {
		return err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(n.Recipients)))
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == "" })
	people, err := s.recipients(ctx, ids)
	if err != nil {
		return err
	}
	now := s.notes.Now()
	var writes []store.Write
	for _, id := range ids {
		r, ok := people[id]
		if !ok || r.Disabled || !r.Clearance.Covers(n.Classification) {
			continue
		}
		if !Mandatory(n.Kind) {
			prefs, err := s.prefsOf(ctx, id)
			if err != nil {
				return err
			}
			if slices.Contains(prefs.Off, n.Kind) {
				continue
			}
		}
		data, err := store.Encode(Notification{ID: idOf(id, n.Key), Recipient: id, Kind: n.Kind, Title: n.Title,
			Body: n.Body, Link: n.Link, Key: n.Key, Classification: n.Classification, Actor: n.Actor, CreatedAt: now})
		if err != nil {
			return err
		}
		writes = append(writes, store.Write{Collection: Collection, ID: idOf(id, n.Key), Data: data})
	}
	for batch := range slices.Chunk(writes, batchSize) {
		if err := s.create(ctx, batch, n); err != nil {
			return err
		}
	}
	return nil
}

// create commits the writes that name no stored notification yet. The
// common case is one commit; when one of them exists (a retry, another
// process), the commit conflicts, and the batch is tried again without
// the notifications found.
func (s *Service) create(ctx context.Context, writes []store.Write, n Notice) error {
	actor := n.Actor
	if actor == "" {
		actor = "system"
	}
	for attempt := 0; len(writes) > 0; attempt++ {
		_, err := s.trail.Commit(ctx, writes, audit.Event{Actor: actor, Action: "notify.send", Target: Collection + "/" + n.Kind,
			Outcome: audit.Success, Details: map[string]any{"key": n.Key, "kind": n.Kind, "recipients": len(writes)}})
		if err == nil {
			s.notes.Notify()
			return nil
		}
		if !errors.Is(err, store.ErrConflict) || attempt >= 3 {
			return err
		}
		writes, err = s.absent(ctx, writes)
		if err != nil {
			return err
		}
	}
	return nil
}

// absent are the writes whose notification is not stored.
func (s *Service) absent(ctx context.Context, writes []store.Write) ([]store.Write, error) {
	var out []store.Write
	for _, w := range writes {
		_, err := s.store.Get(ctx, w.Collection, w.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			out = append(out, w)
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

// check refuses a notice a capability built wrong (a programming error,
// logged by the caller) and gives an unset 密级 its default, 非密.
func check(n *Notice) error {
	if n.Classification == "" {
		n.Classification = classification.Feimi
	}
	switch {
	case strings.TrimSpace(n.Key) == "":
		return errors.New("notify: a notice needs a Key")
	case !slices.Contains(Kinds, n.Kind):
		return fmt.Errorf("notify: unknown kind %q", n.Kind)
	case strings.TrimSpace(n.Title) == "":
		return errors.New("notify: a notice needs a Title")
	case n.Link != "" && (!strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//")):
		return fmt.Errorf("notify: a Link is a path of the SPA, not %q", n.Link)
	case !n.Classification.Valid():
		return fmt.Errorf("notify: unknown 密级 %q", n.Classification)
	}
	return nil
}
