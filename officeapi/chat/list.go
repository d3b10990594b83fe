package chat

import (
	"context"
	"errors"
	"slices"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Summary is one chat in a person's list: the chat, its last message,
// how far the person has read and how many messages they have not.
type Summary struct {
	Chat         Chat     `json:"chat"`
	LastMessage  *Message `json:"lastMessage,omitempty"`
	LastPosition int64    `json:"lastPosition"`
	ReadPosition int64    `json:"readPosition"`
	Unread       int64    `json:"unread"`
}

// Chats is the caller's chat list, latest activity first, with the total
// unread count.
type Chats struct {
	Items  []Summary `json:"items"`
	Unread int64     `json:"unread"`
}

// ListQuery waits for the caller's own last write (?consistentWith=).
type ListQuery struct {
	ConsistentWith string `query:"consistentWith" validate:"omitempty,numeric,max=19" doc:"等待列表索引处理到该序号（读到自己刚写的）"`
}

// maxChats bounds a person's list (the most recently changed chats).
const maxChats = 200

// Mine lists the chats p is a member of, latest activity first.
func (s *Service) Mine(ctx context.Context, p *auth.Principal, q ListQuery) (Chats, error) {
	page, err := s.chats.List(ctx, p, records.Query{Sort: "-updatedAt", Size: maxChats, ConsistentWith: q.ConsistentWith})
	if err != nil {
		return Chats{}, err
	}
	out := Chats{Items: make([]Summary, 0, len(page.Items))}
	for _, c := range page.Items {
		sum, err := s.summary(ctx, c, p.UserID)
		if err != nil {
			return Chats{}, err
		}
		out.Items = append(out.Items, sum)
		out.Unread += sum.Unread
	}
	slices.SortStableFunc(out.Items, func(a, b Summary) int { return b.activity().Compare(a.activity()) })
	return out, nil
}

// activity is when the chat last changed or had a message.
func (s Summary) activity() time.Time {
	if s.LastMessage != nil && s.LastMessage.At.After(s.Chat.UpdatedAt) {
		return s.LastMessage.At
	}
	return s.Chat.UpdatedAt
}

// summary is c as userID sees it in the list.
func (s *Service) summary(ctx context.Context, listed Chat, userID string) (Summary, error) {
	// The list index keeps no member names: the chat itself is read.
	c, _, err := store.Load[Chat](ctx, s.d.Store, Collection, listed.ID)
	if err != nil {
		return Summary{}, err
	}
	last, err := store.LastNumber(ctx, s.d.Store, sequenceName(c.ID))
	if err != nil {
		return Summary{}, err
	}
	r, err := s.readState(ctx, c.ID, userID)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Chat: c, LastPosition: last, ReadPosition: r.Position, Unread: max(0, last-r.Position)}
	if last > 0 {
		m, _, err := store.Load[Message](ctx, s.d.Store, MessagesCollection, messageID(c.ID, last))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return Summary{}, err
		}
		if err == nil {
			sum.LastMessage = &m
		}
	}
	return sum, nil
}

// Reads are how far each member has read a chat p is in (the sender's
// "已读" marks).
func (s *Service) Reads(ctx context.Context, p *auth.Principal, chatID string) ([]ReadState, error) {
	c, _, err := s.chats.Get(ctx, p, chatID)
	if err != nil {
		return nil, err
	}
	out := make([]ReadState, 0, len(c.Members))
	for _, m := range c.Members {
		r, err := s.readState(ctx, chatID, m)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
