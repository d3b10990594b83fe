package layout

import (
	"strings"
	"testing"
)

func TestBreakLinesKeepsClosingMarksOffLineStarts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		text       string
		width, ind int
		want       []string
	}{
		{"fits", "一二三", 6, 0, []string{"一二三"}},
		{"plain wrap", "一二三四五", 6, 0, []string{"一二三", "四五"}},
		{"indent", "一二三四五", 6, 4, []string{"一", "二三四", "五"}},
		{"full stop carries one down", "一二三。四", 6, 0, []string{"一二", "三。四"}},
		{"two closing marks carry one down", "一二三。”四", 6, 0, []string{"一二", "三。”", "四"}},
		{"comma", "一二，三四五六", 6, 0, []string{"一二，", "三四五", "六"}},
		{"comma at next start", "一二三，四五六", 6, 0, []string{"一二", "三，四", "五六"}},
		{"opening mark goes down", "一二（三）四", 6, 0, []string{"一二", "（三）", "四"}},
		{"half-width digits take half", "2026年12月", 6, 0, []string{"2026年", "12月"}},
		{"half-width closing", "一二三,四", 6, 0, []string{"一二", "三,四"}},
		{"marks only never empty", "。。。。", 4, 0, []string{"。。", "。。"}},
		{"empty", "", 6, 0, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, l := range breakLines([]rune(c.text), c.width, c.ind) {
				got = append(got, string(l))
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("breakLines(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

// A long paragraph full of punctuation: no line after the first begins
// with a closing mark, none ends with an opening one, no line is wider than
// the grid, and nothing is lost.
func TestBreakLinesLongParagraph(t *testing.T) {
	t.Parallel()
	text := []rune(strings.Repeat("各地区、各部门要高度重视，认真落实（见附件）。“放管服”改革，2026年底前完成！", 20))
	lines := breakLines(text, 56, 4)
	var joined strings.Builder
	for i, l := range lines {
		joined.WriteString(string(l))
		w := 0
		if i == 0 {
			w = 4
		}
		for _, r := range l {
			w += cells(r)
		}
		if w > 56 {
			t.Errorf("line %d is %d half-字 wide: %q", i, w, string(l))
		}
		if i > 0 && isClosing(l[0]) {
			t.Errorf("line %d begins with a closing mark: %q", i, string(l))
		}
		if i < len(lines)-1 && isOpening(l[len(l)-1]) {
			t.Errorf("line %d ends with an opening mark: %q", i, string(l))
		}
	}
	if joined.String() != string(text) {
		t.Fatal("text lost or changed by the line breaker")
	}
}
