package chat

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"zhengwu/officeapi/records"
	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// SendInput is one message a member sends. ClientID, made by the client
// for each message it composes, makes sending idempotent: the same
// ClientID from the same sender is stored once.
type SendInput struct {
	ChatID         string               `json:"chatId" validate:"required,max=64"`
	ClientID       string               `json:"clientId" validate:"required,max=64"`
	Text           string               `json:"text" validate:"max=4000"`
	MediaID        string               `json:"mediaId" validate:"omitempty,len=64,hexadecimal"`
	FileName       string               `json:"fileName" validate:"max=255"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification"`
}

type dedup struct {
	MessageID string `json:"messageId"`
}

// Send stores a message and returns it once the store has committed it
// (the acknowledgement). A resent ClientID returns the message stored the
// first time. Refused: a chat p is not in (404), an empty or too long
// text, a 密级 above the chat's limit or the sender's clearance.
func (s *Service) Send(ctx context.Context, a records.Actor, in SendInput) (Message, error) {
	c, _, err := s.chats.Get(ctx, a.P, in.ChatID)
	if err != nil {
		return Message{}, err
	}
	m := Message{ChatID: c.ID, Kind: MessageText, Sender: a.P.UserID, SenderName: a.P.Name, ClientID: in.ClientID,
		Text: strings.TrimSpace(in.Text), Classification: in.Classification}
	if m.Classification == "" {
		m.Classification = classification.Feimi
	}
	switch {
	case !c.Classification.Covers(m.Classification):
		return Message{}, problem.Invalid(problem.Field("classification",
			"消息密级高于本会话的密级上限（"+string(c.Classification)+"）", "above the chat's classification limit"))
	case !a.P.MayRead(m.Classification):
		return Message{}, problem.Invalid(problem.Field("classification", "消息密级高于本人密级", "above your clearance"))
	case in.MediaID != "":
		if s.d.Media == nil {
			return Message{}, problem.Invalid(problem.Field("mediaId", "不支持发送文件", "files are not accepted"))
		}
		size, ok, err := s.d.Media(ctx, in.MediaID)
		if err != nil {
			return Message{}, err
		}
		if !ok {
			return Message{}, problem.Invalid(problem.Field("mediaId", "文件不存在", "no such file"))
		}
		name := strings.TrimSpace(in.FileName)
		if name == "" || strings.ContainsAny(name, "/\\\x00") {
			return Message{}, problem.Invalid(problem.Field("fileName", "请提供文件名", "a file name is required"))
		}
		m.Kind, m.MediaID, m.FileName, m.FileSize = MessageFile, in.MediaID, name, size
	case m.Text == "":
		return Message{}, problem.Invalid(problem.Field("text", "消息不能为空", "the message is empty"))
	case utf8.RuneCountInString(m.Text) > MaxText:
		return Message{}, problem.Invalid(problem.Field("text", "消息不能超过4000字", "at most 4000 characters"))
	}
	return s.store(ctx, m)
}

// store numbers and commits m with its dedup record and the sender's read
// position, or returns the message an earlier send of the same client id
// stored.
func (s *Service) store(ctx context.Context, m Message) (Message, error) {
	var out Message
	_, err := store.UpdateAll(ctx, s.d.Store, func(ctx context.Context, b *store.Batch) error {
		var seen dedup
		if m.ClientID != "" {
			found, err := b.Load(ctx, DedupCollection, dedupID(m.Sender, m.ClientID), &seen)
			if err != nil {
				return err
			}
			if found {
				prev, _, err := store.Load[Message](ctx, s.d.Store, MessagesCollection, seen.MessageID)
				out = prev
				return err // nothing written: the first send stands
			}
		}
		n, err := b.Next(ctx, sequenceName(m.ChatID))
		if err != nil {
			return err
		}
		out = m
		out.Position, out.ID, out.At = n, messageID(m.ChatID, n), s.chats.Now()
		if err := b.Save(MessagesCollection, out.ID, out); err != nil {
			return err
		}
		if m.ClientID != "" {
			if err := b.Save(DedupCollection, dedupID(m.Sender, m.ClientID), dedup{MessageID: out.ID}); err != nil {
				return err
			}
		}
		if m.Sender != "" { // the sender has read what they sent
			var r ReadState
			if _, err := b.Load(ctx, ReadsCollection, readID(m.ChatID, m.Sender), &r); err != nil {
				return err
			}
			if err := b.Save(ReadsCollection, readID(m.ChatID, m.Sender),
				ReadState{ChatID: m.ChatID, UserID: m.Sender, Position: n, At: out.At}); err != nil {
				return err
			}
		}
		if m.MediaID != "" {
			b.Add(attachment.Writes(MessagesCollection, out.ID, m.MediaID)...)
		}
		return nil
	})
	if err != nil {
		return Message{}, err
	}
	return out, nil
}

// system tells a membership change in the chat (logged if it fails: the
// change itself is committed and audited).
func (s *Service) system(ctx context.Context, a records.Actor, chatID, text string) {
	if _, err := s.store(ctx, Message{ChatID: chatID, Kind: MessageSystem, Text: text,
		Classification: classification.Feimi}); err != nil {
		s.d.Log.Error("chat system message failed", "chat", chatID, "err", err)
	}
}

// HistoryQuery pages a chat's messages: Before gives the page of
// messages just before that position (scrolling up; 0: the latest),
// After those just after it (catching up after a reconnect; 0: from the
// first message). After is a pointer so that after=0 is told apart from
// no after at all.
type HistoryQuery struct {
	Before int64  `query:"before" validate:"gte=0" doc:"取该位置之前的一页（向上翻页），0 为最新一页"`
	After  *int64 `query:"after" validate:"omitempty,gte=0" doc:"取该位置之后的消息（断线重连后续接）；0 为从第一条起"`
	Size   int    `query:"size" validate:"omitempty,min=1,max=200" doc:"每页条数，默认50"`
}

// History is a page of messages in position order, with the chat's last
// position and whether more lie beyond the page.
type History struct {
	Items        []Message `json:"items"`
	LastPosition int64     `json:"lastPosition"`
	More         bool      `json:"more"`
}

// History reads a page of a chat p is a member of (404 otherwise).
func (s *Service) History(ctx context.Context, p *auth.Principal, chatID string, q HistoryQuery) (History, error) {
	if _, _, err := s.chats.Get(ctx, p, chatID); err != nil {
		return History{}, err
	}
	return s.history(ctx, chatID, q)
}

func (s *Service) history(ctx context.Context, chatID string, q HistoryQuery) (History, error) {
	size := int64(q.Size)
	if size <= 0 {
		size = 50
	}
	last, err := store.LastNumber(ctx, s.d.Store, sequenceName(chatID))
	if err != nil {
		return History{}, err
	}
	if q.After != nil {
		return s.page(ctx, chatID, *q.After, last, size, last)
	}
	to := last
	if q.Before > 0 {
		to = min(q.Before-1, last)
	}
	h, err := s.page(ctx, chatID, max(0, to-size), to, size, last)
	h.More = to-size > 0
	return h, err
}

// Since is every message of a chat p is in after position after, up to
// size of them (More: there are further ones): what a client that saw
// up to after has missed.
func (s *Service) Since(ctx context.Context, p *auth.Principal, chatID string, after int64, size int) (History, error) {
	if _, _, err := s.chats.Get(ctx, p, chatID); err != nil {
		return History{}, err
	}
	last, err := store.LastNumber(ctx, s.d.Store, sequenceName(chatID))
	if err != nil {
		return History{}, err
	}
	return s.page(ctx, chatID, max(0, after), last, int64(size), last)
}

// page reads the messages at positions in (from, to], at most size of
// them; More says whether the range held more.
func (s *Service) page(ctx context.Context, chatID string, from, to, size, last int64) (History, error) {
	h := History{Items: []Message{}, LastPosition: last}
	if to <= from {
		return h, nil
	}
	docs, err := s.d.Store.Scan(ctx, MessagesCollection, messageID(chatID, from), int(min(size, to-from))+1)
	if err != nil {
		return History{}, err
	}
	for _, d := range docs {
		var m Message
		if err := d.Decode(&m); err != nil {
			return History{}, err
		}
		if m.ChatID != chatID || m.Position > to {
			break
		}
		if int64(len(h.Items)) == size {
			h.More = true
			break
		}
		h.Items = append(h.Items, m)
	}
	return h, nil
}

// MarkRead moves p's read position in a chat forward to pos (never back;
// beyond the last message: to the last).
func (s *Service) MarkRead(ctx context.Context, p *auth.Principal, chatID string, pos int64) (ReadState, error) {
	if _, _, err := s.chats.Get(ctx, p, chatID); err != nil {
		return ReadState{}, err
	}
	last, err := store.LastNumber(ctx, s.d.Store, sequenceName(chatID))
	if err != nil {
		return ReadState{}, err
	}
	pos = min(pos, last)
	var out ReadState
	_, err = store.UpdateAll(ctx, s.d.Store, func(ctx context.Context, b *store.Batch) error {
		if _, err := b.Load(ctx, ReadsCollection, readID(chatID, p.UserID), &out); err != nil {
			return err
		}
		if out.Position >= pos {
			return nil
		}
		out = ReadState{ChatID: chatID, UserID: p.UserID, Position: pos, At: s.chats.Now()}
		return b.Save(ReadsCollection, readID(chatID, p.UserID), out)
	})
	return out, err
}

// readState is how far userID has read chatID (0: nothing).
func (s *Service) readState(ctx context.Context, chatID, userID string) (ReadState, error) {
	r, _, err := store.Load[ReadState](ctx, s.d.Store, ReadsCollection, readID(chatID, userID))
	if errors.Is(err, store.ErrNotFound) {
		return ReadState{ChatID: chatID, UserID: userID}, nil
	}
	return r, err
}
