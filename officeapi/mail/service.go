package mail

import (
	"context"
	"encoding/json"
	"log/slog"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/search/feed"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Directory is what mail needs of the organisation: a person (name,
// clearance, disabled) and the active people with their departments.
type Directory interface {
	User(ctx context.Context, id string) (identity.User, error)
	Directory(ctx context.Context) ([]identity.Person, error)
	Department(ctx context.Context, id string) (identity.Department, error)
}

// Defaults of Config.
const (
	DefaultQuota = 2 << 30 // bytes per mailbox
	// DefaultMaxClassification is the highest 密级 mail carries: 机密 and
	// 绝密 go as 公文, which are registered, numbered and tracked copy by
	// copy; a mail is none of those.
	DefaultMaxClassification = classification.Mimi
)

// Deps is what mail needs from the process.
type Deps struct {
	records.Deps
	Directory Directory
	// Media describes a stored file by id (its real size and sniffed
	// type); false: no such file.
	Media func(ctx context.Context, id string) (Attachment, bool, error)
	// Notify takes the notices of new mail and read receipts; nil sends
	// nothing.
	Notify notify.Sender
	// MaxClassification is the highest 密级 a mail may carry (default
	// DefaultMaxClassification); Quota the bytes of one mailbox (default
	// DefaultQuota).
	MaxClassification classification.Level
	Quota             int64
}

// Service is internal mail. Its list index (of mailbox entries) gives the
// module table Start, Close and Notify.
type Service struct {
	*feed.ListIndex
	entries *records.Collection[Entry]
	d       Deps
	log     *slog.Logger
}

// New opens the mailbox entries and their list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.MaxClassification == "" {
		d.MaxClassification = DefaultMaxClassification
	}
	if d.Quota <= 0 {
		d.Quota = DefaultQuota
	}
	c, err := records.Open(records.Config[Entry]{Deps: d.Deps, Collection: Entries,
		Noun: records.Noun{Zh: "邮件", En: "mail"}, Access: EntryAccess,
		Project: func(e *Entry) map[string]any {
			if e.Folder == gone {
				return nil
			}
			var m map[string]any
			if data, err := json.Marshal(e); err == nil && json.Unmarshal(data, &m) == nil {
				return m
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Service{ListIndex: c.ListIndex, entries: c, d: d, log: log}, nil
}

// notify sends n after its change committed; a failure is logged, never
// returned (the mail went).
func (s *Service) notify(ctx context.Context, n notify.Notice) {
	if s.d.Notify == nil || len(n.Recipients) == 0 {
		return
	}
	if err := s.d.Notify.Send(ctx, n); err != nil {
		s.log.Error("mail notice not sent", "key", n.Key, "err", err)
	}
}

// message loads a mail by id (no access check: the caller has read the
// entry that names it).
func (s *Service) message(ctx context.Context, id string) (Message, int64, error) {
	m, v, err := store.Load[Message](ctx, s.d.Store, Messages, id)
	if err != nil {
		return Message{}, 0, err
	}
	return m, v, nil
}

// notFound is the 404 of a mail one does not hold.
func notFound() error { return problem.NotFound("邮件不存在", "no such mail") }
