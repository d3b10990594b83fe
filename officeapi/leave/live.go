package leave

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Watches names the collection of leave requests (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Collection} }

// Audience of a request: its applicant (their panel), and while pending
// everyone who may approve it in its department (their 待办).
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var r Request
	if err := doc.Decode(&r); err != nil {
		return desktop.Audience{}, err
	}
	a := desktop.Audience{Users: []string{r.Applicant}}
	if r.State == StatePending {
		a.Anyone = func(p *auth.Principal) bool {
			return p.UserID != r.Applicant && p.Can(auth.PermLeaveApprove, r.Department)
		}
	}
	return a, nil
}

// Wait waits until the request lists have applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.requests.Wait(ctx, consistentWith)
}
