package duty

import (
	"cmp"
	"context"
	"slices"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Summary is a month of duty in figures (值班月报).
type Summary struct {
	Month        string       `json:"month"`
	Published    bool         `json:"published"` // whether the month's roster is
	Entries      int          `json:"entries"`
	Important    int          `json:"important"`
	Escalated    int          `json:"escalated"`
	Acknowledged int          `json:"acknowledged"`
	Instructed   int          `json:"instructed"` // with a 批示
	Open         int          `json:"open"`
	ByKind       []KindCount  `json:"byKind"`
	Duties       []PersonDuty `json:"duties"` // who was on duty, most days first
	Swaps        int          `json:"swaps"`
	OpenItems    []Entry      `json:"openItems"` // the month's entries still open
}

// KindCount is how many entries of a kind, and of them important.
type KindCount struct {
	Kind      string `json:"kind"`
	Count     int    `json:"count"`
	Important int    `json:"important"`
}

// PersonDuty is one person's days on the month's roster, by position.
type PersonDuty struct {
	UserID string `json:"userId"`
	Name   string `json:"name"`
	Leader int    `json:"leader"`
	Main   int    `json:"main"`
	Deputy int    `json:"deputy"`
	Total  int    `json:"total"`
}

// maxSummaryEntries bounds a month's count (a month holds hundreds).
const maxSummaryEntries = 5000

// Summarise is a month's summary, for 值班室 and leaders.
func (s *Service) Summarise(ctx context.Context, p *auth.Principal, q MonthQuery) (Summary, error) {
	if err := checkMonth(q.Month); err != nil {
		return Summary{}, err
	}
	if !p.Can(auth.PermDutyManage, auth.OfficeWide) && !p.Can(auth.PermDutyLead, auth.OfficeWide) {
		return Summary{}, problem.Forbidden()
	}
	sum := Summary{Month: q.Month, ByKind: []KindCount{}, Duties: []PersonDuty{}, OpenItems: []Entry{}}
	kinds := map[string]*KindCount{}
	for _, k := range Kinds {
		sum.ByKind = append(sum.ByKind, KindCount{Kind: k})
	}
	for i := range sum.ByKind {
		kinds[sum.ByKind[i].Kind] = &sum.ByKind[i]
	}
	cursor := ""
	for sum.Entries < maxSummaryEntries {
		pg, err := s.logs.List(ctx, p, records.Query{Sort: "receivedAt", Size: 100, Cursor: cursor}, index.Term("month", q.Month))
		if err != nil {
			return Summary{}, err
		}
		for _, e := range pg.Items {
			sum.Entries++
			k := kinds[e.Kind]
			k.Count++
			if e.Important {
				sum.Important++
				k.Important++
			}
			if e.Escalation != "" {
				sum.Escalated++
			}
			if e.Escalation == EscalationAcknowledged {
				sum.Acknowledged++
			}
			if e.Instruction != "" {
				sum.Instructed++
			}
			if e.State == EntryOpen {
				sum.Open++
				sum.OpenItems = append(sum.OpenItems, e)
			}
		}
		if pg.Next == "" {
			break
		}
		cursor = pg.Next
	}
	r, _, err := s.rosters.Get(ctx, p, q.Month)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		return sum, nil // no roster for the month (yet)
	}
	if err != nil {
		return Summary{}, err
	}
	sum.Published, sum.Swaps = r.State == RosterPublished, r.Swaps
	by := map[string]*PersonDuty{}
	count := func(pn Person, pos string) {
		d := by[pn.UserID]
		if d == nil {
			d = &PersonDuty{UserID: pn.UserID, Name: pn.Name}
			by[pn.UserID] = d
		}
		switch pos {
		case PosLeader:
			d.Leader++
		case PosMain:
			d.Main++
		default:
			d.Deputy++
		}
		d.Total++
	}
	for _, d := range r.Days {
		count(d.Leader, PosLeader)
		count(d.Main, PosMain)
		count(d.Deputy, PosDeputy)
	}
	for _, d := range by {
		sum.Duties = append(sum.Duties, *d)
	}
	slices.SortFunc(sum.Duties, func(a, b PersonDuty) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Name, b.Name))
	})
	return sum, nil
}
