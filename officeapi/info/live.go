package info

import (
	"context"
	"slices"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Watches names the collection of information items (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Collection} }

// Audience of an item: its author (drafts, returns) and everyone who may
// read it (reviewers of a submitted item, readers of a published one).
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var it Item
	if err := doc.Decode(&it); err != nil {
		return desktop.Audience{}, err
	}
	return desktop.Audience{Users: []string{it.Author}, Anyone: func(p *auth.Principal) bool {
		return slices.ContainsFunc(p.Tokens(), func(t string) bool { return slices.Contains(it.Principals, t) })
	}}, nil
}

// Wait waits until the item lists have applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.items.Wait(ctx, consistentWith)
}
