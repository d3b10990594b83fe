package forum

import (
	"context"
	"strings"

	"zhengwu/officeapi/records"
	"zhengwu/shared/problem"
)

// Moderation actions.
const (
	ActHide      = "hide"
	ActUnhide    = "unhide"
	ActLock      = "lock"
	ActUnlock    = "unlock"
	ActPin       = "pin"
	ActUnpin     = "unpin"
	ActFeature   = "feature"
	ActUnfeature = "unfeature"
	ActMove      = "move"
)

// Moderation is one moderator's action on a thread, with its reason:
// hide and unhide take a floor (0 or 1: the thread itself), move a board.
type Moderation struct {
	Action string `json:"action" validate:"required,oneof=hide unhide lock unlock pin unpin feature unfeature move"`
	Floor  int    `json:"floor" validate:"min=0"`
	Board  string `json:"board" validate:"max=64"`
	Reason string `json:"reason" validate:"required,max=200,nocontrol"`
}

// Moderate applies a moderation by a moderator of the thread's board (a
// move: also of the board it goes to, or a board keeper), audited with
// its reason.
func (s *Service) Moderate(ctx context.Context, a records.Actor, id string, m Moderation) (ThreadView, error) {
	reason := strings.TrimSpace(m.Reason)
	if reason == "" {
		return ThreadView{}, problem.Invalid(problem.Field("reason", "请填写操作理由", "a reason is required"))
	}
	var to Board
	if m.Action == ActMove {
		var err error
		if to, err = s.board(ctx, a.P, m.Board); err != nil || !mayModerate(a.P, &to) {
			return ThreadView{}, problem.Invalid(problem.Field("board", "只能移动到本人管理的版块", "you do not moderate that board"))
		}
	}
	return records.ViewOf(s.threads.Step(ctx, a, "forum.thread."+m.Action, id, func(t *Thread) (map[string]any, error) {
		from, _, err := s.boards.Get(ctx, a.P, t.Board)
		if err != nil || !mayModerate(a.P, &from) {
			return nil, problem.New(403, problem.CodeForbidden, "只有本版块的版主可以管理帖子", "only the board's moderators moderate it")
		}
		details := map[string]any{"reason": reason}
		switch m.Action {
		case ActHide, ActUnhide:
			hide := m.Action == ActHide
			if m.Floor <= 1 {
				t.Hidden = hide
			} else if m.Floor-2 < len(t.Replies) {
				t.Replies[m.Floor-2].Hidden = hide
				details["floor"] = m.Floor
			} else {
				return nil, problem.Invalid(problem.Field("floor", "楼层不存在", "no such floor"))
			}
		case ActLock, ActUnlock:
			t.Locked = m.Action == ActLock
		case ActPin, ActUnpin:
			t.Pinned = m.Action == ActPin
		case ActFeature, ActUnfeature:
			t.Featured = m.Action == ActFeature
		case ActMove:
			if to.ID == t.Board {
				return nil, problem.Invalid(problem.Field("board", "帖子已在该版块", "the thread is on that board already"))
			}
			if !to.Ceiling.Covers(t.Classification) {
				return nil, problem.Invalid(problem.Field("board", "帖子的密级超出目标版块的上限", "the thread is above that board's ceiling"))
			}
			details["from"], details["to"] = t.Board, to.ID
			t.Board, t.Department, t.Notice = to.ID, to.Department, to.Notices
		}
		t.UpdatedAt = s.threads.Now()
		return details, nil
	}))
}
