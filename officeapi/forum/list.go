package forum

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
)

// Fields of the threads' list index beyond Summary's.
const (
	fText     = "text"     // what the forum's search box matches
	fActivity = "activity" // pinned first, then the last activity: the list's order
)

// Summary is one listed thread (from the index, without posts).
type Summary struct {
	ID             string               `json:"id"`
	Board          string               `json:"board"`
	Department     string               `json:"department"`
	Notice         bool                 `json:"notice"`
	Title          string               `json:"title"`
	Classification classification.Level `json:"classification"`
	AuthorName     string               `json:"authorName"`
	Pinned         bool                 `json:"pinned"`
	Featured       bool                 `json:"featured"`
	Locked         bool                 `json:"locked"`
	Hidden         bool                 `json:"hidden"`
	ReplyCount     int                  `json:"replyCount"`
	LastReplyName  string               `json:"lastReplyName,omitempty"`
	LastReplyAt    *time.Time           `json:"lastReplyAt,omitempty"`
	CreatedAt      *time.Time           `json:"createdAt,omitempty"`
	// Views is how often the thread was opened (a counter, not indexed).
	Views int64 `json:"views"`
}

// SummaryPage is a page of threads.
type SummaryPage = records.Page[Summary]

// ListQuery is a thread list request; its tags make the query parameters.
type ListQuery struct {
	Q              string `query:"q" validate:"max=100,nocontrol" doc:"检索词（标题与正文）"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// activityKey sorts pinned threads first, then by the last reply (or the
// opening post), newest first, as one descending keyword.
func activityKey(t *Thread) string {
	at := t.CreatedAt
	if t.LastReplyAt != nil {
		at = *t.LastReplyAt
	}
	pin := 0
	if t.Pinned {
		pin = 1
	}
	return fmt.Sprintf("%d|%s", pin, at.UTC().Format("2006-01-02T15:04:05.000000000"))
}

// project is a thread in the list index: its Summary's fields, the
// activity key, and the text of what is not hidden.
func project(t *Thread) map[string]any {
	var text strings.Builder
	if !t.Hidden {
		text.WriteString(t.Title + "\n" + richtext.PlainText(t.Body))
		for _, r := range t.Replies {
			if !r.Hidden {
				text.WriteString("\n" + richtext.PlainText(r.Body))
			}
		}
	}
	m := map[string]any{"board": t.Board, "department": t.Department, "notice": t.Notice, "title": t.Title,
		"classification": t.Classification, "authorName": t.AuthorName, "pinned": t.Pinned, "featured": t.Featured,
		"locked": t.Locked, "hidden": t.Hidden, "replyCount": float64(t.ReplyCount), "createdAt": t.CreatedAt,
		fActivity: activityKey(t), fText: text.String()}
	if t.LastReplyAt != nil {
		m["lastReplyAt"], m["lastReplyName"] = *t.LastReplyAt, t.LastReplyName
	}
	return m
}

// Threads lists a board's threads p may read: pinned first, then by last
// activity; ?q= searches their text.
func (s *Service) Threads(ctx context.Context, p *auth.Principal, boardID string, q ListQuery) (SummaryPage, error) {
	b, err := s.board(ctx, p, boardID)
	if err != nil {
		return SummaryPage{}, err
	}
	f := []index.Filter{index.Term("board", b.ID)}
	return s.list(ctx, p, q, mayModerate(p, &b), f...)
}

// Search finds threads p may read on every board, hidden ones left out.
func (s *Service) Search(ctx context.Context, p *auth.Principal, q ListQuery) (SummaryPage, error) {
	if strings.TrimSpace(q.Q) == "" {
		return SummaryPage{}, problem.Invalid(problem.Field("q", "请输入检索词", "q is required"))
	}
	return s.list(ctx, p, q, false, index.Term("hidden", "false"))
}

// list is a page of threads, hidden titles blanked for non-moderators.
func (s *Service) list(ctx context.Context, p *auth.Principal, q ListQuery, moderator bool, f ...index.Filter) (SummaryPage, error) {
	sort := "-" + fActivity
	if q := strings.TrimSpace(q.Q); q != "" {
		f, sort = append(f, index.Match(fText, q)), ""
	}
	pg, err := records.ListAs[Summary](ctx, s.threads, p, records.Query{Sort: sort, Size: q.Size, Cursor: q.Cursor,
		ConsistentWith: q.ConsistentWith}, f...)
	if err != nil {
		return pg, err
	}
	for i := range pg.Items {
		it := &pg.Items[i]
		if it.Hidden && !moderator {
			it.Title = ""
		}
		it.Views = s.views(ctx, it.ID)
	}
	return pg, nil
}
