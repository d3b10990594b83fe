package assistant

import (
	"slices"
	"testing"
)

func TestNamesReadAsNames(t *testing.T) {
	for _, c := range []struct {
		name, full, initials, common string
	}{
		{"刘志强", "liuzhiqiang", "lzq", ""},
		{"单立平", "shanliping", "slp", "danliping"}, // 单 is shàn as a surname
		{"曾国藩", "zengguofan", "zgf", ""},          // zēng, already the common reading
		{"解缙", "xiejin", "xj", "jiejin"},
		{"仇英", "qiuying", "qy", "chouying"},
		{"尉迟恭", "yuchigong", "ycg", "weichigong"},
		{"李A2", "lia2", "la", ""},
	} {
		r := readName(c.name)
		if r.Full() != c.full || r.Initials() != c.initials {
			t.Errorf("%s: %s %s, want %s %s", c.name, r.Full(), r.Initials(), c.full, c.initials)
		}
		if got := slices.Concat(r.Common); c.common != "" && joined(got) != c.common {
			t.Errorf("%s: the everyday reading %v, want %s", c.name, got, c.common)
		}
	}
}

func joined(s []string) string {
	out := ""
	for _, x := range s {
		out += x
	}
	return out
}
