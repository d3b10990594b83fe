package mediahttp

import "testing"

func TestParseRange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		h               string
		start, length   int64
		ok, satisfiable bool
	}{
		{"bytes=0-0", 0, 1, true, true},
		{"bytes=-1000", 0, 100, true, true},
		{"bytes=99-", 99, 1, true, true},
		{"bytes=100-", 0, 0, false, false},
		{"bytes=-0", 0, 0, false, false},
		{"bytes=5-2", 0, 0, false, true},
		{"bytes=0-1,3-4", 0, 0, false, true},
		{"bytes=200-300,0-1", 0, 0, false, true},
		{"bytes=200-300,300-", 0, 0, false, false},
		{"bytes=x-1", 0, 0, false, true},
		{"chars=0-1", 0, 0, false, true},
	}
	for _, c := range cases {
		s, l, ok, sat := parseRange(c.h, 100)
		if s != c.start || l != c.length || ok != c.ok || sat != c.satisfiable {
			t.Errorf("%s: %d %d %v %v", c.h, s, l, ok, sat)
		}
	}
}
