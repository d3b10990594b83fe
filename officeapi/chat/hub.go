package chat

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"zhengwu/shared/store"
)

// Presence states.
const (
	Online  = "online"
	Away    = "away"
	Offline = "offline"
)

// Event is one frame the server sends on a chat socket.
type Event struct {
	Type     string            `json:"type"` // message, read, chat, typing, presence, ack, error, ready, synced
	Message  *Message          `json:"message,omitempty"`
	Read     *ReadState        `json:"read,omitempty"`
	Chat     *Chat             `json:"chat,omitempty"`
	ChatID   string            `json:"chatId,omitempty"`
	UserID   string            `json:"userId,omitempty"`
	Name     string            `json:"name,omitempty"`
	State    string            `json:"state,omitempty"`
	ClientID string            `json:"clientId,omitempty"`
	Problem  any               `json:"problem,omitempty"`
	Presence map[string]string `json:"presence,omitempty"`
}

// Client is one open socket of a user in this process. The socket's
// writer drains Out; a client that does not keep up is dropped (Done
// closes) and catches up when it reconnects.
type Client struct {
	UserID, Name string
	Out          chan []byte
	Done         chan struct{}
	once         sync.Once
	away         atomic.Bool
	watching     []string
}

// outBuffer is how many frames a slow socket may fall behind before it
// is dropped.
const outBuffer = 512

func (c *Client) send(frame []byte) {
	select {
	case c.Out <- frame:
	case <-c.Done:
	default:
		c.Drop()
	}
}

// Drop ends the client's socket.
func (c *Client) Drop() { c.once.Do(func() { close(c.Done) }) }

// Hub pushes what concerns them to the users connected to this process.
// It follows the store's change feed from where the process started
// (clients catch up on what came before by position, see Sync), so a
// message written by any process reaches a member connected here.
//
// Presence and typing are this process's own: see ADR 0011.
type Hub struct {
	svc      *Service
	log      *slog.Logger
	follower *store.Follower
	pos      atomic.Int64

	mu       sync.RWMutex
	clients  map[string]map[*Client]struct{} // user → their sockets here
	watchers map[string]map[*Client]struct{} // user → sockets watching their presence
	members  map[string][]string             // chat → members, from the feed

	delivered atomic.Int64
}

// NewHub is the hub of this process's sockets.
func NewHub(s *Service) *Hub {
	h := &Hub{svc: s, log: s.d.Log, clients: map[string]map[*Client]struct{}{},
		watchers: map[string]map[*Client]struct{}{}, members: map[string][]string{}}
	h.follower = &store.Follower{Store: s.d.Store, Name: "chat hub", Logger: s.d.Log,
		Checkpoint: func(context.Context) (int64, error) { return h.pos.Load(), nil },
		Apply:      h.apply}
	return h
}

// Run follows the feed from where Start put the hub until ctx ends.
func (h *Hub) Run(ctx context.Context) error {
	h.follower.Run(ctx)
	return nil
}

// Start positions the hub at the feed's end (what comes after is pushed).
func (h *Hub) Start(ctx context.Context) error {
	last, err := h.svc.d.Store.LastSeq(ctx)
	if err != nil {
		return err
	}
	h.pos.Store(last)
	return nil
}

// Notify wakes the follower after a write in this process.
func (h *Hub) Notify() { h.follower.Notify() }

// Delivered counts frames handed to sockets (for metrics and tests).
func (h *Hub) Delivered() int64 { return h.delivered.Load() }

// Connections is the number of open sockets here.
func (h *Hub) Connections() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, cs := range h.clients {
		n += len(cs)
	}
	return n
}

func (h *Hub) apply(ctx context.Context, changes []store.Change) error {
	for _, ch := range changes {
		if err := h.applyOne(ctx, ch); err != nil {
			return err
		}
		h.pos.Store(ch.Seq)
	}
	return nil
}

func (h *Hub) applyOne(ctx context.Context, ch store.Change) error {
	if ch.Deleted {
		return nil
	}
	switch ch.Collection {
	case MessagesCollection:
		m, _, err := store.Load[Message](ctx, h.svc.d.Store, MessagesCollection, ch.ID)
		if err != nil {
			return ignoreGone(err)
		}
		members, err := h.membersOf(ctx, m.ChatID)
		if err != nil {
			return err
		}
		h.push(members, Event{Type: "message", Message: &m}, nil)
	case ReadsCollection:
		r, _, err := store.Load[ReadState](ctx, h.svc.d.Store, ReadsCollection, ch.ID)
		if err != nil {
			return ignoreGone(err)
		}
		members, err := h.membersOf(ctx, r.ChatID)
		if err != nil {
			return err
		}
		h.push(members, Event{Type: "read", Read: &r}, nil)
	case Collection:
		c, _, err := store.Load[Chat](ctx, h.svc.d.Store, Collection, ch.ID)
		if err != nil {
			return ignoreGone(err)
		}
		h.mu.Lock()
		before := h.members[c.ID]
		h.members[c.ID] = slices.Clone(c.Members)
		h.mu.Unlock()
		told := slices.Clone(c.Members)
		for _, m := range before {
			if !slices.Contains(told, m) {
				told = append(told, m)
			}
		}
		h.push(told, Event{Type: "chat", Chat: &c}, nil)
	}
	return nil
}

func ignoreGone(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// membersOf is a chat's members, cached and kept current from the feed.
func (h *Hub) membersOf(ctx context.Context, chatID string) ([]string, error) {
	h.mu.RLock()
	m, ok := h.members[chatID]
	h.mu.RUnlock()
	if ok {
		return m, nil
	}
	c, _, err := store.Load[Chat](ctx, h.svc.d.Store, Collection, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.members[chatID] = c.Members
	h.mu.Unlock()
	return c.Members, nil
}

// push sends ev to every socket here of users, but skip.
func (h *Hub) push(users []string, ev Event, skip *Client) {
	frame, err := json.Marshal(ev)
	if err != nil {
		h.log.Error("chat event", "err", err)
		return
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, u := range users {
		for c := range h.clients[u] {
			if c != skip {
				c.send(frame)
				h.delivered.Add(1)
			}
		}
	}
}

// Register adds a socket of a user; the user's watchers learn they are
// online if this is their first socket here.
func (h *Hub) Register(userID, name string) *Client {
	c := &Client{UserID: userID, Name: name, Out: make(chan []byte, outBuffer), Done: make(chan struct{})}
	h.mu.Lock()
	first := len(h.clients[userID]) == 0
	if h.clients[userID] == nil {
		h.clients[userID] = map[*Client]struct{}{}
	}
	h.clients[userID][c] = struct{}{}
	h.mu.Unlock()
	if first {
		h.presenceChanged(userID)
	}
	return c
}

// Unregister removes a socket and its presence watches.
func (h *Hub) Unregister(c *Client) {
	c.Drop()
	h.mu.Lock()
	delete(h.clients[c.UserID], c)
	last := len(h.clients[c.UserID]) == 0
	if last {
		delete(h.clients, c.UserID)
	}
	for _, u := range c.watching {
		delete(h.watchers[u], c)
		if len(h.watchers[u]) == 0 {
			delete(h.watchers, u)
		}
	}
	h.mu.Unlock()
	if last {
		h.presenceChanged(c.UserID)
	}
}

// SetAway marks a socket away (the tab is hidden) or back.
func (h *Hub) SetAway(c *Client, away bool) {
	if c.away.Swap(away) != away {
		h.presenceChanged(c.UserID)
	}
}

// Presence is a user's state as this process sees it: online if any
// socket is not away, away if all are, offline if none.
func (h *Hub) Presence(userID string) string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.presenceLocked(userID)
}

func (h *Hub) presenceLocked(userID string) string {
	cs := h.clients[userID]
	if len(cs) == 0 {
		return Offline
	}
	for c := range cs {
		if !c.away.Load() {
			return Online
		}
	}
	return Away
}

// Watch replaces the users whose presence c follows (the people of its
// chat list) and returns their states now.
func (h *Hub) Watch(c *Client, users []string) map[string]string {
	if len(users) > 2*MaxMembers {
		users = users[:2*MaxMembers]
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, u := range c.watching {
		delete(h.watchers[u], c)
	}
	c.watching = slices.Clone(users)
	out := make(map[string]string, len(users))
	for _, u := range users {
		if h.watchers[u] == nil {
			h.watchers[u] = map[*Client]struct{}{}
		}
		h.watchers[u][c] = struct{}{}
		out[u] = h.presenceLocked(u)
	}
	return out
}

func (h *Hub) presenceChanged(userID string) {
	h.mu.RLock()
	state := h.presenceLocked(userID)
	frame, _ := json.Marshal(Event{Type: "presence", UserID: userID, State: state})
	for c := range h.watchers[userID] {
		c.send(frame)
	}
	h.mu.RUnlock()
}

// Typing tells the chat's other members connected here that c is typing,
// if c's user is a member.
func (h *Hub) Typing(ctx context.Context, c *Client, chatID string) error {
	members, err := h.membersOf(ctx, chatID)
	if err != nil || !slices.Contains(members, c.UserID) {
		return err
	}
	others := slices.DeleteFunc(slices.Clone(members), func(m string) bool { return m == c.UserID })
	h.push(others, Event{Type: "typing", ChatID: chatID, UserID: c.UserID, Name: c.Name}, c)
	return nil
}
