package forum

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// ThreadInput is a new thread. Mentions are the user ids the editor's
// @姓名 picker inserted; only those whose @name is in the text and who may
// read the board are told.
type ThreadInput struct {
	Title          string               `json:"title" validate:"required,max=100,nocontrol"`
	Body           string               `json:"body" validate:"required,max=20000"`
	Classification classification.Level `json:"classification" validate:"omitempty,classification"`
	Mentions       []string             `json:"mentions" validate:"max=20,dive,required,max=64"`
}

// ReplyInput is a reply; Quote is the floor it quotes (0: none).
type ReplyInput struct {
	Body     string   `json:"body" validate:"required,max=20000"`
	Quote    int      `json:"quote" validate:"min=0"`
	Mentions []string `json:"mentions" validate:"max=20,dive,required,max=64"`
}

// Reading is a thread as its reader sees it: hidden content blanked unless
// they moderate the board, and the board and what they may do with it.
type Reading struct {
	Thread    ThreadView `json:"thread"`
	Board     Board      `json:"board"`
	Moderator bool       `json:"moderator"`
	Views     int64      `json:"views"`
}

// sanitise is a post's body through the one shared sanitiser; a body with
// nothing left to show is refused.
func sanitise(body string) (string, error) {
	clean := richtext.Sanitize(body)
	if strings.TrimSpace(richtext.PlainText(clean)) == "" && len(richtext.MediaIDs(clean)) == 0 {
		return "", problem.Invalid(problem.Field("body", "请填写内容", "body is empty"))
	}
	if len([]rune(clean)) > MaxBodyLen {
		return "", problem.Invalid(problem.Field("body", "内容过长", "body is too long"))
	}
	return clean, nil
}

// CreateThread opens a thread on a board p may read, at a 密级 within the
// board's ceiling and the author's clearance.
func (s *Service) CreateThread(ctx context.Context, a records.Actor, boardID string, in ThreadInput) (ThreadView, error) {
	b, err := s.board(ctx, a.P, boardID)
	if err != nil {
		return ThreadView{}, err
	}
	level := in.Classification
	if level == "" {
		level = classification.Feimi
	}
	probe := Thread{Department: b.Department, Classification: classification.Feimi}
	switch {
	case !AccessOf(&probe).Allows(a.P):
		return ThreadView{}, s.threads.Refused(ctx, a, "forum.thread.create", BoardsCollection+"/"+b.ID, problem.Forbidden())
	case !b.Ceiling.Covers(level):
		return ThreadView{}, problem.Invalid(problem.Field("classification", "超出本版块的密级上限（"+string(b.Ceiling)+"）",
			"above the board's ceiling ("+string(b.Ceiling)+")"))
	case !a.P.Clearance.Covers(level):
		return ThreadView{}, problem.Invalid(problem.Field("classification", "超出本人的密级", "above your clearance"))
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		return ThreadView{}, problem.Invalid(problem.Field("title", "请填写标题", "title is required"))
	}
	body, err := sanitise(in.Body)
	if err != nil {
		return ThreadView{}, err
	}
	now := s.threads.Now()
	t := Thread{Board: b.ID, Department: b.Department, Notice: b.Notices, Title: title, Body: body, Classification: level,
		Author: a.P.UserID, AuthorName: a.P.Name, Replies: []Reply{}, CreatedAt: now, UpdatedAt: now}
	t.Mentions = s.mentioned(ctx, &t, body, in.Mentions)
	v, doc, err := s.threads.Create(ctx, a, "forum.thread.create", t,
		map[string]any{"board": b.ID, "title": title, "classification": level})
	if err != nil {
		return ThreadView{}, err
	}
	s.tell(ctx, a, &v, v.ID, title, v.Mentions)
	return records.ViewOf(v, doc, nil)
}

// Reply adds a floor to a thread that is not locked.
func (s *Service) Reply(ctx context.Context, a records.Actor, id string, in ReplyInput) (ThreadView, error) {
	body, err := sanitise(in.Body)
	if err != nil {
		return ThreadView{}, err
	}
	var floor int
	var mentions []string
	v, doc, err := s.threads.Step(ctx, a, "forum.reply.create", id, func(t *Thread) (map[string]any, error) {
		switch {
		case t.Locked:
			return nil, problem.New(409, problem.CodeInvalidState, "帖子已锁定，不能回复", "the thread is locked")
		case t.Hidden:
			return nil, problem.New(409, problem.CodeInvalidState, "帖子已被隐藏，不能回复", "the thread is hidden")
		case len(t.Replies) >= MaxReplies:
			return nil, problem.New(409, problem.CodeInvalidState, "本帖回复已满，请另开新帖", "the thread is full")
		}
		now := s.threads.Now()
		floor = len(t.Replies) + 2
		r := Reply{Floor: floor, Author: a.P.UserID, AuthorName: a.P.Name, Body: body, CreatedAt: now}
		if in.Quote > 0 {
			q, err := quoteOf(t, in.Quote)
			if err != nil {
				return nil, err
			}
			r.Quote = q
		}
		if mentions == nil { // asked once: a retried step keeps the first answer
			mentions = s.mentioned(ctx, t, body, in.Mentions)
		}
		r.Mentions = mentions
		t.Replies = append(t.Replies, r)
		t.ReplyCount, t.LastReplyAt, t.LastReplyName, t.UpdatedAt = len(t.Replies), &now, a.P.Name, now
		return map[string]any{"floor": floor}, nil
	})
	if err != nil {
		return ThreadView{}, err
	}
	s.tell(ctx, a, &v, postID(v.ID, floor), v.Title, mentions)
	return records.ViewOf(v, doc, nil)
}

// quoteOf is floor n of t as a quote (1: the opening post); hidden
// content is not quoted.
func quoteOf(t *Thread, n int) (*Quote, error) {
	name, body, hidden := t.AuthorName, t.Body, t.Hidden
	if n > 1 {
		if n-2 >= len(t.Replies) {
			return nil, problem.Invalid(problem.Field("quote", "引用的楼层不存在", "no such floor"))
		}
		r := t.Replies[n-2]
		name, body, hidden = r.AuthorName, r.Body, r.Hidden
	}
	if hidden {
		return nil, problem.Invalid(problem.Field("quote", "该楼层已被隐藏，不能引用", "that floor is hidden"))
	}
	text := []rune(richtext.PlainText(body))
	if len(text) > 120 {
		text = append(text[:120], '…')
	}
	return &Quote{Floor: n, AuthorName: name, Excerpt: string(text)}, nil
}

// Read is a thread as p sees it, counted as a view; opening a pinned
// notice takes it off p's desktop.
func (s *Service) Read(ctx context.Context, p *auth.Principal, id string) (Reading, error) {
	t, doc, err := s.threads.Get(ctx, p, id)
	if err != nil {
		return Reading{}, err
	}
	b, _, err := s.boards.Get(ctx, p, t.Board)
	if err != nil {
		return Reading{}, err
	}
	views, err := s.store.Incr(ctx, viewCounter(id), 1)
	if err != nil {
		s.log.Warn("forum: counting a view failed", "thread", id, "err", err)
	}
	if t.Notice && t.Pinned {
		s.markRead(ctx, p, id)
	}
	mod := mayModerate(p, &b)
	if !mod {
		redact(&t)
	}
	v, err := records.ViewOf(t, doc, nil)
	return Reading{Thread: v, Board: b, Moderator: mod, Views: views}, err
}

// redact blanks what moderators hid, for everyone else.
func redact(t *Thread) {
	if t.Hidden {
		t.Title, t.Body = "", ""
	}
	hidden := map[int]bool{1: t.Hidden}
	for i := range t.Replies {
		r := &t.Replies[i]
		if r.Hidden {
			hidden[r.Floor] = true
			r.Body = ""
		}
	}
	for i := range t.Replies {
		if q := t.Replies[i].Quote; q != nil && hidden[q.Floor] {
			q.Excerpt = ""
		}
	}
}

func viewCounter(id string) string { return "forum.views." + id }

// views is the thread's view count (0 when the counter cannot be read).
func (s *Service) views(ctx context.Context, id string) int64 {
	n, err := s.store.Incr(ctx, viewCounter(id), 0)
	if err != nil {
		return 0
	}
	return n
}

// readID is the id of p's read mark of a thread.
func readID(userID, threadID string) string {
	h := sha256.Sum256([]byte(userID + "\x00" + threadID))
	return hex.EncodeToString(h[:16])
}

// markRead records that p opened a thread (once; a second open writes nothing).
func (s *Service) markRead(ctx context.Context, p *auth.Principal, id string) {
	data, _ := json.Marshal(map[string]any{"user": p.UserID, "thread": id, "at": s.threads.Now()})
	if _, err := s.store.Put(ctx, ReadsCollection, readID(p.UserID, id), data, 0); err != nil && !errors.Is(err, store.ErrConflict) {
		s.log.Warn("forum: marking a notice read failed", "thread", id, "err", err)
	}
}

// hasRead reports whether p opened the thread.
func (s *Service) hasRead(ctx context.Context, p *auth.Principal, id string) bool {
	_, err := s.store.Get(ctx, ReadsCollection, readID(p.UserID, id))
	return err == nil
}

// postID names one post: the thread for its opening post, thread-floor
// for a reply.
func postID(threadID string, floor int) string {
	if floor <= 1 {
		return threadID
	}
	return threadID + "-" + strconv.Itoa(floor)
}
