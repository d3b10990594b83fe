// Package mail is the office's internal mail (内部邮件): staff write to
// people, departments (their active members) and groups (one's own
// distribution lists and the office-wide ones the 业务管理员 keeps), with
// To, Cc and Bcc, attachments from the media store, a 密级, drafts, read
// receipts and recall before reading.
//
// A mail is stored once (a Message: sender, subject, the sanitised body,
// attachments, 密级, the recipients as addressed and as expanded at
// sending) and each person who holds it has their own mailbox entry (an
// Entry: folder, read, starred, deleted), so that folders, unread counts,
// deletion and recall are per person. An entry's id is the message's id
// and its owner's ("MSG.USER"): a link to a message (a search hit, a
// notice) opens the reader's own copy.
//
// Quotas (Config.Quota bytes per mailbox): a mail's size is its subject,
// body and attachments; it counts once in every mailbox that holds a copy
// (the sender's 已发送 and each recipient's), until that copy is deleted
// for good or recalled. Sending is refused when the sender's mailbox would
// go over the quota, and when any recipient's would: the problem names
// them and nothing is delivered to anyone (no mail half-sent). Drafts
// count in the sender's mailbox like sent mail.
package mail

import (
	"slices"
	"strings"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collections of mail.
const (
	Messages = "mail_messages" // one Message per mail
	Entries  = "mail_entries"  // one Entry per mailbox copy
	Folders  = "mail_folders"  // one Folder per custom folder
	Groups   = "mail_groups"   // one Group per distribution list
	Usage    = "mail_usage"    // one Mailbox per owner: bytes used
)

// System folders. Custom folders are named by their Folder id.
const (
	Inbox  = "inbox"
	Sent   = "sent"
	Drafts = "drafts"
	Trash  = "trash"
	// gone is an entry deleted for good or recalled: listed nowhere,
	// read by no one, no longer counted against the quota.
	gone = "gone"
)

// systemFolders are the system folders as the SPA lists them.
var systemFolders = []Folder{{ID: Inbox, Name: "收件箱"}, {ID: Sent, Name: "已发送"}, {ID: Drafts, Name: "草稿箱"}, {ID: Trash, Name: "已删除"}}

// Message states.
const (
	StateDraft = "draft"
	StateSent  = "sent"
)

// Address is one line of To/Cc/Bcc as the sender wrote it: exactly one of
// a person, a department (its active members) or a group. Name is filled
// in by the service.
type Address struct {
	UserID       string `json:"userId,omitempty" validate:"omitempty,max=64"`
	DepartmentID string `json:"departmentId,omitempty" validate:"omitempty,orgid"`
	GroupID      string `json:"groupId,omitempty" validate:"omitempty,max=100"`
	Name         string `json:"name,omitempty" validate:"max=100"`
}

// Recipient is one person a sent mail went to, after expansion.
type Recipient struct {
	UserID string `json:"userId"`
	Name   string `json:"name"`
	Field  string `json:"field"` // to, cc, bcc
}

// Attachment is a file of the media store attached to a mail; Size and
// Type are the stored file's, never the client's.
type Attachment struct {
	MediaID string `json:"mediaId" validate:"required,len=64,hexadecimal"`
	Name    string `json:"name" validate:"required,max=255,nocontrol"`
	Size    int64  `json:"size" validate:"gte=0"`
	Type    string `json:"type" validate:"max=127"`
}

// Message is a mail, stored once.
type Message struct {
	ID             string               `json:"id"`
	State          string               `json:"state"`
	Sender         string               `json:"sender"`
	SenderName     string               `json:"senderName"`
	Subject        string               `json:"subject"`
	Body           string               `json:"body"` // sanitised rich text
	Attachments    []Attachment         `json:"attachments"`
	Classification classification.Level `json:"classification"`
	Receipt        bool                 `json:"receipt"` // the sender asks for read receipts
	To             []Address            `json:"to"`
	Cc             []Address            `json:"cc"`
	Bcc            []Address            `json:"bcc"`
	// Recipients are the people it went to (empty for a draft).
	Recipients []Recipient `json:"recipients"`
	// Gone are the recipients who hold it no longer: their copy recalled
	// or deleted for good. They read neither it nor its files.
	Gone      []string   `json:"gone,omitempty"`
	Size      int64      `json:"size"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	SentAt    *time.Time `json:"sentAt,omitempty"`
}

// Entry is one person's copy of a mail: where it is and whether they read
// it. The list fields are the message's, copied so that a folder lists
// from the index alone.
type Entry struct {
	ID       string `json:"id"`
	Owner    string `json:"owner"`
	Message  string `json:"message"`
	Folder   string `json:"folder"`
	Previous string `json:"previous,omitempty"` // the folder it was deleted from (restore)
	Read     bool   `json:"read"`
	Starred  bool   `json:"starred"`
	// Field is how the owner received it (to, cc, bcc); "" for the sender's copy.
	Field          string               `json:"field,omitempty"`
	Subject        string               `json:"subject"`
	Sender         string               `json:"sender"`
	SenderName     string               `json:"senderName"`
	ToNames        string               `json:"toNames"` // the To line as names, for 已发送 and 草稿箱
	Classification classification.Level `json:"classification"`
	Attachments    int                  `json:"attachments"`
	Size           int64                `json:"size"`
	At             time.Time            `json:"at"`
	ReadAt         *time.Time           `json:"readAt,omitempty"`
}

// Folder is a custom folder of one person.
type Folder struct {
	ID     string `json:"id"`
	Owner  string `json:"owner,omitempty"`
	Name   string `json:"name"`
	Unread int    `json:"unread"`
	Total  int    `json:"total"`
}

// Group is a distribution list: a person's own (Owner) or, with no owner,
// office-wide (全体处长), kept by mail.groups holders.
type Group struct {
	ID      string   `json:"id"`
	Owner   string   `json:"owner,omitempty"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
	// MemberNames are the members' names, in the same order.
	MemberNames []string  `json:"memberNames"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Mailbox is the bytes one person's mailbox holds.
type Mailbox struct {
	ID    string `json:"id"` // the owner
	Bytes int64  `json:"bytes"`
}

func entryID(message, owner string) string { return message + "." + owner }

// EntryAccess is who may read a mailbox entry: its owner alone, within
// their clearance; a copy deleted for good or recalled, no one.
func EntryAccess(e *Entry) auth.Access {
	if e.Folder == gone {
		return auth.Access{Classification: e.Classification}
	}
	return auth.Access{Classification: e.Classification, Readers: []string{auth.User(e.Owner)}}
}

// MessageAccess is who may read a mail and its files: the sender, and the
// recipients who still hold it (a draft: the sender alone).
func MessageAccess(m *Message) auth.Access {
	readers := []string{auth.User(m.Sender)}
	for _, r := range m.Recipients {
		if !slices.Contains(m.Gone, r.UserID) {
			readers = append(readers, auth.User(r.UserID))
		}
	}
	return auth.Access{Classification: m.Classification, Readers: readers}
}

// MediaIDs are the files the mail attaches.
func (m *Message) MediaIDs() []string {
	out := make([]string, len(m.Attachments))
	for i, a := range m.Attachments {
		out[i] = a.MediaID
	}
	return out
}

// toNames is the To line as names ("陈晓燕、综合处").
func toNames(as []Address) string {
	names := make([]string, 0, len(as))
	for _, a := range as {
		names = append(names, a.Name)
	}
	return strings.Join(names, "、")
}
