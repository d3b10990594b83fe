package forum

import (
	"context"
	"slices"
	"strings"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/shared/richtext"
)

// mentioned are the people of ids whom a post mentions and who may read
// it: their @name is in its text, they are not its author, and the thread's
// access allows them (the board and its 密级).
func (s *Service) mentioned(ctx context.Context, t *Thread, body string, ids []string) []string {
	text := richtext.PlainText(body)
	out := []string{}
	for _, id := range ids {
		if len(out) == MaxMentions || slices.Contains(out, id) {
			continue
		}
		p, err := s.people(ctx, id)
		if err != nil || p.UserID == "" || !strings.Contains(text, "@"+p.Name) {
			continue
		}
		if !AccessOf(t).Allows(p) {
			continue
		}
		out = append(out, p.UserID)
	}
	return out
}

// tell sends each mentioned person a notice (kind mention), after the post
// committed; a failure is logged, the post stands.
func (s *Service) tell(ctx context.Context, a records.Actor, t *Thread, post, title string, to []string) {
	if s.notify == nil {
		return
	}
	for _, u := range to {
		if u == a.P.UserID {
			continue
		}
		err := s.notify.Send(ctx, notify.Notice{Recipients: []string{u}, Kind: notify.KindMention,
			Title: a.P.Name + " 在论坛中提到了你：" + title, Link: "/office/forum/threads/" + t.ID,
			Key: "forum:" + post + ":" + u, Classification: t.Classification, Actor: a.P.UserID})
		if err != nil {
			s.log.Error("forum: a mention notice failed", "post", post, "err", err)
		}
	}
}
