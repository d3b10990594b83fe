package cms

import (
	"sync"
	"time"
)

// clock is the service's time source. Demo seeding runs the real workflow
// "at" each demo item's date so that the portal shows a believable history;
// outside seeding it is the process clock.
type clock struct {
	base func() time.Time
	mu   sync.RWMutex
	at   time.Time // zero: use base
}

func (c *clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if !c.at.IsZero() {
		return c.at
	}
	return c.base()
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = t
}
