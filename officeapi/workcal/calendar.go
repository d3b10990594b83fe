// Package workcal is the office's working calendar (工作日历): which days
// are working days, and the deadlines the workflow engine sets from a
// node's time limit (办理时限) in working days or working hours. The engine
// uses it for each node's deadline, for marking what is overdue and by how
// many working days, and for timing reminders (催办) and escalation.
//
// # Where the data comes from
//
// Each year the State Council General Office publishes its notice on the
// next year's holidays (国务院办公厅关于20XX年部分节假日安排的通知,
// 国办发明电〔…〕N号), usually in November: each holiday period and the
// weekend days that are worked instead (调休上班). One file per year under
// data/ holds one notice as a Year, with the notice's title, 文号, date and
// address as its Source; every date in it is checked against the notice's
// text. Shipped: 2026 (国办发明电〔2025〕7号, 2025-11-04). 2027 is not
// shipped: its notice's text could not be found when this was written
// (December 2026), and a guess is worse than nothing. A year without data
// counts Monday to Friday as working days; Known(year) says whether the
// calendar has a notice (or an edit) for the year, so a screen can warn
// that a deadline in such a year (Known(deadline.Year()) false) is
// provisional until the notice is added.
//
// # Adding next year's notice
//
// Copy data/2026.json to data/2027.json and type the new notice's periods
// and 调休上班 days and its source (title, 文号, date, address on
// www.gov.cn). TestEmbeddedYearsAreValidAndNamed validates every file; a
// copy of TestData2026MatchesTheNotice for the new year, holding each date
// to the weekday the notice prints beside it (「1月1日（周四）」) and each
// period to its "共N天", catches a mistyped date. A
// notice occasionally names a make-up day in December of the year before
// (the notice for 2007 had 30 and 31 December 2006 worked): such a day
// goes into the earlier year's data (its file, or an edit of that year).
//
// # Edits by year
//
// An authorised person may replace a whole year (a late notice, a
// provincial adjustment, a correction): WithYear validates the Year and
// returns a new Calendar in which that year replaces the embedded one;
// the old Calendar is unchanged. Calendars are immutable values, safe for
// any number of goroutines; whoever stores the edits swaps the Calendar
// they hand out (an atomic.Pointer) when one is saved.
//
// # Counting rules
//
// See AddWorkdays, AddCalendarDays, AddWorkingHours and WorkdaysBetween.
// Everything is counted in the deployment's zone (Asia/Shanghai by
// default, loaded from the embedded time/tzdata so a host without
// zoneinfo works the same).
package workcal

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai without the host's zoneinfo (containers, Windows)
)

// Zone is the default deployment zone.
const Zone = "Asia/Shanghai"

// DateLayout is how a Year writes its dates.
const DateLayout = "2006-01-02"

// Year is one year's holidays and make-up working days, as one notice
// gives them (the embedded data) or as an authorised person edited them.
type Year struct {
	Year     int       `json:"year" validate:"required"`
	Source   Source    `json:"source"`
	Holidays []Holiday `json:"holidays" validate:"max=16,dive"`
	Workdays []Workday `json:"workdays" validate:"max=16,dive"`
}

// Source is what a Year is taken from: the notice (title, 文号, the date it
// was issued, its address), or for an edit the document or decision behind
// it.
type Source struct {
	Title string `json:"title" validate:"required,max=200,nocontrol"`
	DocNo string `json:"docNo,omitempty" validate:"max=100,nocontrol"`
	Date  string `json:"date,omitempty" validate:"omitempty,datetime=2006-01-02"`
	URL   string `json:"url,omitempty" validate:"max=500,nocontrol"` // http(s) only: Validate
}

// Holiday is one holiday period: its first and last day off, inclusive
// (the weekend days inside it included, as the notice counts "共N天").
type Holiday struct {
	Name  string `json:"name" validate:"required,max=40"`
	First string `json:"first" validate:"required,datetime=2006-01-02"`
	Last  string `json:"last" validate:"required,datetime=2006-01-02"`
}

// Workday is a make-up working day (调休上班): a Saturday or Sunday worked
// in exchange for a day of the holiday it is For.
type Workday struct {
	Date string `json:"date" validate:"required,datetime=2006-01-02"`
	For  string `json:"for" validate:"required,max=40"`
}

// Calendar answers working-day questions over its years. Build it with New;
// its methods are pure functions of its data.
type Calendar struct {
	loc   *time.Location
	hours Hours
	years map[int]Year
	// kinds covers every day from Jan 1 of the first year with data to
	// Dec 31 of the last, indexed by day number - base: the days a notice
	// changes (the rest are decided by their weekday).
	base  int
	kinds []dayKind
}

type dayKind uint8

const (
	byWeekday dayKind = iota
	dayOff            // a holiday
	dayWorked         // a make-up working day
)

// Config says how to build a Calendar; the zero Config is the default:
// Asia/Shanghai, DefaultHours, the embedded years.
type Config struct {
	Location *time.Location // nil: Asia/Shanghai
	Hours    *Hours         // nil: DefaultHours
	// Edits replace the embedded years of the same number, or add years.
	Edits []Year
}

//go:embed data/*.json
var dataFiles embed.FS

// Embedded returns the years shipped with the package, in order.
func Embedded() ([]Year, error) { return embedded() }

var embedded = sync.OnceValues(func() ([]Year, error) {
	names, err := fs.Glob(dataFiles, "data/*.json")
	if err != nil {
		return nil, err
	}
	years := make([]Year, 0, len(names))
	for _, name := range names {
		raw, err := dataFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var y Year
		if err := json.Unmarshal(raw, &y); err != nil {
			return nil, fmt.Errorf("workcal: %s: %w", name, err)
		}
		if want := fmt.Sprintf("data/%d.json", y.Year); name != want {
			return nil, fmt.Errorf("workcal: %s holds year %d", name, y.Year)
		}
		if err := y.Validate(); err != nil {
			return nil, fmt.Errorf("workcal: %s: %w", name, err)
		}
		years = append(years, y)
	}
	return years, nil
})

// New builds a Calendar from the embedded years and cfg's edits, each
// validated (a *problem.Error naming the field otherwise).
func New(cfg Config) (*Calendar, error) {
	loc := cfg.Location
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation(Zone); err != nil {
			return nil, err
		}
	}
	hours := DefaultHours
	if cfg.Hours != nil {
		if err := cfg.Hours.Validate(); err != nil {
			return nil, err
		}
		hours = *cfg.Hours
	}
	shipped, err := embedded()
	if err != nil {
		return nil, err
	}
	years := make(map[int]Year, len(shipped)+len(cfg.Edits))
	for _, y := range shipped {
		years[y.Year] = y
	}
	for _, y := range cfg.Edits {
		if err := y.Validate(); err != nil {
			return nil, err
		}
		years[y.Year] = y
	}
	return build(loc, hours, years), nil
}

// WithYear returns a copy of c in which y replaces the year of its number
// (or adds it), after validating y; c itself is unchanged.
func (c *Calendar) WithYear(y Year) (*Calendar, error) {
	if err := y.Validate(); err != nil {
		return nil, err
	}
	years := make(map[int]Year, len(c.years)+1)
	for n, old := range c.years {
		years[n] = old
	}
	years[y.Year] = y
	return build(c.loc, c.hours, years), nil
}

// build lays the years' days out in one slice; the years are valid.
func build(loc *time.Location, hours Hours, years map[int]Year) *Calendar {
	c := &Calendar{loc: loc, hours: hours, years: years}
	if len(years) == 0 {
		return c
	}
	numbers := make([]int, 0, len(years))
	for n := range years {
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	c.base = dayNumber(numbers[0], time.January, 1)
	c.kinds = make([]dayKind, dayNumber(numbers[len(numbers)-1], time.December, 31)-c.base+1)
	for _, y := range years {
		for _, h := range y.Holidays {
			for d := mustDay(h.First); d <= mustDay(h.Last); d++ {
				c.kinds[d-c.base] = dayOff
			}
		}
		for _, w := range y.Workdays {
			c.kinds[mustDay(w.Date)-c.base] = dayWorked
		}
	}
	return c
}

// Known reports whether the calendar has a notice or an edit for year;
// without one, the year's working days are Monday to Friday.
func (c *Calendar) Known(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Year returns the data the calendar holds for year (for the editor to
// show and to cite its source), and whether it has any.
func (c *Calendar) Year(year int) (Year, bool) {
	y, ok := c.years[year]
	return y, ok
}

// Location is the zone the calendar counts in.
func (c *Calendar) Location() *time.Location { return c.loc }

// Hours are the office hours AddWorkingHours counts over.
func (c *Calendar) Hours() Hours { return c.hours }
