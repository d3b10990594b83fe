package relevance

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The causes of a miss (a query whose document did not rank first), as
// Run classifies them from the titles of the wanted document and of the
// hits ranked above it, each compared with what was typed (its words,
// split at spaces, folded: see comparable):
const (
	// CauseTie: the wanted document's title holds every typed word, and so
	// does the title of every hit above it: the text cannot tell them
	// apart (李强 委员会: 李强出席中德经济顾问委员会座谈会 above 李强主持…委员会
	// 会议), and only a signal beyond what was typed would.
	CauseTie = "tie"
	// CauseOutranked: a hit above the wanted document lacks a typed word
	// in its title while the wanted document's title holds them all: a
	// ranking fault to fix.
	CauseOutranked = "outranked"
	// CauseNotInTitle: the wanted document's title lacks a typed word
	// (a body phrase, a synonym, a document number).
	CauseNotInTitle = "not-in-title"
)

// titles is the comparable title of each document, to classify misses
// and to count the documents a query cannot tell apart.
type titles map[string]string

func newTitles(docs []Document) titles {
	t := make(titles, len(docs))
	for _, d := range docs {
		t[d.ID] = comparable(d.Title)
	}
	return t
}

// holds reports whether the title of id holds every word.
func (t titles) holds(id string, words []string) bool {
	title, ok := t[id]
	if !ok || len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !strings.Contains(title, w) {
			return false
		}
	}
	return true
}

func typedWords(q string) []string {
	var ws []string
	for _, w := range strings.Fields(q) {
		if c := comparable(w); c != "" {
			ws = append(ws, c)
		}
	}
	return ws
}

// cause classifies a miss: above are the hits ranked above the wanted
// document (all of the top K when it is not among them).
func (t titles) cause(q Query, above []string) string {
	words := typedWords(q.Query)
	if !t.holds(q.DocID, words) {
		return CauseNotInTitle
	}
	for _, id := range above {
		if !t.holds(id, words) {
			return CauseOutranked
		}
	}
	return CauseTie
}

// tieCeiling is the reciprocal rank the wanted document of q would score
// on average if the ranker put the documents whose titles hold every
// typed word first, in an order the text cannot decide (at random): with
// n such documents, the mean of 1/r over the ranks r ≤ K among n. It is
// 1 when the title of the wanted document alone holds them, and -1 when
// it does not hold them (no such bound).
func (t titles) tieCeiling(q Query) float64 {
	words := typedWords(q.Query)
	if !t.holds(q.DocID, words) {
		return -1
	}
	n := 0
	for id := range t {
		if t.holds(id, words) {
			n++
		}
	}
	sum := 0.0
	for r := 1; r <= min(n, K); r++ {
		sum += 1 / float64(r)
	}
	return sum / float64(n)
}

// lengthCeiling is the reciprocal rank the wanted document of q would
// score if the documents whose titles hold every typed word were ranked
// first, shortest title first (equal lengths in an order the text cannot
// decide: the mean over them). It is what ordering by the title alone
// reaches: when a reader takes k words from a title of m words, a title
// holding them is the likelier source the fewer words it has (k of m are
// the typed ones with chance 1/C(m,k)). -1 when the wanted title does not
// hold every typed word.
func (t titles) lengthCeiling(q Query) float64 {
	words := typedWords(q.Query)
	if !t.holds(q.DocID, words) {
		return -1
	}
	want := utf8.RuneCountInString(t[q.DocID])
	shorter, same := 0, 0
	for id, title := range t {
		if !t.holds(id, words) {
			continue
		}
		switch n := utf8.RuneCountInString(title); {
		case n < want:
			shorter++
		case n == want:
			same++
		}
	}
	sum := 0.0
	for r := shorter + 1; r <= min(shorter+same, K); r++ {
		sum += 1 / float64(r)
	}
	return sum / float64(same)
}

// PrintCauses writes, per kind, how many misses each cause has, and the
// tie ceiling (the MRR@10 a ranker would reach that ranks every document
// whose title holds all typed words first but cannot order them: the
// mean tieCeiling, over the queries it bounds): beyond it, a kind's MRR
// needs a signal other than the text, such as freshness or authority; and
// the shortest-title ceiling (the mean lengthCeiling): what ordering the
// ties by the length of their titles alone reaches.
func PrintCauses(w io.Writer, r Report) {
	for _, s := range r.Scores {
		if len(s.Misses) == 0 {
			continue
		}
		by := map[string]int{}
		for _, m := range s.Misses {
			by[m.Cause]++
		}
		var parts []string
		for _, c := range []string{CauseTie, CauseOutranked, CauseNotInTitle} {
			if by[c] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", c, by[c]))
			}
		}
		line := fmt.Sprintf("%s\t%s\tmisses %d: %s", r.System, s.Kind, len(s.Misses), strings.Join(parts, ", "))
		if s.TieCeiling >= 0 {
			line += fmt.Sprintf("; tie ceiling MRR@10 %.3f", s.TieCeiling)
		}
		if s.LengthCeiling >= 0 {
			line += fmt.Sprintf(", shortest-title ceiling %.3f", s.LengthCeiling)
		}
		fmt.Fprintln(w, line)
	}
}
