// Package forum is the office forum (论坛): office-wide boards (通知公告,
// 工作交流, 学习园地, 意见建议) and one board per department, readable and
// writable by its members only. Boards are kept by forum.manage (the
// business administrator); each has moderators who hide, lock, pin and
// move its threads, every moderation audited with its reason.
//
// A thread is one document holding its replies: the floor (楼层) of a reply
// is its place in that list, a reply is one compare-and-set on the thread,
// and a move to another board changes one document, readers and all. To
// keep a document small a thread takes at most MaxReplies replies; a
// longer discussion opens a new thread.
package forum

import (
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Collections of the store this package owns.
const (
	BoardsCollection = "forum_boards"
	Collection       = "forum_threads" // the threads, with their replies
	ReadsCollection  = "forum_reads"   // who opened which pinned notice (the desktop's 待阅)
)

// Limits of one thread.
const (
	MaxReplies  = 500
	MaxBodyLen  = 20000 // characters of sanitised HTML in a post
	MaxMentions = 20
)

// HiddenText is what others see in place of hidden content.
const HiddenText = "该内容已被版主隐藏"

// Board is a forum board. Department "" is an office-wide board.
type Board struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Department  string `json:"department"`
	// Notices marks a board of notices (通知公告): its pinned threads are
	// on every reader's desktop until they open them.
	Notices bool `json:"notices"`
	// Ceiling is the highest 密级 a post on the board may carry.
	Ceiling    classification.Level `json:"ceiling"`
	Moderators []string             `json:"moderators"`
	// ModeratorNames are the moderators' names, in the same order.
	ModeratorNames []string  `json:"moderatorNames"`
	Order          int       `json:"order"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

// Thread is a topic with its opening post and its replies.
type Thread struct {
	ID             string               `json:"id"`
	Board          string               `json:"board"`
	Department     string               `json:"department"` // the board's: "" office-wide
	Notice         bool                 `json:"notice"`     // the board's Notices
	Title          string               `json:"title"`
	Body           string               `json:"body"` // sanitised rich text
	Classification classification.Level `json:"classification"`
	Author         string               `json:"author"`
	AuthorName     string               `json:"authorName"`
	Mentions       []string             `json:"mentions"` // who was told of a mention in the opening post
	Pinned         bool                 `json:"pinned"`
	Featured       bool                 `json:"featured"` // 精华
	Locked         bool                 `json:"locked"`
	Hidden         bool                 `json:"hidden"`
	Replies        []Reply              `json:"replies"`
	ReplyCount     int                  `json:"replyCount"`
	LastReplyAt    *time.Time           `json:"lastReplyAt,omitempty"`
	LastReplyName  string               `json:"lastReplyName,omitempty"`
	CreatedAt      time.Time            `json:"createdAt"`
	UpdatedAt      time.Time            `json:"updatedAt"`
}

// Reply is one floor of a thread (the opening post is floor 1, the first
// reply floor 2).
type Reply struct {
	Floor      int       `json:"floor"`
	Author     string    `json:"author"`
	AuthorName string    `json:"authorName"`
	Body       string    `json:"body"`
	Quote      *Quote    `json:"quote,omitempty"`
	Mentions   []string  `json:"mentions"`
	Hidden     bool      `json:"hidden"`
	CreatedAt  time.Time `json:"createdAt"`
}

// Quote is the floor a reply quotes, its author and the start of its text
// as it was when quoted.
type Quote struct {
	Floor      int    `json:"floor"`
	AuthorName string `json:"authorName"`
	Excerpt    string `json:"excerpt"`
}

// Types the API answers (schemas ForumBoardView, ForumThreadView…).
type (
	BoardView  = records.View[Board]
	ThreadView = records.View[Thread]
)

// readersOf are the reader tokens of a board's threads: every member of
// staff for an office-wide board, the department's members for its own.
func readersOf(department string) []string {
	if department == "" {
		return []string{auth.Staff}
	}
	return []string{auth.Member(department)}
}

// BoardAccessOf is who may see a board: its threads' readers, and the
// board keepers (forum.manage), who manage every board without reading a
// department's threads.
func BoardAccessOf(b *Board) auth.Access {
	return auth.Access{Classification: classification.Feimi,
		Readers: append(readersOf(b.Department), auth.Holder(auth.PermForumManage, auth.OfficeWide))}
}

// AccessOf is who may read a thread — by id, in lists, in office search
// and on the desktop: the board's readers, with the clearance its 密级
// needs.
func AccessOf(t *Thread) auth.Access {
	return auth.Access{Classification: t.Classification, Readers: readersOf(t.Department)}
}
