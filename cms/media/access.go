package media

import (
	"context"
	"fmt"

	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
)

// Access decides whether p (nil: an anonymous reader) may read the file,
// and whether the answer may be cached by anyone. Every document that
// attaches the file is asked through its capability's rule
// (attachment.Rule, by the document's collection): the file is public if
// one of them is public, readable by p if one of them lets p read it.
// The uploader may read a file no document has taken yet, to check it.
// A file that no rule lets through is, to the reader, not there.
func (s *Service) Access(ctx context.Context, rec Record, p *auth.Principal) (ok, public bool, err error) {
	owners, err := attachment.Owners(ctx, s.store, rec.ID)
	if err != nil {
		return false, false, fmt.Errorf("media: owners of %s: %w", rec.ID, err)
	}
	for _, o := range owners {
		rule := s.rules[o.Collection]
		if rule == nil {
			continue // a collection no capability here decides: it lets no one in
		}
		d, err := rule(ctx, o.ID, rec.ID)
		if err != nil {
			return false, false, err
		}
		switch {
		case !d.Attaches:
		case d.Public:
			return true, true, nil
		case d.Access.Allows(p):
			ok = true
		}
	}
	if !ok && p != nil && len(owners) == 0 && rec.CreatedBy == p.UserID {
		ok = true
	}
	return ok, false, nil
}

// Readable is the media id names if p (nil: anonymous) may read it, and
// whether it is public. A file p may not read is, to p, not there: the
// same 404 as a missing one.
func (s *Service) Readable(ctx context.Context, id string, p *auth.Principal) (rec Record, public bool, err error) {
	rec, err = s.Get(ctx, id)
	if err != nil {
		return rec, false, err
	}
	ok, public, err := s.Access(ctx, rec, p)
	if err == nil && !ok {
		err = errNoMedia()
	}
	return rec, public, err
}
