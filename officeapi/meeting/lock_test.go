package meeting

import (
	"slices"
	"testing"
	"time"
)

// The person locks are per China-time day: a meeting crossing midnight
// there takes both days' locks, one ending at midnight only the first.
func TestDaysAreChinaTimeDates(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		from, to string
		want     []string
	}{
		{"2026-12-08T01:00:00Z", "2026-12-08T03:00:00Z", []string{"2026-12-08"}},
		// 23:00–01:00 China time.
		{"2026-12-08T15:00:00Z", "2026-12-08T17:00:00Z", []string{"2026-12-08", "2026-12-09"}},
		// 22:00 to midnight China time.
		{"2026-12-08T14:00:00Z", "2026-12-08T16:00:00Z", []string{"2026-12-08"}},
		// 07:00 China time is still the 8th although UTC says the 7th.
		{"2026-12-07T23:00:00Z", "2026-12-08T00:00:00Z", []string{"2026-12-08"}},
		{"2026-12-08T01:00:00Z", "2026-12-11T01:00:00Z", []string{"2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"}},
	} {
		if got := days(at(c.from), at(c.to)); !slices.Equal(got, c.want) {
			t.Errorf("%s–%s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
