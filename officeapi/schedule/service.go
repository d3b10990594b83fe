package schedule

import (
	"context"
	"time"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/search/feed"
	"zhengwu/shared/auth"
)

// Deps is what the schedule needs from the process.
type Deps = records.Deps

// Service is the leaders' schedule. Its list index's Start, Close and
// Notify are the module table's; the collections stay private, so that
// every write goes through the rules of this package.
type Service struct {
	*feed.ListIndex
	d       Deps
	entries *records.Collection[Entry]
	// Fonts are the PDF export's typefaces (layout.SystemFonts unless set).
	Fonts layout.Fonts
	// Notices tells the leaders and submitters concerned when a week is
	// published or an activity of it changes (notices.go); nil tells no
	// one. Not named Notify: that is the list index's.
	Notices notify.Sender
}

// New opens the entries' collection and list index; Start feeds it.
func New(d Deps) (*Service, error) {
	c, err := records.Open(records.Config[Entry]{Deps: d, Collection: Collection,
		Noun: records.Noun{Zh: "领导活动", En: "leader activity"}, Access: AccessOf})
	if err != nil {
		return nil, err
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{ListIndex: c.ListIndex, d: d, entries: c, Fonts: layout.SystemFonts()}, nil
}

// now is the service's clock.
func (s *Service) now() time.Time { return s.entries.Now() }

// Get returns an entry to its submitter, its department's submitters and
// the office; 404 to anyone else, whether or not it exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.entries.Get(ctx, p, id))
}

// Wait waits until the entry lists have applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.entries.Wait(ctx, consistentWith)
}
