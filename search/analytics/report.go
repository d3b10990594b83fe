package analytics

import (
	"context"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"zhengwu/shared/store"
)

// ReportSize is how many queries each table of a report lists.
const ReportSize = 50

// QueryCount is a query with its counts in a week: its searches (first
// pages), those that found nothing, and those whose results nobody opened.
type QueryCount struct {
	Query    string `json:"query"`
	Searches int    `json:"searches"`
	Zero     int    `json:"zero"`
	NoClick  int    `json:"noClick"`
}

// WeekReport is one week's searches in one scope: totals, and the three
// tables editors act on.
type WeekReport struct {
	Week     string `json:"week"`
	Scope    string `json:"scope"`
	Start    string `json:"start"` // the Monday, YYYY-MM-DD
	Searches int    `json:"searches"`
	Zero     int    `json:"zero"`
	NoClick  int    `json:"noClick"`
	Clicks   int    `json:"clicks"`
	// Top are the most searched queries; ZeroResult those that found
	// nothing (most often first): add a synonym or fix a title; NoClick
	// those that found something nobody opened.
	Top        []QueryCount `json:"top"`
	ZeroResult []QueryCount `json:"zeroResult"`
	NoClicks   []QueryCount `json:"noClicks"`
}

// scanPage is how many documents one store scan reads.
const scanPage = 1000

// Report counts week's searches of scope. A search is its first page (a
// later page of the same query is the reader paging, not a new search);
// its click is any result opened from that page.
func Report(ctx context.Context, s store.Store, w Week, scope string) (WeekReport, error) {
	clicked := map[string]bool{}
	if err := scanWeek(ctx, s, ClickCollection, w, func(d store.Doc) error {
		clicked[d.ID] = true
		return nil
	}); err != nil {
		return WeekReport{}, err
	}
	r := WeekReport{Week: w.String(), Scope: scope, Start: w.Start().Format("2006-01-02")}
	counts := map[string]*QueryCount{}
	err := scanWeek(ctx, s, LogCollection, w, func(d store.Doc) error {
		var e Entry
		if err := d.Decode(&e); err != nil || e.Scope != scope || e.Page != 1 {
			return nil
		}
		c := counts[e.Query]
		if c == nil {
			c = &QueryCount{Query: e.Query}
			counts[e.Query] = c
		}
		c.Searches++
		r.Searches++
		switch {
		case e.Results == 0:
			c.Zero++
			r.Zero++
		case clicked[e.ID]:
			r.Clicks++
		default:
			c.NoClick++
			r.NoClick++
		}
		return nil
	})
	if err != nil {
		return WeekReport{}, err
	}
	all := make([]QueryCount, 0, len(counts))
	for _, c := range counts {
		all = append(all, *c)
	}
	r.Top = top(all, func(c QueryCount) int { return c.Searches })
	r.ZeroResult = top(all, func(c QueryCount) int { return c.Zero })
	r.NoClicks = top(all, func(c QueryCount) int { return c.NoClick })
	return r, nil
}

// top are the ReportSize queries with the highest key (above 0), ties in
// pinyin order.
func top(all []QueryCount, key func(QueryCount) int) []QueryCount {
	col := collate.New(language.Chinese)
	out := slices.DeleteFunc(slices.Clone(all), func(c QueryCount) bool { return key(c) == 0 })
	slices.SortFunc(out, func(a, b QueryCount) int {
		if d := key(b) - key(a); d != 0 {
			return d
		}
		if d := col.CompareString(a.Query, b.Query); d != 0 {
			return d
		}
		return strings.Compare(a.Query, b.Query)
	})
	if len(out) > ReportSize {
		out = out[:ReportSize]
	}
	if out == nil {
		out = []QueryCount{}
	}
	return out
}

// scanWeek calls fn with each document of collection whose id (a log id:
// time first) falls in week w.
func scanWeek(ctx context.Context, s store.Store, collection string, w Week, fn func(store.Doc) error) error {
	after, end := timeKey(w.Start()), timeKey(w.End())
	for {
		docs, err := s.Scan(ctx, collection, after, scanPage)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if d.ID >= end {
				return nil
			}
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(docs) < scanPage {
			return nil
		}
		after = docs[len(docs)-1].ID
	}
}
