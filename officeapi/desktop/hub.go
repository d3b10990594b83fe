package desktop

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Event tells one open desktop that something on it changed. Seq is the
// store's change-feed sequence it was seen at: the SSE event id, valid
// across restarts and processes on one store.
type Event struct {
	Seq int64 `json:"seq"`
	// Sources are the collections whose changes concern the person
	// ("official_documents", "reminders", …); empty on a resync.
	Sources []string `json:"sources"`
	// Resync: the desktop may have changed in ways the stream did not
	// tell (a first connection, a resumption from an older id): fetch it.
	Resync bool `json:"resync,omitempty"`
}

// Defaults of a Hub's tuning fields.
const (
	DefaultBuffer = 16
	// maxRemembered bounds the audiences the Hub remembers (one per
	// document changed since the start); past it the memory starts again,
	// and a task that leaves someone in the next moments may go untold
	// until their next event or reconnection.
	maxRemembered = 100_000
)

// Hub follows the store's change feed and tells each open desktop stream
// about the changes that concern its person. See the package doc.
type Hub struct {
	Store store.Store // required
	// Sources are the desktop's sources, asked at each batch; those that
	// are Watchers say whom their changes concern.
	Sources  func() []Source
	Buffer   int           // events one subscription holds; default DefaultBuffer
	Interval time.Duration // feed poll when not notified; default store.DefaultFollowInterval
	Logger   *slog.Logger  // default slog.Default()
	// Revoked, if set, runs when a batch holds token revocations, before
	// the subscriptions are told to check their tokens again: the wiring
	// brings the process's revocation list up to the store with it
	// (auth.Revocations.Sync), so a logout elsewhere ends the stream now.
	Revoked func(ctx context.Context) error

	once   sync.Once
	follow *store.Follower
	// step is the follower's lock: remembered is used under it.
	step       sync.Mutex
	remembered map[docKey][]string

	mu      sync.Mutex // guards seq, subs, started
	seq     int64
	subs    map[*Subscription]struct{}
	started bool

	stopped chan struct{}
	done    chan struct{}
}

type docKey struct{ collection, id string }

// Subscription is one open stream's place at the Hub.
type Subscription struct {
	P *auth.Principal
	// Events come in increasing Seq. The channel is closed when the
	// subscription ends: the Hub stopped, or the stream fell Buffer
	// events behind (it reconnects and resyncs).
	Events <-chan Event
	// Recheck says the token revocations changed: check the token now.
	Recheck <-chan struct{}

	events  chan Event
	recheck chan struct{}
	hub     *Hub
	closed  bool // under hub.mu
}

func (h *Hub) init() {
	h.once.Do(func() {
		if h.Buffer <= 0 {
			h.Buffer = DefaultBuffer
		}
		if h.Logger == nil {
			h.Logger = slog.Default()
		}
		h.subs = map[*Subscription]struct{}{}
		h.remembered = map[docKey][]string{}
		h.stopped, h.done = make(chan struct{}), make(chan struct{})
		h.follow = &store.Follower{Store: h.Store, Interval: h.Interval, Logger: h.Logger, Name: "live desktops",
			Lock: &h.step, Checkpoint: h.checkpoint, Apply: h.apply}
	})
}

// Start places the Hub at the store's last sequence (what happened before
// is on the desktops already) and follows the feed until ctx ends or
// Stop; subscriptions end with it.
func (h *Hub) Start(ctx context.Context) error {
	h.init()
	last, err := h.Store.LastSeq(ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.seq, h.started = last, true
	h.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		defer close(h.done)
		defer h.closeAll()
		go func() {
			select {
			case <-h.stopped:
			case <-ctx.Done():
			}
			cancel()
		}()
		h.follow.Run(ctx)
	}()
	return nil
}

// Stop ends every subscription and the following, and waits for it.
func (h *Hub) Stop() {
	h.init()
	h.mu.Lock()
	started := h.started
	select {
	case <-h.stopped:
	default:
		close(h.stopped)
	}
	h.mu.Unlock()
	h.closeAll()
	if started {
		<-h.done
	}
}

// Notify wakes the follower after a write in this process (subscribe it
// to the store.Notifying). It never blocks.
func (h *Hub) Notify() { h.init(); h.follow.Notify() }

// CatchUp applies the feed up to the store's last sequence (tests).
func (h *Hub) CatchUp(ctx context.Context) error { h.init(); return h.follow.CatchUp(ctx) }

// Seq is the sequence the Hub has applied up to.
func (h *Hub) Seq() int64 {
	h.init()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq
}

// Subscribe opens p's subscription. lastEventID is the SSE Last-Event-ID
// the client resumes from ("" for none): if the Hub has applied exactly
// up to it nothing was missed; otherwise the first event is a resync at
// the Hub's sequence. A stopped Hub refuses.
func (h *Hub) Subscribe(p *auth.Principal, lastEventID string) (*Subscription, error) {
	h.init()
	s := &Subscription{P: p, events: make(chan Event, h.Buffer), recheck: make(chan struct{}, 1), hub: h}
	s.Events, s.Recheck = s.events, s.recheck
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.stopped:
		return nil, errStopped
	default:
	}
	if last, err := strconv.ParseInt(lastEventID, 10, 64); err != nil || last != h.seq {
		s.events <- Event{Seq: h.seq, Sources: []string{}, Resync: true}
	}
	h.subs[s] = struct{}{}
	return s, nil
}

var errStopped = errors.New("desktop: the live hub has stopped")

// Close ends the subscription (the stream was closed).
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.drop(s)
}

// drop ends s, under h.mu.
func (h *Hub) drop(s *Subscription) {
	if s.closed {
		return
	}
	s.closed = true
	delete(h.subs, s)
	close(s.events)
}

func (h *Hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		h.drop(s)
	}
}

// Connections is how many subscriptions are open.
func (h *Hub) Connections() int {
	h.init()
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

func (h *Hub) checkpoint(context.Context) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq, nil
}

// apply is one page of the feed, under the follower's lock: find whose
// desktops it concerns, from the changed documents alone, and tell their
// subscriptions. No desktop is computed here: the SPA asks for its own
// (with the event's id as ?consistentWith=) when told.
func (h *Hub) apply(ctx context.Context, changes []store.Change) error {
	last := changes[len(changes)-1].Seq
	watchers := map[string]Watcher{}
	if h.Sources != nil {
		for _, src := range h.Sources() {
			if w, ok := src.(Watcher); ok {
				for _, c := range w.Watches() {
					watchers[c] = w
				}
			}
		}
	}
	users := map[string][]string{} // user → collections
	var anyone []func(*auth.Principal) bool
	var anyoneFrom []string
	revoked := false
	seen := map[docKey]bool{}
	idle := h.Connections() == 0
	for _, ch := range changes {
		if ch.Collection == auth.RevocationsCollection {
			revoked = true
		}
		w, ok := watchers[ch.Collection]
		k := docKey{ch.Collection, ch.ID}
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		if idle {
			// No one to tell: forget what this document concerned, so
			// that what is remembered is never older than a change.
			delete(h.remembered, k)
			continue
		}
		doc, err := h.Store.Get(ctx, ch.Collection, ch.ID)
		found := err == nil
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		a, err := w.Audience(ctx, doc, found)
		if err != nil {
			return err
		}
		for _, u := range append(slices.Clone(a.Users), h.remembered[k]...) {
			if !slices.Contains(users[u], ch.Collection) {
				users[u] = append(users[u], ch.Collection)
			}
		}
		h.remember(k, a.Users)
		if a.Anyone != nil {
			anyone, anyoneFrom = append(anyone, a.Anyone), append(anyoneFrom, ch.Collection)
		}
	}
	if revoked && h.Revoked != nil {
		if err := h.Revoked(ctx); err != nil {
			return err
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq = last
	for s := range h.subs {
		sources := slices.Clone(users[s.P.UserID])
		for i, f := range anyone {
			if !slices.Contains(sources, anyoneFrom[i]) && f(s.P) {
				sources = append(sources, anyoneFrom[i])
			}
		}
		if revoked {
			select {
			case s.recheck <- struct{}{}:
			default: // a recheck is pending
			}
		}
		if len(sources) == 0 {
			continue
		}
		slices.Sort(sources)
		select {
		case s.events <- Event{Seq: last, Sources: sources}:
		default:
			// Buffer events behind: end it rather than hold the feed; the
			// client reconnects from its last id and resyncs.
			h.drop(s)
		}
	}
	return nil
}

// remember keeps whose desktops a document is on now, for the next change
// of it: a task that leaves them must tell them too.
func (h *Hub) remember(k docKey, users []string) {
	if len(users) == 0 {
		delete(h.remembered, k)
		return
	}
	if len(h.remembered) >= maxRemembered {
		h.remembered = map[docKey][]string{}
	}
	h.remembered[k] = slices.Clone(users)
}
