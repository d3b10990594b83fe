package relevance

import (
	"math"
	"strings"
	"testing"
)

func str(s string) *string { return &s }

func TestLengthCeilingRanksShortestTitleFirst(t *testing.T) {
	t.Parallel()
	tl := newTitles([]Document{
		{ID: "short", Title: "习近平会见越南总理"},
		{ID: "long", Title: "习近平会见萨摩亚总理"},
		{ID: "same", Title: "习近平会见芬兰总理"},
		{ID: "other", Title: "李强出席座谈会"},
	})
	// Two titles of 9 characters above the wanted one of 10.
	if got := tl.lengthCeiling(Query{Query: "总理 习近平", DocID: "long"}); math.Abs(got-1.0/3) > 1e-9 {
		t.Errorf("longest of three: ceiling %v, want 1/3", got)
	}
	// Tied with one title of its length: rank 1 or 2 at random.
	if got := tl.lengthCeiling(Query{Query: "总理 习近平", DocID: "short"}); math.Abs(got-0.75) > 1e-9 {
		t.Errorf("shortest, tied: ceiling %v, want 0.75", got)
	}
	if got := tl.lengthCeiling(Query{Query: "总理 座谈会", DocID: "short"}); got != -1 {
		t.Errorf("wanted title lacks a word: ceiling %v, want -1", got)
	}
}

func TestSignalTallyOrdersWantedAgainstTiedHits(t *testing.T) {
	t.Parallel()
	docs := []Document{
		{ID: "rule", Title: "公共安全视频图像信息系统管理条例", Date: str("2025-01-13"), Agency: str("国务院"),
			Body: "新华社北京电\n第一条 为了规范公共安全视频图像信息系统管理，维护公共安全，制定本条例。"},
		{ID: "news", Title: "李强签署国务院令 公布《公共安全视频图像信息系统管理条例》", Date: str("2025-02-10"),
			Agency: str("中央广播电视总台《新闻联播》"), Body: "国务院总理李强日前签署国务院令，公布有关条例，自2025年4月1日起施行。"},
		{ID: "apart", Title: "地下水管理条例", Date: str("2021-10-21")},
	}
	c, tl := newCorpus(docs), newTitles(docs)
	q := Query{Query: "公共安全 管理条例", DocID: "news"}
	tally := c.tallySignals(tl, q, []string{"rule", "news", "apart"}, nil)
	got := map[string][3]int{}
	for _, s := range tally {
		got[s.Signal] = [3]int{s.For, s.Against, s.Neither}
	}
	// One pair, news against rule ("apart" lacks 公共安全): news is newer,
	// lower, does not end with a typed word, holds no typed word in its
	// lead (rule's lead, past the dateline, holds both), and is longer.
	want := map[string][3]int{
		"newer":                            {1, 0, 0},
		"higher issuing level":             {0, 1, 0},
		"title ends with a typed word":     {0, 1, 0},
		"body lead holds more typed words": {0, 1, 0},
		"shorter title":                    {0, 1, 0},
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: for/against/neither %v, want %v", name, got[name], w)
		}
	}
	// The wanted title lacks a typed word: no pair is a tie.
	none := c.tallySignals(tl, Query{Query: "地下水 视频", DocID: "apart"}, []string{"rule", "news"}, nil)
	for _, s := range none {
		if s.For+s.Against+s.Neither != 0 {
			t.Errorf("%s counted a pair for a wanted title without the words", s.Signal)
		}
	}
	var b strings.Builder
	PrintSignals(&b, Report{System: "ours", Scores: []Score{{Kind: "words", Signals: tally}, {Kind: "title", Signals: none}}})
	if lines := strings.Count(b.String(), "\n"); lines != len(tieSignals) {
		t.Errorf("printed %d lines, want one per signal of the kind with ties:\n%s", lines, b.String())
	}
}

func TestIssuingLevel(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		agency, number string
		want           int
	}{
		{"国务院", "", 4},
		{"中共中央办公厅、国务院办公厅", "", 4},
		{"", "国办发〔2026〕3号", 4},
		{"国家市场监督管理总局", "", 3}, // 市场 is not a city
		{"安徽省人民政府办公厅", "", 3},
		{"", "公安部令第5号", 3},
		{"安徽省教育厅", "", 2},
		{"呼伦贝尔市海拉尔区人民政府", "", 1},
		{"中央广播电视总台《新闻联播》", "", 0},
		{"", "", 0},
	} {
		d := &Document{}
		if c.agency != "" {
			d.Agency = str(c.agency)
		}
		if c.number != "" {
			d.DocNumber = str(c.number)
		}
		if got := issuingLevel(d); got != c.want {
			t.Errorf("issuingLevel(%q, %q) = %d, want %d", c.agency, c.number, got, c.want)
		}
	}
}
