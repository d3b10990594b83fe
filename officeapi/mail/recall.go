package mail

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Recalled is what a recall did: whose unread copies it took back and who
// had read the mail already (their copies stay).
type Recalled struct {
	Recalled []string `json:"recalled"`
	Read     []string `json:"read"`
}

// Recall takes back the unread copies of a mail the sender sent; id is
// the sender's entry (in 已发送 or wherever they moved it).
func (s *Service) Recall(ctx context.Context, a records.Actor, id string) (Recalled, error) {
	e, _, err := s.entries.Get(ctx, a.P, id)
	if err != nil {
		return Recalled{}, err
	}
	m, _, err := s.message(ctx, e.Message)
	if err != nil {
		return Recalled{}, err
	}
	if m.Sender != a.P.UserID || m.State != StateSent {
		return Recalled{}, s.entries.Refused(ctx, a, "mail.recall", Messages+"/"+m.ID,
			problem.New(403, problem.CodeForbidden, "只有发件人可以撤回已发送的邮件", "only the sender recalls a sent mail"))
	}
	ids := make([]string, 0, len(m.Recipients))
	for _, r := range m.Recipients {
		ids = append(ids, entryID(m.ID, r.UserID))
	}
	removed, err := s.removeEntries(ctx, a, "mail.recall", ids, func(e *Entry) bool { return !e.Read && e.Folder != gone })
	if err != nil {
		return Recalled{}, err
	}
	out := Recalled{Recalled: []string{}, Read: []string{}}
	took := map[string]bool{}
	for _, r := range removed {
		took[r.Owner] = true
	}
	copies, err := store.LoadPrefix[Entry](ctx, s.d.Store, Entries, m.ID+".")
	if err != nil {
		return Recalled{}, err
	}
	read := map[string]bool{}
	for _, c := range copies {
		read[c.Owner] = c.Read
	}
	for _, r := range m.Recipients {
		switch {
		case took[r.UserID]:
			out.Recalled = append(out.Recalled, r.Name)
		case read[r.UserID]:
			out.Read = append(out.Read, r.Name)
		}
	}
	return out, nil
}
