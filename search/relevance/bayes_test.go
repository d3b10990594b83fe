package relevance

import (
	"math"
	"testing"
)

func TestBayesCeilingWeighsTitlesByTheirWords(t *testing.T) {
	t.Parallel()
	docs := []Document{
		{ID: "a", Title: "习近平会见越南总理"},
		{ID: "b", Title: "习近平会见萨摩亚总理 出席欢迎仪式"},
		{ID: "c", Title: "李强出席座谈会"},
	}
	words := map[string][]string{
		"习近平会见越南总理":        {"习近平", "会见", "越南", "总理"},
		"习近平会见萨摩亚总理出席欢迎仪式": {"习近平", "会见", "萨摩亚", "总理", "出席", "欢迎仪式"},
		"李强出席座谈会":          {"李强", "出席", "座谈会"},
	}
	cut := func(s string) []string { return words[s] }
	// k = 2 words: a is their source with chance 1/C(4,2) = 1/6, b with
	// 1/C(6,2) = 1/15, so 5/7 and 2/7 once normalised; the best order (a,
	// b) expects 5/7·1 + 2/7·1/2 = 6/7, whichever of them was wanted.
	qs := []Query{
		{Query: "总理 习近平", DocID: "b", Kind: "words"},
		{Query: "座谈会 李强", DocID: "c", Kind: "words"}, // one title: 1
		{Query: "总理 座谈会", DocID: "a", Kind: "words"}, // a lacks 座谈会: not counted
		{Query: "总理 习近平", DocID: "a", Kind: "title"},
	}
	if got, want := BayesCeiling(docs, qs, "words", cut), (6.0/7+1)/2; math.Abs(got-want) > 1e-9 {
		t.Errorf("words: %v, want %v", got, want)
	}
	if got := BayesCeiling(docs, qs, "body", cut); got != -1 {
		t.Errorf("no query of the kind: %v, want -1", got)
	}
}
