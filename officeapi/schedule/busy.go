package schedule

import (
	"context"
	"slices"
	"time"

	"zhengwu/shared/problem"
)

// Engagement is a leader's activity that takes their time: what a
// meeting's conflict check is told about one of its key attendees.
type Engagement struct {
	UserID     string    `json:"userId"` // the leader's account
	LeaderName string    `json:"leaderName"`
	EntryID    string    `json:"entryId"`
	Type       string    `json:"type"`
	Content    string    `json:"content"`
	Place      string    `json:"place"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	// Published is whether the activity is in a published week; an
	// unpublished one is submitted or compiled, not yet final.
	Published bool `json:"published"`
}

// MaxBusySpan is the longest time range Busy answers for.
const MaxBusySpan = 62 * 24 * time.Hour

// Busy returns the activities of the leaders linked to userIDs (Leader.
// UserID) that overlap [from, to): submitted, compiled or changed, not
// returned, withdrawn or cancelled — the shape of the meetings' conflict
// check (meeting.Busy), which the module table wires. It reads the store,
// so it sees every write before it; it decides no access: the caller is
// the booking service, which tells its user only that a key attendee is
// busy.
func (s *Service) Busy(ctx context.Context, userIDs []string, from, to time.Time) ([]Engagement, error) {
	out := []Engagement{}
	if len(userIDs) == 0 || !to.After(from) {
		return out, nil
	}
	if to.Sub(from) > MaxBusySpan {
		return nil, problem.Invalid(problem.Field("to", "时间范围过长", "the range is too long"))
	}
	list, err := s.leaders(ctx)
	if err != nil {
		return nil, err
	}
	users := map[string]string{} // leader id → user id
	for _, l := range list.Leaders {
		if l.UserID != "" && slices.Contains(userIDs, l.UserID) {
			users[l.ID] = l.UserID
		}
	}
	if len(users) == 0 {
		return out, nil
	}
	// An activity over several days may begin in an earlier week.
	first, _ := ParseWeek(WeekOf(from.AddDate(0, 0, -31)))
	for monday := first; monday.Before(to); monday = monday.AddDate(0, 0, 7) {
		tx, err := s.readWeek(ctx, WeekOf(monday))
		if err != nil {
			return nil, err
		}
		for _, e := range tx.entries {
			user, ok := users[e.LeaderID]
			if !ok || !e.live() {
				continue
			}
			if start, end := e.span(); start.Before(to) && end.After(from) {
				out = append(out, Engagement{UserID: user, LeaderName: e.LeaderName, EntryID: e.ID, Type: e.Type, Content: e.Content,
					Place: e.Place, Start: start, End: end, Published: tx.week.State == WeekPublished})
			}
		}
	}
	slices.SortFunc(out, func(a, b Engagement) int { return a.Start.Compare(b.Start) })
	return out, nil
}
