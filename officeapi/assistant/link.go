package assistant

import (
	"context"
	"fmt"
	"time"

	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/schedule"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Documents reads a 公文 with the reader's access (officialdoc.Service).
type Documents interface {
	Get(ctx context.Context, p *auth.Principal, id string) (officialdoc.View, error)
}

// TaskLinker makes to-dos from 公文 tasks: the document's title and 密级
// as p may read it (its 404 otherwise), and its page.
func TaskLinker(docs Documents) Linker {
	return func(ctx context.Context, p *auth.Principal, id string) (string, string, classification.Level, error) {
		v, err := docs.Get(ctx, p, id)
		if err != nil {
			return "", "", "", err
		}
		return v.Document.Title, officialdoc.TaskLink(id, ""), v.Document.Classification, nil
	}
}

// Meetings lists meetings as the reader may see them (meeting.Service).
type Meetings interface {
	During(ctx context.Context, p *auth.Principal, q meeting.ListQuery, from, to time.Time) (meeting.Page, error)
}

// maxMeetingPages bounds the pages read for one calendar range.
const maxMeetingPages = 20

// MeetingOverlay lays over the calendar the meetings p attends or
// organises (not cancelled ones), linked to their page.
func MeetingOverlay(m Meetings) Overlay {
	return func(ctx context.Context, p *auth.Principal, from, to time.Time) ([]Occurrence, error) {
		seen := map[string]bool{}
		var out []Occurrence
		for _, scope := range []string{"mine", "organised"} {
			q := meeting.ListQuery{Scope: scope, Size: 100}
			for range maxMeetingPages {
				page, err := m.During(ctx, p, q, from, to)
				if err != nil {
					return nil, err
				}
				for _, s := range page.Items {
					if seen[s.ID] || s.State == meeting.StateCancelled || !s.EndAt.After(from) || !s.StartAt.Before(to) {
						continue
					}
					seen[s.ID] = true
					out = append(out, Occurrence{Kind: KindMeeting, ID: s.ID, Title: s.Title, Place: s.RoomName,
						Start: s.StartAt, End: s.EndAt, Link: "/office/meetings/" + s.ID, Classification: s.Classification})
				}
				// Sorted by start: past the range, nothing later matters.
				if page.Next == "" || len(page.Items) > 0 && !page.Items[len(page.Items)-1].StartAt.Before(to) {
					break
				}
				q.Cursor = page.Next
			}
		}
		return out, nil
	}
}

// Grids reads a week of the leaders' schedule as the reader may see it
// (schedule.Service: schedule.view holders see published weeks).
type Grids interface {
	Grid(ctx context.Context, p *auth.Principal, week string) (schedule.Grid, error)
}

// periodHours are the hours an activity without its own times is drawn
// at, by the part of the day.
var periodHours = map[string][2]int{"上午": {9, 12}, "下午": {14, 18}, "晚上": {19, 21}}

// LeaderOverlay lays the published leaders' schedule over the calendar of
// those who hold schedule.view; nobody else asks for it.
func LeaderOverlay(g Grids) Overlay {
	return func(ctx context.Context, p *auth.Principal, from, to time.Time) ([]Occurrence, error) {
		if len(p.Scopes(auth.PermScheduleView)) == 0 {
			return nil, nil
		}
		var out []Occurrence
		for monday := dayStart(from).AddDate(0, 0, -int((dayStart(from).Weekday()+6)%7)); monday.Before(to); monday = monday.AddDate(0, 0, 7) {
			grid, err := g.Grid(ctx, p, schedule.WeekOf(monday))
			if err != nil {
				return nil, err
			}
			if !grid.Published || grid.State != schedule.WeekPublished {
				continue
			}
			for _, row := range grid.Rows {
				for _, cell := range row.Cells {
					for _, e := range cell.Entries {
						start, end := entryTimes(e)
						if (e.State != schedule.StateScheduled && e.State != schedule.StateChanged) || start.IsZero() || !end.After(from) || !start.Before(to) {
							continue
						}
						out = append(out, Occurrence{Kind: KindLeader, ID: e.ID,
							Title: fmt.Sprintf("%s%s：%s", e.LeaderName, e.LeaderTitle, e.Content), Place: e.Place,
							Start: start, End: end, Link: "/office/schedule?week=" + grid.Week, Classification: e.Classification})
					}
				}
			}
		}
		return out, nil
	}
}

// entryTimes are when a schedule entry runs: its own times, or its part
// of the day's.
func entryTimes(e schedule.Entry) (time.Time, time.Time) {
	day, err := time.ParseInLocation(DateLayout, e.Date, China)
	if err != nil {
		return time.Time{}, time.Time{}
	}
	last := day
	if e.EndDate != "" {
		if d, err := time.ParseInLocation(DateLayout, e.EndDate, China); err == nil {
			last = d
		}
	}
	h := periodHours[e.Period]
	start, end := day.Add(time.Duration(h[0])*time.Hour), last.Add(time.Duration(h[1])*time.Hour)
	if t, err := time.ParseInLocation("15:04", e.Start, China); err == nil {
		start = day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	if t, err := time.ParseInLocation("15:04", e.End, China); err == nil {
		end = last.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	if !end.After(start) {
		end = start.Add(time.Hour)
	}
	return start, end
}
