package store

import (
	"context"
	"sync"
)

// Notifying wraps a Store and tells subscribers after every committed put,
// PutAll or delete. In-process feed consumers subscribe with their Notify
// method so that a write reaches the indexes in milliseconds instead of at
// the consumer's next poll; consumers in other processes still poll.
type Notifying struct {
	Store
	mu   sync.RWMutex
	subs []func()
}

// WithNotify wraps s.
func WithNotify(s Store) *Notifying { return &Notifying{Store: s} }

// Subscribe adds f, which must not block (feed.Consumer.Notify does not).
func (n *Notifying) Subscribe(f func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.subs = append(n.subs, f)
}

func (n *Notifying) notify() {
	n.mu.RLock()
	defer n.mu.RUnlock()
	for _, f := range n.subs {
		f()
	}
}

// Put writes through and notifies on success.
func (n *Notifying) Put(ctx context.Context, collection, id string, data []byte, expect int64) (Doc, error) {
	d, err := n.Store.Put(ctx, collection, id, data, expect)
	if err == nil {
		n.notify()
	}
	return d, err
}

// PutAll writes through and notifies once on success (a nonempty list):
// one wake-up covers all of its feed entries.
func (n *Notifying) PutAll(ctx context.Context, writes []Write) ([]Doc, error) {
	docs, err := n.Store.PutAll(ctx, writes)
	if err == nil && len(docs) > 0 {
		n.notify()
	}
	return docs, err
}

// Delete writes through and notifies on success.
func (n *Notifying) Delete(ctx context.Context, collection, id string, expect int64) (int64, error) {
	seq, err := n.Store.Delete(ctx, collection, id, expect)
	if err == nil {
		n.notify()
	}
	return seq, err
}
