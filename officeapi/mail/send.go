package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// Input is a mail being written: sent (POST /mail) or kept as a draft.
// Draft and Version name the draft it sends or edits (its entry id and
// the message version the writer read).
type Input struct {
	To             []Address            `json:"to" validate:"max=200,dive"`
	Cc             []Address            `json:"cc" validate:"max=200,dive"`
	Bcc            []Address            `json:"bcc" validate:"max=200,dive"`
	Subject        string               `json:"subject" validate:"max=200,nocontrol"`
	Body           string               `json:"body" validate:"max=1000000"`
	Attachments    []Attachment         `json:"attachments" validate:"max=50,dive"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification"`
	Receipt        bool                 `json:"receipt"`
	Draft          string               `json:"draft,omitempty" validate:"max=200"`
	Version        int64                `json:"version,omitempty" validate:"gte=0"`
}

// Send sends a mail (a new one, or the draft in.Draft at in.Version) and
// answers the sender's copy in 已发送.
func (s *Service) Send(ctx context.Context, a records.Actor, in Input) (Letter, error) {
	m, err := s.compose(ctx, a, in, true)
	if err != nil {
		return Letter{}, err
	}
	var copies map[string]Entry
	err = store.Retry(ctx, func(ctx context.Context) error {
		writes, recipients, err := s.sendWrites(ctx, a, &m, in)
		if err != nil {
			return err
		}
		copies = recipients
		return s.commit(ctx, a, "mail.send", m.ID, writes, map[string]any{"recipients": len(m.Recipients),
			"classification": string(m.Classification), "attachments": len(m.Attachments), "size": m.Size})
	})
	if err != nil {
		return Letter{}, s.entries.Refused(ctx, a, "mail.send", Messages+"/"+m.ID, err)
	}
	to := make([]string, 0, len(copies))
	for id := range copies {
		to = append(to, id)
	}
	slices.Sort(to)
	s.notify(ctx, notify.Notice{Recipients: to, Kind: notify.KindMail, Title: "收到新邮件：" + m.Subject,
		Body: "发件人：" + m.SenderName, Link: MessageLink(m.ID), Key: "mail:" + m.ID,
		Classification: m.Classification, Actor: a.P.UserID})
	return s.Read(ctx, a, entryID(m.ID, a.P.UserID))
}

// SaveDraft keeps a new draft (in.Draft empty) or edits one at its version.
func (s *Service) SaveDraft(ctx context.Context, a records.Actor, in Input) (Letter, error) {
	m, err := s.compose(ctx, a, in, false)
	if err != nil {
		return Letter{}, err
	}
	err = store.Retry(ctx, func(ctx context.Context) error {
		box, boxVersion, err := s.mailbox(ctx, a.P.UserID)
		if err != nil {
			return err
		}
		var old Message
		entryVersion := int64(0)
		if in.Draft != "" {
			old, _, entryVersion, err = s.ownDraft(ctx, a.P, in.Draft, in.Version)
			if err != nil {
				return err
			}
			m.CreatedAt = old.CreatedAt
		}
		box.Bytes += m.Size - old.Size
		if err := s.withinQuota(box, a.P.Name); err != nil {
			return err
		}
		writes := []store.Write{s.put(Messages, m.ID, m, in.Version),
			s.put(Entries, entryID(m.ID, a.P.UserID), s.senderEntry(&m, Drafts), entryVersion),
			s.put(Usage, box.ID, box, boxVersion)}
		writes = append(writes, attachment.Writes(Messages, m.ID, m.MediaIDs()...)...)
		return s.commit(ctx, a, "mail.draft", m.ID, writes, map[string]any{"size": m.Size})
	})
	if err != nil {
		return Letter{}, s.entries.Refused(ctx, a, "mail.draft", Messages+"/"+m.ID, err)
	}
	return s.Read(ctx, a, entryID(m.ID, a.P.UserID))
}

// compose checks in and makes the message it describes; send also
// expands and checks the recipients.
func (s *Service) compose(ctx context.Context, a records.Actor, in Input, send bool) (Message, error) {
	level := in.Classification
	if level == "" {
		level = classification.Feimi
	}
	subject := strings.TrimSpace(in.Subject)
	var bad []problem.FieldError
	if send && subject == "" {
		bad = append(bad, problem.Field("subject", "请填写邮件主题", "subject is required"))
	}
	if !s.d.MaxClassification.Covers(level) {
		bad = append(bad, problem.Field("classification",
			fmt.Sprintf("邮件最高只能为%s；%s及以上的内容请按公文办理", s.d.MaxClassification, level),
			fmt.Sprintf("mail carries at most %s; send %s as an official document", s.d.MaxClassification, level)))
	}
	if !a.P.Clearance.Covers(level) {
		bad = append(bad, problem.Field("classification", "密级高于本人的涉密等级", "above your clearance"))
	}
	if in.Draft != "" && in.Version <= 0 {
		bad = append(bad, problem.Field("version", "请提供草稿的版本号", "the draft's version is required"))
	}
	if len(bad) > 0 {
		return Message{}, problem.Invalid(bad...)
	}
	now := s.entries.Now()
	m := Message{ID: uuid.NewString(), State: StateDraft, Sender: a.P.UserID, SenderName: a.P.Name, Subject: subject,
		Body: richtext.Sanitize(in.Body), Classification: level, Receipt: in.Receipt,
		To: orEmpty(in.To), Cc: orEmpty(in.Cc), Bcc: orEmpty(in.Bcc), Recipients: []Recipient{},
		Attachments: []Attachment{}, CreatedAt: now, UpdatedAt: now}
	if in.Draft != "" {
		id, _, _ := strings.Cut(in.Draft, ".")
		m.ID = id
	}
	for i, at := range in.Attachments {
		f, ok, err := s.d.Media(ctx, at.MediaID)
		if err != nil {
			return Message{}, err
		}
		if !ok {
			return Message{}, problem.Invalid(problem.Field(fmt.Sprintf("attachments[%d].mediaId", i), "附件不存在，请重新上传", "no such file"))
		}
		if name := strings.TrimSpace(at.Name); name != "" {
			f.Name = name
		}
		m.Attachments = append(m.Attachments, f)
	}
	m.Size = int64(len(m.Subject) + len(m.Body))
	for _, at := range m.Attachments {
		m.Size += at.Size
	}
	if err := s.name(ctx, &m); err != nil {
		return Message{}, err
	}
	if send {
		if err := s.expand(ctx, a.P, &m); err != nil {
			return Message{}, err
		}
		m.State, m.SentAt = StateSent, &now
	}
	return m, nil
}

// sendWrites are the writes of sending m: the message, the sender's copy
// in 已发送 (the draft's entry moved there), a copy in each recipient's
// 收件箱 and every mailbox's usage, all within the quota.
func (s *Service) sendWrites(ctx context.Context, a records.Actor, m *Message, in Input) ([]store.Write, map[string]Entry, error) {
	box, boxVersion, err := s.mailbox(ctx, a.P.UserID)
	if err != nil {
		return nil, nil, err
	}
	entryVersion := int64(0)
	if in.Draft != "" {
		old, _, v, err := s.ownDraft(ctx, a.P, in.Draft, in.Version)
		if err != nil {
			return nil, nil, err
		}
		m.CreatedAt, entryVersion = old.CreatedAt, v
		box.Bytes -= old.Size
	}
	box.Bytes += m.Size
	if err := s.withinQuota(box, a.P.Name); err != nil {
		return nil, nil, err
	}
	writes := []store.Write{s.put(Messages, m.ID, *m, in.Version),
		s.put(Entries, entryID(m.ID, a.P.UserID), s.senderEntry(m, Sent), entryVersion),
		s.put(Usage, box.ID, box, boxVersion)}
	copies := map[string]Entry{}
	var full []string
	for _, r := range m.Recipients {
		rb, v, err := s.mailbox(ctx, r.UserID)
		if err != nil {
			return nil, nil, err
		}
		rb.Bytes += m.Size
		if s.withinQuota(rb, r.Name) != nil {
			full = append(full, r.Name)
			continue
		}
		e := Entry{ID: entryID(m.ID, r.UserID), Owner: r.UserID, Message: m.ID, Folder: Inbox, Field: r.Field,
			Subject: m.Subject, Sender: m.Sender, SenderName: m.SenderName, ToNames: toNames(m.To),
			Classification: m.Classification, Attachments: len(m.Attachments), Size: m.Size, At: *m.SentAt}
		copies[r.UserID] = e
		writes = append(writes, s.put(Entries, e.ID, e, 0), s.put(Usage, rb.ID, rb, v))
	}
	if len(full) > 0 {
		return nil, nil, problem.New(413, "mailbox_full", "以下收件人的邮箱空间已满，邮件未发出："+strings.Join(full, "、"),
			"these recipients' mailboxes are full; nothing was sent: "+strings.Join(full, ", "))
	}
	return append(writes, attachment.Writes(Messages, m.ID, m.MediaIDs()...)...), copies, nil
}

// ownDraft is p's draft named by its entry id, at the version p read.
func (s *Service) ownDraft(ctx context.Context, p *auth.Principal, id string, version int64) (Message, Entry, int64, error) {
	e, doc, err := s.entries.Get(ctx, p, id)
	if err != nil {
		return Message{}, Entry{}, 0, err
	}
	if e.Folder != Drafts {
		return Message{}, Entry{}, 0, problem.InvalidState("已发送", "sent")
	}
	m, v, err := s.message(ctx, e.Message)
	if err != nil {
		return Message{}, Entry{}, 0, err
	}
	if v != version {
		return Message{}, Entry{}, 0, problem.Conflict("草稿已在别处修改，请重新打开", "the draft changed since you read it")
	}
	return m, e, doc.Version, nil
}

// senderEntry is the sender's own copy of m in folder.
func (s *Service) senderEntry(m *Message, folder string) Entry {
	at := m.UpdatedAt
	if m.SentAt != nil {
		at = *m.SentAt
	}
	return Entry{ID: entryID(m.ID, m.Sender), Owner: m.Sender, Message: m.ID, Folder: folder, Read: true,
		Subject: m.Subject, Sender: m.Sender, SenderName: m.SenderName, ToNames: toNames(m.To),
		Classification: m.Classification, Attachments: len(m.Attachments), Size: m.Size, At: at}
}

// mailbox is owner's usage and its version (0: none yet).
func (s *Service) mailbox(ctx context.Context, owner string) (Mailbox, int64, error) {
	b, v, err := store.Load[Mailbox](ctx, s.d.Store, Usage, owner)
	if errors.Is(err, store.ErrNotFound) {
		return Mailbox{ID: owner}, 0, nil
	}
	return b, v, err
}

// withinQuota refuses a mailbox over the quota, with its usage.
func (s *Service) withinQuota(b Mailbox, name string) error {
	if b.Bytes <= s.d.Quota {
		return nil
	}
	return problem.New(413, "mailbox_full",
		fmt.Sprintf("邮箱空间已满：%s已用 %s / %s", name, human(b.Bytes), human(s.d.Quota)),
		fmt.Sprintf("mailbox full: %s uses %d of %d bytes", name, b.Bytes, s.d.Quota)).
		With("used", b.Bytes).With("quota", s.d.Quota)
}

// human is a byte count as people read it (1.5 GB).
func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// put is one write of v at version (0: new).
func (s *Service) put(collection, id string, v any, version int64) store.Write {
	data, _ := store.Encode(v)
	return store.Write{Collection: collection, ID: id, Data: data, ExpectVersion: version}
}

// commit writes writes with the audit entry of a's action on a message.
func (s *Service) commit(ctx context.Context, a records.Actor, action, message string, writes []store.Write, details map[string]any) error {
	_, err := s.d.Trail.Commit(ctx, writes, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action,
		Target: Messages + "/" + message, Outcome: audit.Success, Details: details})
	if err == nil {
		s.entries.Notify()
	}
	return err
}

// MessageLink is the SPA path that opens a mail for whoever holds it.
func MessageLink(message string) string { return "/office/mail/message/" + message }

// EntryLink is the SPA path that opens one mailbox entry.
func EntryLink(entry string) string { return "/office/mail/read/" + entry }

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
