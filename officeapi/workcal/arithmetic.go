package workcal

import (
	"fmt"
	"time"

	"zhengwu/shared/problem"
)

// Clock is a time of day in minutes after midnight; JSON "08:30".
type Clock int

// At makes a Clock from hours and minutes.
func At(hour, minute int) Clock { return Clock(hour*60 + minute) }

func (c Clock) offset() time.Duration { return time.Duration(c) * time.Minute }

// String is "08:30".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes "08:30".
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "08:30" (00:00 to 24:00).
func (c *Clock) UnmarshalText(b []byte) error {
	digit := func(i int) int {
		if b[i] < '0' || b[i] > '9' {
			return -100
		}
		return int(b[i] - '0')
	}
	if len(b) != 5 || b[2] != ':' {
		return fmt.Errorf("workcal: time of day %q is not HH:MM", b)
	}
	h, m := digit(0)*10+digit(1), digit(3)*10+digit(4)
	if h < 0 || m < 0 || m > 59 || h*60+m > 24*60 {
		return fmt.Errorf("workcal: time of day %q is not HH:MM", b)
	}
	*c = At(h, m)
	return nil
}

// Span is part of a working day, From inclusive, To exclusive.
type Span struct {
	From Clock `json:"from"`
	To   Clock `json:"to"`
}

// Hours are the office hours of a working day: a morning and an afternoon.
type Hours struct {
	Morning   Span `json:"morning"`
	Afternoon Span `json:"afternoon"`
}

// DefaultHours are common provincial office hours: 8:30–12:00, 14:30–17:30.
var DefaultHours = Hours{Morning: Span{At(8, 30), At(12, 0)}, Afternoon: Span{At(14, 30), At(17, 30)}}

// Daily is the working time in one working day.
func (h Hours) Daily() time.Duration {
	return (h.Morning.To - h.Morning.From + h.Afternoon.To - h.Afternoon.From).offset()
}

// Limits on a single time limit: far beyond any node's (a year is about
// 250 working days), they keep a mistyped limit from looping for long.
const (
	MaxWorkdays     = 1000
	MaxWorkingHours = 8000 * time.Hour
)

// IsWorkday reports whether t's date, in the calendar's zone, is a working
// day: a make-up day (调休上班) is, a holiday is not, otherwise Monday to
// Friday are.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.working(c.dayOf(t))
}

// AddWorkdays is the deadline of a limit of n working days that starts at
// from: the close of office (Hours.Afternoon.To) on the n-th working day
// after from's date.
//
// The rule, as a Chinese office counts 办理时限 (and as the Civil Code
// counts periods, arts. 201 and 203): the day the item arrives is not
// counted, whatever the hour; counting starts with the next working day;
// the limit ends when business stops on its last day. So an item received
// on a working day at 09:00 or at 17:59 has the same deadline, and one
// received on a holiday or a weekend (or on a make-up Saturday) has its
// first day on the next working day. n must be 1 to MaxWorkdays.
func (c *Calendar) AddWorkdays(from time.Time, n int) (time.Time, error) {
	if n < 1 || n > MaxWorkdays {
		return time.Time{}, limitError(fmt.Sprint(MaxWorkdays, " 个工作日"), fmt.Sprint(MaxWorkdays, " working days"))
	}
	d := c.dayOf(from)
	for n > 0 {
		d++
		if c.working(d) {
			n--
		}
	}
	return c.at(d, c.hours.Afternoon.To.offset()), nil
}

// AddCalendarDays is the deadline of a limit of n calendar days (自然日)
// that starts at from: the start day is not counted, the n-th day after it
// is the last, and when that day is not a working day (a holiday or a
// weekend) the limit runs to the next working day (Civil Code art. 203),
// ending at the close of office. n must be 1 to MaxWorkdays.
func (c *Calendar) AddCalendarDays(from time.Time, n int) (time.Time, error) {
	if n < 1 || n > MaxWorkdays {
		return time.Time{}, limitError(fmt.Sprint(MaxWorkdays, " 天"), fmt.Sprint(MaxWorkdays, " days"))
	}
	d := c.dayOf(from) + n
	for !c.working(d) {
		d++
	}
	return c.at(d, c.hours.Afternoon.To.offset()), nil
}

// AddWorkingHours is the deadline of a limit of h working hours that starts
// at from: h of office time (Hours, on working days) after from. Counting
// by hours starts at the moment given (Civil Code art. 201): within office
// hours at once; before, in a break or after them, at the next opening. A
// limit that runs out exactly at a closing time ends then (12:00, 17:30),
// not at the next opening. h must be positive, at most MaxWorkingHours.
func (c *Calendar) AddWorkingHours(from time.Time, h time.Duration) (time.Time, error) {
	if h <= 0 || h > MaxWorkingHours {
		return time.Time{}, limitError(fmt.Sprint(MaxWorkingHours.Hours(), " 个工作小时"), fmt.Sprint(MaxWorkingHours.Hours(), " working hours"))
	}
	d, now := c.dayOf(from), clockOf(from.In(c.loc))
	for {
		if c.working(d) {
			for _, s := range [2]Span{c.hours.Morning, c.hours.Afternoon} {
				opens, closes := s.From.offset(), s.To.offset()
				if now >= closes {
					continue
				}
				now = max(now, opens)
				left := closes - now
				if h <= left {
					return c.at(d, now+h), nil
				}
				h -= left
				now = closes
			}
		}
		d, now = d+1, 0
	}
}

// WorkdaysBetween counts the working days after a's date up to and
// including b's date (negative when b is before a): by the same rule as
// AddWorkdays, so WorkdaysBetween(from, AddWorkdays(from, n)) is n. For an
// overdue item, WorkdaysBetween(deadline, now) is how many working days
// late it is; 0 means late today (whether it is late at all is
// now.After(deadline)).
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	da, db := c.dayOf(a), c.dayOf(b)
	sign := 1
	if db < da {
		da, db, sign = db, da, -1
	}
	n := 0
	for d := da + 1; d <= db; d++ {
		if c.working(d) {
			n++
		}
	}
	return sign * n
}

// working decides one day by its day number.
func (c *Calendar) working(d int) bool {
	if i := d - c.base; i >= 0 && i < len(c.kinds) {
		switch c.kinds[i] {
		case dayOff:
			return false
		case dayWorked:
			return true
		}
	}
	// 1970-01-01 (day 0) was a Thursday: +4 makes Sunday 0.
	wd := time.Weekday(((d+4)%7 + 7) % 7)
	return wd != time.Saturday && wd != time.Sunday
}

// dayOf is the day number of t's date in the calendar's zone.
func (c *Calendar) dayOf(t time.Time) int {
	y, m, d := t.In(c.loc).Date()
	return dayNumber(y, m, d)
}

// at is the instant off after midnight (wall clock) on day d.
func (c *Calendar) at(d int, off time.Duration) time.Time {
	y, m, day := time.Unix(int64(d)*86400, 0).UTC().Date()
	return time.Date(y, m, day, 0, 0, 0, int(off), c.loc)
}

// dayNumber counts days from 1970-01-01 (negative before it).
func dayNumber(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// clockOf is t's wall-clock time after midnight.
func clockOf(t time.Time) time.Duration {
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
}

func limitError(maxZh, maxEn string) error {
	return problem.Invalid(problem.Field("limit", "时限必须大于零，且不超过 "+maxZh, "the time limit must be positive and at most "+maxEn))
}
