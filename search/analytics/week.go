package analytics

import (
	"fmt"
	"time"

	"zhengwu/search/source"
)

// Week is an ISO week (2026-W49) in China time: Monday 00:00 to the next
// Monday.
type Week struct {
	Year, Number int
}

// WeekOf is the ISO week t falls in, in China time.
func WeekOf(t time.Time) Week {
	y, w := t.In(source.ChinaTime).ISOWeek()
	return Week{y, w}
}

// ParseWeek reads 2026-W49 (or 2026-w49).
func ParseWeek(s string) (Week, bool) {
	var w Week
	var sep rune
	if n, err := fmt.Sscanf(s, "%4d-%c%d", &w.Year, &sep, &w.Number); err != nil || n != 3 || (sep != 'W' && sep != 'w') {
		return Week{}, false
	}
	if w.Year < 2000 || w.Year > 2999 || w.Number < 1 || w.Number > 53 || WeekOf(w.Start()) != w {
		return Week{}, false
	}
	return w, true
}

// String is 2026-W49.
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Number) }

// Start is the week's Monday, 00:00 China time.
func (w Week) Start() time.Time {
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, source.ChinaTime)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w.Number-1))
}

// End is the next week's Start.
func (w Week) End() time.Time { return w.Start().AddDate(0, 0, 7) }

// Prev is the week before.
func (w Week) Prev() Week { return WeekOf(w.Start().AddDate(0, 0, -1)) }
