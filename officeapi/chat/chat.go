// Package chat is instant messaging (即时通讯): one-to-one chats (one per
// pair of people) and groups (a name, an owner, members and a 密级 limit),
// text and file messages, read state, presence and typing, delivered over
// a WebSocket (chathttp).
//
// The delivery guarantee rests on three facts:
//
//   - a message is acknowledged only after the store committed it, with
//     the dedup record of its client id in the same write, so a resent
//     message (the client did not see the ack) is stored once and
//     acknowledged again with the same position;
//   - each chat numbers its messages without gaps (store.NextNumber: the
//     number commits with the message), so "everything after position N"
//     is exact and a client that knows its last position per chat misses
//     nothing after a reconnect or a server restart;
//   - each process follows the store's change feed (Hub) and pushes new
//     messages to the members connected to it, so a message reaches a
//     user connected to another process on the same store.
//
// See docs/adr/0011-messaging.md.
package chat

import (
	"fmt"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collections of the capability.
const (
	Collection         = "chats"         // one Chat per id
	MessagesCollection = "chat_messages" // one Message per chat and position
	ReadsCollection    = "chat_reads"    // one ReadState per chat and member
	DedupCollection    = "chat_dedup"    // a sender's client id → the message it made
)

// Kinds of chat and of message.
const (
	KindDirect = "direct"
	KindGroup  = "group"

	MessageText   = "text"
	MessageFile   = "file"
	MessageSystem = "system" // a membership change, told in the chat
)

// Limits.
const (
	MaxText    = 4000
	MaxMembers = 500
	MaxPage    = 200
)

// Chat is a conversation; its JSON is the API's too. Members see it;
// its list index stores them as readers.
type Chat struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // direct, group
	Name  string `json:"name,omitempty"`
	Owner string `json:"owner,omitempty"`
	// Department is where the chat was opened from (its creator's first
	// department): what the office's statistics group by, no reader's right.
	Department     string               `json:"department,omitempty"`
	Members        []string             `json:"members"`
	MemberNames    map[string]string    `json:"memberNames"`
	Classification classification.Level `json:"classification"` // the highest 密级 its messages may carry
	CreatedAt      time.Time            `json:"createdAt"`
	UpdatedAt      time.Time            `json:"updatedAt"`
}

// AccessOf is who may read a chat, its messages and files: its members,
// if their clearance covers its 密级.
func AccessOf(c *Chat) auth.Access {
	readers := make([]string, len(c.Members))
	for i, m := range c.Members {
		readers[i] = auth.User(m)
	}
	return auth.Access{Classification: c.Classification, Readers: readers}
}

// Message is one message of a chat. Position numbers a chat's messages
// from 1 without gaps, in commit order.
type Message struct {
	ID             string               `json:"id"`
	ChatID         string               `json:"chatId"`
	Position       int64                `json:"position"`
	Kind           string               `json:"kind"` // text, file, system
	Sender         string               `json:"sender"`
	SenderName     string               `json:"senderName"`
	ClientID       string               `json:"clientId,omitempty"`
	Text           string               `json:"text,omitempty"` // plain text: the SPA escapes it
	MediaID        string               `json:"mediaId,omitempty"`
	FileName       string               `json:"fileName,omitempty"`
	FileSize       int64                `json:"fileSize,omitempty"`
	Classification classification.Level `json:"classification"`
	At             time.Time            `json:"at"`
}

// ReadState is how far a member has read a chat.
type ReadState struct {
	ChatID   string    `json:"chatId"`
	UserID   string    `json:"userId"`
	Position int64     `json:"position"`
	At       time.Time `json:"at"`
}

// messageID orders a chat's messages by position in the store's id order.
func messageID(chatID string, pos int64) string { return fmt.Sprintf("%s.%012d", chatID, pos) }

func readID(chatID, userID string) string { return chatID + ":" + userID }

func dedupID(sender, clientID string) string { return sender + ":" + clientID }

func sequenceName(chatID string) string { return "chat/" + chatID }
