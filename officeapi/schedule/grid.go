package schedule

import (
	"cmp"
	"context"
	"slices"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Grid is a week's schedule as its reader may see it: by leader (rank
// order), day and part of the day.
type Grid struct {
	Week      string    `json:"week"` // 2026-W50
	Monday    string    `json:"monday"`
	Sunday    string    `json:"sunday"`
	Prev      string    `json:"prev"`
	Next      string    `json:"next"`
	Deadline  time.Time `json:"deadline"` // submissions due
	State     string    `json:"state"`
	StateName string    `json:"stateName"`
	// Published is whether the reader sees the week's activities: a
	// viewer sees a week once it is published, the office always.
	Published bool       `json:"published"`
	Days      []Day      `json:"days"`
	Rows      []Row      `json:"rows"`
	Compiled  *Act       `json:"compiled,omitempty"`
	Approved  *Act       `json:"approved,omitempty"`
	Publisher *Act       `json:"publisher,omitempty"`
	Conflicts []Conflict `json:"conflicts"`
	Changes   []Change   `json:"changes"`
	// Pending are the submissions the compile has not taken yet (the
	// office only).
	Pending []Entry `json:"pending"`
}

// Day is one column of the grid.
type Day struct {
	Date    string `json:"date"`
	Weekday string `json:"weekday"` // 周一…周日
}

// Row is one leader's week.
type Row struct {
	Leader Leader `json:"leader"`
	Cells  []Cell `json:"cells"` // day by day, each day's periods in order
	Count  int    `json:"count"`
}

// Cell is one leader's part of one day.
type Cell struct {
	Date    string  `json:"date"`
	Period  string  `json:"period"`
	Entries []Entry `json:"entries"`
}

var weekdays = []string{"周一", "周二", "周三", "周四", "周五", "周六", "周日"}

// Grid answers GET /schedule/weeks/{week}. A viewer (schedule.view)
// sees a published week's activities of a 密级 their clearance covers,
// and of an unpublished week only that it is not published; the office
// sees every state, the pending submissions too. Anyone else: 403.
func (s *Service) Grid(ctx context.Context, p *auth.Principal, week string) (Grid, error) {
	monday, err := ParseWeek(week)
	if err != nil {
		return Grid{}, err
	}
	if !Viewer(p) {
		return Grid{}, problem.Forbidden()
	}
	tx, err := s.readWeek(ctx, week)
	if err != nil {
		return Grid{}, err
	}
	list, err := s.leaders(ctx)
	if err != nil {
		return Grid{}, err
	}
	office := Office(p)
	g := Grid{Week: week, Monday: monday.Format(DateLayout), Sunday: monday.AddDate(0, 0, 6).Format(DateLayout),
		Prev: WeekOf(monday.AddDate(0, 0, -7)), Next: WeekOf(monday.AddDate(0, 0, 7)), Deadline: Deadline(monday),
		State: tx.week.State, StateName: WeekStateNames[tx.week.State], Published: office || tx.week.State == WeekPublished,
		Conflicts: []Conflict{}, Changes: []Change{}, Pending: []Entry{}}
	for i := range 7 {
		g.Days = append(g.Days, Day{Date: monday.AddDate(0, 0, i).Format(DateLayout), Weekday: weekdays[i]})
	}
	rows := map[string]*Row{}
	leaders := slices.Clone(list.Leaders)
	for _, e := range tx.entries { // a leader since removed from the list keeps their entries
		if _, ok := list.leader(e.LeaderID); !ok && !slices.ContainsFunc(leaders, func(l Leader) bool { return l.ID == e.LeaderID }) {
			leaders = append(leaders, Leader{ID: e.LeaderID, Name: e.LeaderName, Title: e.LeaderTitle, Rank: 1000 + e.LeaderRank})
		}
	}
	for _, l := range leaders {
		r := &Row{Leader: l}
		for _, d := range g.Days {
			for _, per := range Periods {
				r.Cells = append(r.Cells, Cell{Date: d.Date, Period: per, Entries: []Entry{}})
			}
		}
		rows[l.ID] = r
		g.Rows = append(g.Rows, Row{})
	}
	if g.Published {
		g.Compiled, g.Approved, g.Publisher = tx.week.Compiled, tx.week.Approved, tx.week.Published
		g.Changes = readable(p, tx)
		if office {
			g.Conflicts = tx.week.Conflicts
		}
		entries := slices.Clone(tx.entries)
		slices.SortFunc(entries, func(x, y *Entry) int { return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.ID, y.ID)) })
		for _, e := range entries {
			if !p.MayRead(e.Classification) {
				continue
			}
			switch {
			case e.State == StateSubmitted && office:
				g.Pending = append(g.Pending, *e)
			case e.State == StateScheduled || e.State == StateChanged || e.State == StateCancelled:
				rows[e.LeaderID].place(*e)
			}
		}
	}
	for i, l := range leaders {
		g.Rows[i] = *rows[l.ID]
	}
	return g, nil
}

// place puts an entry in its cells: its period on its first day, and the
// 上午 and 下午 of the days after, for an activity over several days.
func (r *Row) place(e Entry) {
	for i, d := range e.Days() {
		for c := range r.Cells {
			cell := &r.Cells[c]
			if cell.Date == d && (cell.Period == e.Period && i == 0 || i > 0 && cell.Period != "晚上") {
				cell.Entries = append(cell.Entries, e)
			}
		}
	}
	if e.State != StateCancelled {
		r.Count++
	}
}

// readable are the week's changes whose entry the reader's clearance
// covers, as it is now and in the change's before and after: an activity
// classified since leaves its history too.
func readable(p *auth.Principal, tx *weekTx) []Change {
	out := []Change{}
	for _, c := range tx.week.Changes {
		e := tx.entry(c.EntryID)
		if e != nil && p.MayRead(e.Classification) && c.After != nil && p.MayRead(c.After.Classification) &&
			(c.Before == nil || p.MayRead(c.Before.Classification)) {
			out = append(out, c)
		}
	}
	return out
}
