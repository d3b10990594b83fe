// Package notify is the one notification inbox (消息提醒) every capability
// writes to: a task arrived, a document was urged, a meeting notice, a
// change to the leaders' schedule, a mail, a mention in the forum. Each
// person reads their own notices on the desktop, live over the desktop's
// event stream, and chooses which kinds they want.
//
// This file is the contract the capabilities write against: a Notice and
// the Sender that takes it. The inbox itself (the Service) implements
// Sender.
package notify

import (
	"context"

	"zhengwu/shared/classification"
)

// Kinds of notice. A person's preferences switch kinds on and off.
const (
	KindTask     = "task"     // a 公文 or other task arrived on one's desktop
	KindUrge     = "urge"     // a task was urged (催办) or fell overdue
	KindMeeting  = "meeting"  // a meeting notice, a change or a cancellation
	KindSchedule = "schedule" // the leaders' weekly schedule was published or changed
	KindMail     = "mail"     // a mail arrived, or a read receipt came back
	KindMention  = "mention"  // someone mentioned the person (forum, chat)
	KindSystem   = "system"   // anything else the office tells its staff
)

// Kinds lists every kind, in the order the preferences page shows them.
var Kinds = []string{KindTask, KindUrge, KindMeeting, KindSchedule, KindMail, KindMention, KindSystem}

// Notice is one thing to tell some people. The inbox stores one
// notification per recipient.
type Notice struct {
	// Recipients are user ids. The sender decides who may know: a notice
	// goes only to people who may read what it is about.
	Recipients []string
	Kind       string
	// Title is one line in Chinese ("收到新邮件：关于…的通知"); Body an
	// optional plain-text line under it. Neither is rich text.
	Title string
	Body  string
	// Link is the SPA path that opens what the notice is about
	// ("/office/mail/inbox/ID").
	Link string
	// Key makes sending idempotent: the same Key to the same recipient is
	// stored once, so a retried step or a second process does not tell
	// anyone twice ("mail:ID", "urge:DOCID:2026-12-07"). Required.
	Key string
	// Classification is the 密级 of what the notice is about: shown as a
	// mark beside the title, and a recipient whose clearance is below it
	// is left out.
	Classification classification.Level
	// Actor is the user id of whoever caused it ("" for the system).
	Actor string
}

// Sender takes notices. Capabilities hold one in their Deps; a nil Sender
// sends nothing (a capability built without the inbox, as in its own unit
// tests). Send is called after the change it tells of has committed, and
// its error is logged by the caller, never returned to the user: a notice
// that failed does not undo the mail that was sent.
type Sender interface {
	Send(ctx context.Context, n Notice) error
}
