package relevance

import (
	"math"
	"strings"
	"testing"
)

func TestCausesOfMisses(t *testing.T) {
	t.Parallel()
	tl := newTitles([]Document{
		{ID: "a", Title: "李强主持上海市委全面依法治市委员会会议"},
		{ID: "b", Title: "李强出席中德经济顾问委员会座谈会"},
		{ID: "c", Title: "中央纪律检查委员会全体会议公报"},
		{ID: "d", Title: "國務院關於加強李強的通知"}, // traditional: folded
	})
	q := Query{Query: "李强 委员会", DocID: "a"}
	for _, c := range []struct {
		above []string
		want  string
	}{
		{[]string{"b"}, CauseTie},
		{[]string{"b", "c"}, CauseOutranked},
		{nil, CauseTie},
	} {
		if got := tl.cause(q, c.above); got != c.want {
			t.Errorf("above %v: cause %q, want %q", c.above, got, c.want)
		}
	}
	if got := tl.cause(Query{Query: "李强 公报", DocID: "a"}, []string{"c"}); got != CauseNotInTitle {
		t.Errorf("wanted title lacks a word: cause %q", got)
	}
	// Two titles hold both words: at random, rank 1 or 2, so (1 + 1/2) / 2.
	if got := tl.tieCeiling(q); math.Abs(got-0.75) > 1e-9 {
		t.Errorf("tie ceiling %v, want 0.75", got)
	}
	if got := tl.tieCeiling(Query{Query: "李強 通知", DocID: "d"}); got != 1 {
		t.Errorf("one title holds the words (typed traditional): ceiling %v, want 1", got)
	}
	if got := tl.tieCeiling(Query{Query: "公报", DocID: "a"}); got != -1 {
		t.Errorf("wanted title lacks the word: ceiling %v, want -1", got)
	}
}

func TestPrintCausesCountsByKind(t *testing.T) {
	t.Parallel()
	r := Report{System: "ours", Scores: []Score{{Kind: "words", TieCeiling: 0.8, LengthCeiling: 0.85, Misses: []Miss{
		{Cause: CauseTie}, {Cause: CauseTie}, {Cause: CauseOutranked},
	}}, {Kind: "title", TieCeiling: -1, LengthCeiling: -1}}}
	var b strings.Builder
	PrintCauses(&b, r)
	want := "ours\twords\tmisses 3: tie 2, outranked 1; tie ceiling MRR@10 0.800, shortest-title ceiling 0.850\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
