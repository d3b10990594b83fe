package schedule

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"strconv"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/shared/classification"
)

// tellPublished tells the leaders whose activities a week holds, and
// those who submitted them, that the week is published (kind schedule):
// not every viewer, whose desktops show the week anyway. The notice names
// the week only, so it is 非密 whatever the activities are.
func (s *Service) tellPublished(ctx context.Context, a records.Actor, tx *weekTx) {
	if s.Notices == nil || tx.week.Published == nil {
		return
	}
	var to []string
	for _, e := range tx.entries {
		if e.live() {
			to = append(to, e.LeaderID, e.Submitter)
		}
	}
	to = slices.DeleteFunc(to, func(id string) bool { return id == a.P.UserID })
	s.send(ctx, notify.Notice{Recipients: to, Kind: notify.KindSchedule, Actor: a.P.UserID,
		Key:   "schedule:" + tx.week.ID + ":published:" + strconv.FormatInt(tx.week.Published.At.UnixNano(), 10),
		Title: "领导活动安排已发布：" + tx.week.ID, Link: weekLink(tx.week.ID), Classification: classification.Feimi})
}

// tellChanged tells an activity's leader and submitter that it changed,
// or was cancelled, after its week was published.
func (s *Service) tellChanged(ctx context.Context, a records.Actor, e *Entry, what string) {
	if s.Notices == nil {
		return
	}
	to := slices.DeleteFunc([]string{e.LeaderID, e.Submitter}, func(id string) bool { return id == a.P.UserID })
	s.send(ctx, notify.Notice{Recipients: to, Kind: notify.KindSchedule, Actor: a.P.UserID,
		Key:   "schedule:" + e.ID + ":" + e.State + ":" + strconv.FormatInt(e.UpdatedAt.UnixNano(), 10),
		Title: "领导活动" + what + "：" + e.Content, Body: e.LeaderName + " " + e.Date + " " + e.Start,
		Link: weekLink(e.Week), Classification: e.Classification})
}

func (s *Service) send(ctx context.Context, n notify.Notice) {
	if len(n.Recipients) == 0 {
		return
	}
	if err := s.Notices.Send(ctx, n); err != nil {
		cmp.Or(s.d.Log, slog.Default()).Error("schedule notice failed", "key", n.Key, "err", err)
	}
}

func weekLink(week string) string { return "/office/schedule?week=" + week }
