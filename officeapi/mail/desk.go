package mail

import (
	"context"

	"zhengwu/officeapi/desktop"
	"zhengwu/search/source"
	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// SearchProjection puts sent mail into the office search index, readable
// by those who hold a copy (MessageAccess), so that each finds their own
// mail and no one else's; a hit opens the reader's own copy.
func SearchProjection() source.Projection {
	return source.Projection{Index: source.OfficeName, Collection: Messages, Project: func(d store.Doc) (source.Doc, bool) {
		var m Message
		if err := d.Decode(&m); err != nil || m.State != StateSent || m.SentAt == nil {
			return source.Doc{}, false
		}
		acc := MessageAccess(&m)
		return source.Doc{Title: m.Subject, Body: richtext.PlainText(m.Body), Type: "邮件", Issuer: m.SenderName,
			Path: MessageLink(m.ID), PublishedAt: *m.SentAt, Classification: acc.Classification, Readers: acc.Readers,
			Visibility: source.Internal}, true
	}}
}

// MediaRule decides a download of a mail's attachment: readable by the
// sender and the recipients who still hold the mail.
func MediaRule(st store.Store) attachment.Rule {
	return attachment.AccessRule(st, Messages, (*Message).MediaIDs, MessageAccess)
}

// Contribute puts p's unread mail on their desktop (待阅).
func (s *Service) Contribute(ctx context.Context, p *auth.Principal) (desktop.Contribution, error) {
	unread, err := s.List(ctx, p, ListQuery{Folder: Inbox, Unread: true, Size: desktop.Limit})
	if err != nil {
		return desktop.Contribution{}, err
	}
	var c desktop.Contribution
	for _, e := range unread.Items {
		c.ToRead = append(c.ToRead, desktop.Entry{ID: e.ID, Source: "mail", Action: "read", ActionLabel: "未读邮件",
			Title: e.Subject + "（" + e.SenderName + "）", Link: EntryLink(e.ID), Classification: e.Classification, At: e.At})
	}
	c.ToReadTotal = unread.Total
	return c, nil
}

// Watches names the mailbox entries (desktop.Watcher).
func (s *Service) Watches() []string { return []string{Entries} }

// Audience of an entry: its owner.
func (s *Service) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var e Entry
	if err := doc.Decode(&e); err != nil {
		return desktop.Audience{}, err
	}
	return desktop.Audience{Users: []string{e.Owner}}, nil
}

// Wait waits until the mailbox lists have applied a feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	return s.entries.Wait(ctx, consistentWith)
}
