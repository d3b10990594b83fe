package meeting

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Watches names the collection whose changes move meeting notices
// between desktops (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Collection} }

// Audience of a meeting: every attendee (a notice arrives, is read, the
// meeting moves or is called off) and the invited departments' organisers
// (whose 待办 says to name delegates).
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var m Meeting
	if err := doc.Decode(&m); err != nil {
		return desktop.Audience{}, err
	}
	users := []string{m.Organiser}
	for _, a := range m.Attendees {
		users = append(users, a.UserID)
	}
	for _, w := range m.Withdrawn {
		users = append(users, w.UserID)
	}
	depts := make([]string, 0, len(m.Departments))
	for _, d := range m.Departments {
		depts = append(depts, d.Department)
	}
	return desktop.Audience{Users: users, Anyone: func(p *auth.Principal) bool {
		for _, d := range depts {
			if p.Can(auth.PermMeetingOrganise, d) {
				return true
			}
		}
		return false
	}}, nil
}

// Wait waits until the meeting lists have applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.meetings.Wait(ctx, consistentWith)
}

// The live desktop finds these by asserting the desktop.Source.
var (
	_ desktop.Watcher    = (*Service)(nil)
	_ desktop.Consistent = (*Service)(nil)
	_ desktop.Source     = (*Service)(nil)
)
