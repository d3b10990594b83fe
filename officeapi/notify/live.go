package notify

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Watches names the inbox's collection (desktop.Watcher): a notification
// stored, read or deleted tells its recipient's open desktops at once
// (sources ["notifications"]), and the SPA's bell counts again.
func (s *Service) Watches() []string { return []string{Collection} }

// Audience of a notification is its recipient.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var n Notification
	if err := doc.Decode(&n); err != nil {
		return desktop.Audience{}, err
	}
	return desktop.Audience{Users: []string{n.Recipient}}, nil
}

// Contribute puts nothing on the desktop itself: the notices are the
// bell's, in the header of every office page (desktop.Source, so that the
// Hub asks Audience).
func (s *Service) Contribute(context.Context, *auth.Principal) (desktop.Contribution, error) {
	return desktop.Contribution{}, nil
}

// Wait waits until the inbox's list has applied a feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.notes.Wait(ctx, consistentWith)
}
