package gse_test

import (
	"slices"
	"strings"
	"testing"

	"zhengwu/search/analysis/analysistest"
	"zhengwu/search/analysis/gse"
)

func TestSegmentsRealSentences(t *testing.T) {
	t.Parallel()
	seg, err := gse.LoadDictionary()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		want []string // words that must come out whole
	}{
		{"国务院办公厅关于进一步加强森林草原火灾防控工作的通知", []string{"国务院办公厅", "关于", "进一步", "加强", "火灾", "防控", "通知"}},
		// Names missing from the dictionary fall apart (习 近 平): one reason
		// the index uses bigrams (ADR 0006).
		{"习近平法治思想是马克思主义法治理论中国化最新成果", []string{"法治", "思想", "马克思主义", "成果"}},
		{"省发展和改革委员会印发实施方案", []string{"省发展和改革委员会", "印发"}},
		{"人力资源和社会保障厅", []string{"人力资源和社会保障厅"}}, // from the synonym list
	} {
		got := seg.Cut(c.text)
		if strings.Join(got, "") != c.text {
			t.Errorf("Cut(%q) = %q: does not rebuild the text", c.text, got)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("Cut(%q) = %q, want the word %q", c.text, got, w)
			}
		}
		words := analysistest.Terms(t, gse.WordsAnalyzer, c.text)
		if !slices.Equal(words, got) {
			t.Errorf("%s analyzer gives %q, segmenter %q", gse.WordsAnalyzer, words, got)
		}
	}
}

func TestHybridAddsLongWordsToBigrams(t *testing.T) {
	t.Parallel()
	hy := analysistest.Terms(t, gse.HybridAnalyzer, "国务院办公厅印发通知")
	for _, w := range []string{"国务", "务院", "国务院办公厅", "印发", "通知"} {
		if !slices.Contains(hy, w) {
			t.Errorf("hybrid %q lacks %q", hy, w)
		}
	}
	if d := gse.DictionaryLoadTime(); d <= 0 {
		t.Errorf("load time %v", d)
	}
}
