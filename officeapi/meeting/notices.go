package meeting

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
)

// tell sends the inbox notices of a meeting step that has committed (kind
// meeting): the notice to everyone invited (at booking, and to those
// added or named as delegates later: one Key per meeting, so only the new
// ones get it), a change of time or room, a cancellation, a reminder to
// reply, and a 取消参会 to those taken off the list. A failed notice is
// logged; the step stands.
func (s *Service) tell(ctx context.Context, a records.Actor, action string, m *Meeting) {
	if s.d.Notify == nil {
		return
	}
	when := m.StartAt.In(cst).Format("1月2日 15:04") + "，" + m.RoomName
	n := notify.Notice{Kind: notify.KindMeeting, Link: Link(m.ID), Classification: m.Classification, Actor: a.P.UserID, Body: when}
	var to []string
	for _, at := range m.Attendees {
		if at.UserID != a.P.UserID {
			to = append(to, at.UserID)
		}
	}
	switch action {
	case "meeting.book", "meeting.attendees", "meeting.delegates":
		n.Key, n.Title = "meeting:"+m.ID+":notice", "会议通知："+m.Title
		if action == "meeting.attendees" && len(m.Withdrawn) > 0 {
			var off []string
			for _, w := range m.Withdrawn {
				off = append(off, w.UserID)
			}
			s.send(ctx, notify.Notice{Recipients: off, Kind: notify.KindMeeting, Key: "meeting:" + m.ID + ":withdrawn",
				Title: "取消参会：" + m.Title, Body: "您已不在参会名单中", Link: Link(m.ID), Classification: m.Classification, Actor: a.P.UserID})
		}
	case "meeting.reschedule":
		n.Key, n.Title = "meeting:"+m.ID+":change:"+strconv.Itoa(len(m.Changes)), "会议变更："+m.Title
		n.Body = "改为 " + when
	case "meeting.cancel":
		n.Key, n.Title, n.Body = "meeting:"+m.ID+":cancel", "会议取消："+m.Title, "原定 "+when
	case "meeting.remind":
		if m.RemindedAt == nil {
			return
		}
		to = to[:0]
		for _, at := range m.Attendees {
			if at.Reply == ReplyInvited && at.UserID != a.P.UserID {
				to = append(to, at.UserID)
			}
		}
		n.Key = fmt.Sprintf("meeting:%s:remind:%d", m.ID, m.RemindedAt.Unix())
		n.Title = "请回复参会情况：" + m.Title
	default:
		return
	}
	n.Recipients = to
	s.send(ctx, n)
}

func (s *Service) send(ctx context.Context, n notify.Notice) {
	if len(n.Recipients) == 0 {
		return
	}
	if err := s.d.Notify.Send(ctx, n); err != nil {
		cmp.Or(s.d.Log, slog.Default()).Error("meeting notice failed", "key", n.Key, "err", err)
	}
}
