package mail

import (
	"context"
	"slices"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// Letter is one mail as its holder reads it: their entry, the message
// (Bcc shown to the sender alone) at its version (a draft is edited at
// it), and for the sender each recipient's read state.
type Letter struct {
	Entry   Entry       `json:"entry"`
	Message Message     `json:"message"`
	Version int64       `json:"version"`
	Seq     int64       `json:"seq"`
	States  []ReadState `json:"states,omitempty"`
}

// ReadState is where one recipient's copy stands, for the sender.
type ReadState struct {
	Recipient
	Read     bool   `json:"read"`
	ReadAt   string `json:"readAt,omitempty"`
	Recalled bool   `json:"recalled"`
}

// Read opens p's mailbox entry id: first reading marks it read (and sends
// the sender a read receipt when asked for). Someone else's entry is the
// 404 of a missing one.
func (s *Service) Read(ctx context.Context, a records.Actor, id string) (Letter, error) {
	e, doc, err := s.entries.Get(ctx, a.P, id)
	if err != nil {
		return Letter{}, err
	}
	if !e.Read {
		now := s.entries.Now()
		e, doc, err = s.entries.Step(ctx, a, "mail.read", id, func(e *Entry) (map[string]any, error) {
			e.Read, e.ReadAt = true, &now
			return map[string]any{"message": e.Message}, nil
		})
		if err != nil {
			return Letter{}, err
		}
		m, _, err := s.message(ctx, e.Message)
		if err == nil && m.Receipt && e.Owner != m.Sender {
			s.notify(ctx, notify.Notice{Recipients: []string{m.Sender}, Kind: notify.KindMail,
				Title: "已读回执：" + a.P.Name + " 已阅读《" + m.Subject + "》", Link: MessageLink(m.ID),
				Key: "mail-receipt:" + e.ID, Classification: m.Classification, Actor: a.P.UserID})
		}
	}
	return s.letter(ctx, e, doc)
}

// letter is e with its message as e's owner may see it.
func (s *Service) letter(ctx context.Context, e Entry, doc store.Doc) (Letter, error) {
	m, v, err := s.message(ctx, e.Message)
	if err != nil {
		return Letter{}, err
	}
	l := Letter{Entry: e, Message: m, Version: v, Seq: doc.Seq}
	if e.Owner != m.Sender {
		l.Message.Bcc = []Address{}
		l.Message.Gone = nil
		l.Message.Recipients = slices.DeleteFunc(slices.Clone(m.Recipients), func(r Recipient) bool {
			return r.Field == "bcc" && r.UserID != e.Owner
		})
		return l, nil
	}
	if m.State != StateSent {
		return l, nil
	}
	copies, err := store.LoadPrefix[Entry](ctx, s.d.Store, Entries, m.ID+".")
	if err != nil {
		return Letter{}, err
	}
	byOwner := map[string]Entry{}
	for _, c := range copies {
		byOwner[c.Owner] = c
	}
	for _, r := range m.Recipients {
		c := byOwner[r.UserID]
		st := ReadState{Recipient: r, Read: c.Read, Recalled: c.Folder == gone && !c.Read}
		if c.ReadAt != nil {
			st.ReadAt = c.ReadAt.Format("2006-01-02 15:04")
		}
		l.States = append(l.States, st)
	}
	return l, nil
}

// Describe is a mailbox entry of p's as a to-do names it (the assistant's
// "to-do from a mail"): its title, the link that opens it and its 密级;
// the 404 of a missing mail unless p holds it.
func (s *Service) Describe(ctx context.Context, p *auth.Principal, id string) (title, link string, level classification.Level, err error) {
	e, _, err := s.entries.Get(ctx, p, id)
	if err != nil {
		return "", "", "", err
	}
	return "邮件：" + e.Subject, EntryLink(e.ID), e.Classification, nil
}

// ByMessage is p's own copy of a message (the target of a search hit or a
// notice): the 404 of a missing mail when p holds none.
func (s *Service) ByMessage(ctx context.Context, a records.Actor, message string) (Letter, error) {
	if message == "" {
		return Letter{}, notFound()
	}
	return s.Read(ctx, a, entryID(message, a.P.UserID))
}
