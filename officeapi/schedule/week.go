package schedule

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"zhengwu/shared/problem"
)

// China is the office's time zone (China keeps no daylight saving time,
// so a fixed zone needs no tz database).
var China = time.FixedZone("CST", 8*60*60)

// Week states.
const (
	WeekOpen      = "open"      // 报送中: departments submit
	WeekCompiled  = "compiled"  // 已编排: waits for approval
	WeekApproved  = "approved"  // 已审定: waits for publishing
	WeekPublished = "published" // 已发布: the viewers see it
)

// WeekStateNames are the week's states as the reader sees them.
var WeekStateNames = map[string]string{WeekOpen: "报送中", WeekCompiled: "已编排待审定", WeekApproved: "已审定待发布", WeekPublished: "已发布"}

// Week is the office's record of one ISO week's schedule: its state, who
// compiled, approved and published it, the conflicts of the last compile
// and the changes made after publishing.
type Week struct {
	ID        string     `json:"id"` // 2026-W50
	State     string     `json:"state"`
	Conflicts []Conflict `json:"conflicts"`
	// Compiled, Approved and Published are the last time each was done.
	Compiled  *Act `json:"compiled,omitempty"`
	Approved  *Act `json:"approved,omitempty"`
	Published *Act `json:"published,omitempty"`
	// Changes are the changes after publishing, oldest first.
	Changes []Change `json:"changes"`
}

// Act is who did a step of the week, and when.
type Act struct {
	By     string    `json:"by"`
	ByName string    `json:"byName"`
	At     time.Time `json:"at"`
}

// Conflict is two live activities of one leader whose times overlap.
type Conflict struct {
	LeaderID   string `json:"leaderId"`
	LeaderName string `json:"leaderName"`
	A          string `json:"a"` // entry ids
	B          string `json:"b"`
	Summary    string `json:"summary"`
}

// Change is one change after publishing: an entry added, changed or
// cancelled, with the entry before and after.
type Change struct {
	Seq     int       `json:"seq"` // 1, 2… within the week
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	ByName  string    `json:"byName"`
	Kind    string    `json:"kind"` // added, changed, cancelled
	EntryID string    `json:"entryId"`
	// Fields are the names (Chinese) of what changed.
	Fields  []string `json:"fields"`
	Summary string   `json:"summary"`
	Before  *Entry   `json:"before,omitempty"`
	After   *Entry   `json:"after,omitempty"`
}

var weekPattern = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// ParseWeek reads an ISO week ("2026-W50") and returns its Monday (China
// time); a malformed or impossible week is a 400 naming "week".
func ParseWeek(s string) (time.Time, error) {
	bad := problem.Invalid(problem.Field("week", "周次格式应为 2026-W50（ISO 周）", "week must be an ISO week such as 2026-W50"))
	m := weekPattern.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, bad
	}
	year, _ := strconv.Atoi(m[1])
	w, _ := strconv.Atoi(m[2])
	if year < 2000 || year > 2100 || w < 1 {
		return time.Time{}, bad
	}
	monday := mondayOfWeek1(year).AddDate(0, 0, 7*(w-1))
	if y, got := monday.ISOWeek(); y != year || got != w {
		return time.Time{}, bad // week 53 of a year with 52
	}
	return monday, nil
}

// mondayOfWeek1 is the Monday of ISO week 1: the week with 4 January.
func mondayOfWeek1(year int) time.Time {
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, China)
	return jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
}

// WeekOf is the ISO week of a day, as "2026-W50".
func WeekOf(day time.Time) string {
	y, w := day.In(China).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// Deadline is when submissions for the week starting on monday are due:
// 17:00 on the Thursday before.
func Deadline(monday time.Time) time.Time {
	d := monday.AddDate(0, 0, -4)
	return time.Date(d.Year(), d.Month(), d.Day(), 17, 0, 0, 0, China)
}

// DateLayout is how days are written.
const DateLayout = "2006-01-02"

// day parses a date checked by the validate tags.
func day(s string) time.Time {
	t, _ := time.ParseInLocation(DateLayout, s, China)
	return t
}

// at is the instant of a day and a clock time ("09:30"), China time.
func at(date, clock string) time.Time {
	t, _ := time.ParseInLocation(DateLayout+" 15:04", date+" "+clock, China)
	return t
}

// span is an entry's time, from its start on Date to its end on EndDate.
func (e *Entry) span() (time.Time, time.Time) {
	last := e.Date
	if e.EndDate != "" {
		last = e.EndDate
	}
	return at(e.Date, e.Start), at(last, e.End)
}

// Days are the days an entry covers, first to last.
func (e *Entry) Days() []string {
	out := []string{e.Date}
	if e.EndDate == "" {
		return out
	}
	for d, last := day(e.Date).AddDate(0, 0, 1), day(e.EndDate); !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(DateLayout))
	}
	return out
}
