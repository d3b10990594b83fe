package delivery

import (
	"sync"
	"sync/atomic"
)

// Responses are cached in memory and stamped with the state of the portal
// they were made from. A stamp stays fresh until a portal item changes:
// the consumer's projection of any portal_items document moves the
// generation and the highest portal sequence, and a stamp is fresh only if
// it carries the current generation and was taken when the index had
// already applied that sequence. Writes to other collections move the
// feed checkpoint but leave the caches warm.
//
// Between a store write and its projection a cached response may show the
// previous state: at most the consumer's lag (milliseconds after Notify,
// the poll interval otherwise). consistentWith waits for the index, so a
// writer that passes its sequence always sees its write.
type stamp struct {
	gen uint64
	cp  int64
}

// freshness tracks the portal's changes for the caches.
type freshness struct {
	gen       atomic.Uint64
	portalSeq atomic.Int64
}

// changed records that a portal item at feed sequence seq is being
// (re)indexed.
func (f *freshness) changed(seq int64) {
	for {
		cur := f.portalSeq.Load()
		if seq <= cur || f.portalSeq.CompareAndSwap(cur, seq) {
			break
		}
	}
	f.gen.Add(1)
}

// stamp is taken before reading what a response is made of.
func (s *Service) stamp() stamp {
	g := s.fresh.gen.Load()
	return stamp{gen: g, cp: s.index.Checkpoint()}
}

func (s *Service) isFresh(st stamp) bool {
	return st.gen == s.fresh.gen.Load() && st.cp >= s.fresh.portalSeq.Load()
}

// cache is a bounded map of stamped values. When it outgrows its budget
// (entries or bytes), it drops entries at random (Go's map order) until
// it is back under 90 % of it: cheap, and fair to a uniform load.
type cache[V any] struct {
	mu         sync.RWMutex
	entries    map[string]cached[V]
	bytes      int
	maxEntries int
	maxBytes   int
	size       func(V) int
}

type cached[V any] struct {
	st stamp
	v  V
}

func newCache[V any](maxEntries, maxBytes int, size func(V) int) *cache[V] {
	return &cache[V]{entries: make(map[string]cached[V], 256), maxEntries: maxEntries, maxBytes: maxBytes, size: size}
}

func (c *cache[V]) get(key string, fresh func(stamp) bool) (V, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || !fresh(e.st) {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (c *cache[V]) put(key string, st stamp, v V) {
	if c.maxEntries <= 0 {
		return
	}
	n := c.size(v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.bytes -= c.size(old.v)
	}
	c.entries[key] = cached[V]{st: st, v: v}
	c.bytes += n
	if len(c.entries) <= c.maxEntries && c.bytes <= c.maxBytes {
		return
	}
	for k, e := range c.entries {
		if len(c.entries) <= c.maxEntries*9/10 && c.bytes <= c.maxBytes*9/10 {
			break
		}
		delete(c.entries, k)
		c.bytes -= c.size(e.v)
	}
}

func (c *cache[V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
