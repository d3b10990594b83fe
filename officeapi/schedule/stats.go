package schedule

import (
	"cmp"
	"context"
	"slices"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// StatsQuery is the period (and optionally the leader) to count.
type StatsQuery struct {
	From   string `query:"from" validate:"required,datetime=2006-01-02" doc:"起始日期（含）"`
	To     string `query:"to" validate:"required,datetime=2006-01-02" doc:"截止日期（含）"`
	Leader string `query:"leader" validate:"max=64" doc:"只统计该领导（领导 id）"`
}

// Stats are the counts of the published activities of a period: by
// leader, by type, by place. An activity counts once, in the period if
// its first day is; its days are the calendar days it covers within the
// period.
type Stats struct {
	From     string      `json:"from"`
	To       string      `json:"to"`
	Total    int         `json:"total"`
	Days     int         `json:"days"` // leader-days with at least one activity
	ByLeader []LeaderRow `json:"byLeader"`
	ByType   []Count     `json:"byType"`
	ByPlace  []Count     `json:"byPlace"`
	// Entries are the activities counted, by date (the exports' detail).
	Entries []Entry `json:"entries"`
}

// LeaderRow is one leader's counts.
type LeaderRow struct {
	LeaderID string         `json:"leaderId"`
	Name     string         `json:"name"`
	Title    string         `json:"title"`
	Rank     int            `json:"rank"`
	Count    int            `json:"count"`
	Days     int            `json:"days"`     // days with an activity
	DaysAway int            `json:"daysAway"` // days on 出差 or 调研
	ByType   map[string]int `json:"byType"`
}

// Count is one type's or place's count.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
	Days  int    `json:"days"` // leader-days
}

// MaxStatsDays is the longest period counted at once.
const MaxStatsDays = 366

// Stats counts the published weeks' activities (scheduled or changed, not
// cancelled) of a period, for the schedule's viewers and the office. An
// activity above the reader's clearance is not counted for them.
func (s *Service) Stats(ctx context.Context, p *auth.Principal, q StatsQuery) (Stats, error) {
	if !Viewer(p) {
		return Stats{}, problem.Forbidden()
	}
	from, to := day(q.From), day(q.To)
	switch {
	case to.Before(from):
		return Stats{}, problem.Invalid(problem.Field("to", "截止日期不能早于起始日期", "to is before from"))
	case to.Sub(from).Hours()/24 >= MaxStatsDays:
		return Stats{}, problem.Invalid(problem.Field("to", "统计期间至多一年", "at most one year"))
	}
	st := Stats{From: q.From, To: q.To, ByLeader: []LeaderRow{}, ByType: []Count{}, ByPlace: []Count{}, Entries: []Entry{}}
	for w := from; WeekOf(w) <= WeekOf(to); w = w.AddDate(0, 0, 7) {
		tx, err := s.readWeek(ctx, WeekOf(w))
		if err != nil {
			return Stats{}, err
		}
		if tx.week.State != WeekPublished {
			continue
		}
		for _, e := range tx.entries {
			if (e.State == StateScheduled || e.State == StateChanged) && e.Date >= q.From && e.Date <= q.To &&
				(q.Leader == "" || e.LeaderID == q.Leader) && p.MayRead(e.Classification) {
				st.Entries = append(st.Entries, *e)
			}
		}
	}
	slices.SortFunc(st.Entries, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Start, b.Start), cmp.Compare(a.LeaderRank, b.LeaderRank), cmp.Compare(a.ID, b.ID))
	})
	st.count()
	return st, nil
}

// count fills the tables from the entries.
func (st *Stats) count() {
	type leaderDay struct{ leader, day string }
	leaders := map[string]*LeaderRow{}
	days, away := map[leaderDay]bool{}, map[leaderDay]bool{}
	types, places := map[string]*Count{}, map[string]*Count{}
	typeDays, placeDays := map[string]map[leaderDay]bool{}, map[string]map[leaderDay]bool{}
	bump := func(m map[string]*Count, dm map[string]map[leaderDay]bool, key string, covered []leaderDay) {
		if m[key] == nil {
			m[key], dm[key] = &Count{Key: key}, map[leaderDay]bool{}
		}
		m[key].Count++
		for _, d := range covered {
			dm[key][d] = true
		}
		m[key].Days = len(dm[key])
	}
	for _, e := range st.Entries {
		r := leaders[e.LeaderID]
		if r == nil {
			r = &LeaderRow{LeaderID: e.LeaderID, Name: e.LeaderName, Title: e.LeaderTitle, Rank: e.LeaderRank, ByType: map[string]int{}}
			leaders[e.LeaderID] = r
		}
		r.Count++
		r.ByType[e.Type]++
		var covered []leaderDay
		for _, d := range e.Days() {
			if d >= st.From && d <= st.To {
				covered = append(covered, leaderDay{e.LeaderID, d})
			}
		}
		for _, d := range covered {
			days[d] = true
			if e.Type == "出差" || e.Type == "调研" {
				away[d] = true
			}
		}
		place := e.City
		if place == "" {
			place = e.Place
		}
		bump(types, typeDays, e.Type, covered)
		bump(places, placeDays, place, covered)
	}
	st.Total, st.Days = len(st.Entries), len(days)
	for d := range days {
		leaders[d.leader].Days++
	}
	for d := range away {
		leaders[d.leader].DaysAway++
	}
	for _, r := range leaders {
		st.ByLeader = append(st.ByLeader, *r)
	}
	slices.SortFunc(st.ByLeader, func(a, b LeaderRow) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.LeaderID, b.LeaderID))
	})
	for _, t := range Types {
		if c, ok := types[t]; ok {
			st.ByType = append(st.ByType, *c)
		}
	}
	for _, c := range places {
		st.ByPlace = append(st.ByPlace, *c)
	}
	slices.SortFunc(st.ByPlace, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
}
