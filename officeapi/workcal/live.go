package workcal

import "sync/atomic"

// Provider hands out the calendar in force now. A *Calendar is one (always
// itself); a *Live is one whose calendar changes when an edit is saved, so
// that whoever counts deadlines with it (the workflow engine) follows the
// edits without a restart.
type Provider interface {
	Current() *Calendar
}

// Current is c itself: a fixed calendar.
func (c *Calendar) Current() *Calendar { return c }

// Live is a calendar that can be swapped while in use: each Current is the
// calendar last Set, safe for any number of goroutines (an atomic pointer:
// calendars are immutable, so a reader never sees half an edit).
type Live struct {
	p atomic.Pointer[Calendar]
}

// NewLive returns a Live holding c.
func NewLive(c *Calendar) *Live {
	l := &Live{}
	l.p.Store(c)
	return l
}

// Current is the calendar last set.
func (l *Live) Current() *Calendar { return l.p.Load() }

// Set makes c the calendar in force.
func (l *Live) Set(c *Calendar) { l.p.Store(c) }
