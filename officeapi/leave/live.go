package leave

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Watches names the collection of leave requests (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Collection} }

// Audience of a request: its applicant (their panel) and everyone who may
// approve it in its department — in any state: a decided or withdrawn
// request leaves their 待办, which they are told as well.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var r Request
	if err := doc.Decode(&r); err != nil {
		return desktop.Audience{}, err
	}
	return desktop.Audience{Users: []string{r.Applicant}, Anyone: func(p *auth.Principal) bool {
		return p.UserID != r.Applicant && p.Can(auth.PermLeaveApprove, r.Department)
	}}, nil
}

// Wait waits until the request lists have applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.requests.Wait(ctx, consistentWith)
}
