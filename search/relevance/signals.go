package relevance

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"zhengwu/search/analysis"
)

// The signals beyond the text that could order the hits the text cannot
// tell apart (titles that all hold every typed word), audited on each run
// (PrintSignals) so that a candidate for query.Rerank is measured on what
// the wanted documents have that the tied ones lack before it is built.
// Each reads only what the product's index would store for a document.
var tieSignals = []tieSignal{
	{"newer", func(_ []string, a, b *Document) int {
		// A newer policy usually supersedes an older one on its subject.
		return cmp.Compare(deref(a.Date), deref(b.Date))
	}},
	{"higher issuing level", func(_ []string, a, b *Document) int {
		return cmp.Compare(issuingLevel(a), issuingLevel(b))
	}},
	{"title ends with a typed word", func(words []string, a, b *Document) int {
		// A title that IS the thing typed (…管理条例) before one that
		// mentions it (公布《…管理条例》).
		return cmp.Compare(endsWithAny(a.Title, words), endsWithAny(b.Title, words))
	}},
	{"body lead holds more typed words", func(words []string, a, b *Document) int {
		return cmp.Compare(heldIn(lead(a.Body), words), heldIn(lead(b.Body), words))
	}},
	{"shorter title", func(_ []string, a, b *Document) int {
		return cmp.Compare(utf8.RuneCountInString(comparable(b.Title)), utf8.RuneCountInString(comparable(a.Title)))
	}},
}

// A tieSignal orders two documents: prefer is above 0 when it puts a
// first, below 0 when b, 0 when it cannot tell.
type tieSignal struct {
	name   string
	prefer func(words []string, a, b *Document) int
}

// SignalTally is one signal's audit over a kind's queries: of the pairs
// (wanted document, another hit of the top K whose title also holds every
// typed word), how many it orders with the wanted one first (For), after
// (Against), or cannot order (Neither). A signal worth adding to the
// re-rank has For well above Against.
type SignalTally struct {
	Signal                string
	For, Against, Neither int
}

// corpus is the development set's documents by id, to audit the signals.
type corpus map[string]*Document

func newCorpus(docs []Document) corpus {
	c := make(corpus, len(docs))
	for i := range docs {
		c[docs[i].ID] = &docs[i]
	}
	return c
}

// tallySignals adds to into (one tally per tieSignals entry) the pairs of
// q's wanted document with each other hit in ids whose title holds every
// typed word, when the wanted title holds them too.
func (c corpus) tallySignals(tl titles, q Query, ids []string, into []SignalTally) []SignalTally {
	if into == nil {
		into = make([]SignalTally, len(tieSignals))
		for i, s := range tieSignals {
			into[i].Signal = s.name
		}
	}
	words := typedWords(q.Query)
	want, ok := c[q.DocID]
	if !ok || !tl.holds(q.DocID, words) {
		return into
	}
	for _, id := range ids {
		other, ok := c[id]
		if id == q.DocID || !ok || !tl.holds(id, words) {
			continue
		}
		for i, s := range tieSignals {
			switch p := s.prefer(words, want, other); {
			case p > 0:
				into[i].For++
			case p < 0:
				into[i].Against++
			default:
				into[i].Neither++
			}
		}
	}
	return into
}

// PrintSignals writes, per kind that has tied pairs, each signal's tally.
func PrintSignals(w io.Writer, r Report) {
	for _, s := range r.Scores {
		for _, t := range s.Signals {
			if t.For+t.Against+t.Neither == 0 {
				break
			}
			fmt.Fprintf(w, "%s\t%s\t%-34s wanted first %3d, after %3d, cannot tell %3d\n", r.System, s.Kind, t.Signal, t.For, t.Against, t.Neither)
		}
	}
}

// issuingLevel is how high the issuer of a document stands, from its
// issuer or, without one, its document number's code: the central
// government and Party (国务院, 国办, 中共中央) 4; a ministry or commission
// of the State Council, or a provincial government and its general office
// 3; a department or bureau under a province (厅, 局) 2; a city or county
// government 1; anything else (a news desk, a person) 0.
func issuingLevel(d *Document) int {
	who := deref(d.Agency)
	if who == "" {
		who = deref(d.DocNumber)
	}
	switch {
	case who == "":
		return 0
	case strings.HasPrefix(who, "国务院"), strings.HasPrefix(who, "国办"), strings.HasPrefix(who, "国发"),
		strings.HasPrefix(who, "中共中央"), strings.HasPrefix(who, "中发"), strings.HasPrefix(who, "中办"):
		return 4
	case strings.Contains(who, "市人民政府"), strings.Contains(who, "市政府"), strings.Contains(who, "县人民政府"),
		strings.Contains(who, "县政府"), strings.Contains(who, "区人民政府"):
		return 1
	case strings.Contains(who, "政府"), strings.Contains(who, "部"), strings.Contains(who, "委员会"),
		strings.Contains(who, "总局"), strings.Contains(who, "总署"), strings.HasPrefix(who, "国家") && strings.Contains(who, "局"):
		return 3
	case strings.Contains(who, "省") && strings.Contains(who, "厅"), strings.Contains(who, "省") && strings.Contains(who, "局"):
		return 2
	}
	return 0
}

// lead is the comparable text of a body's first paragraph of substance
// (a dateline alone is skipped), at most 200 characters.
func lead(body string) string {
	for p := range strings.SplitSeq(body, "\n") {
		if utf8.RuneCountInString(strings.TrimSpace(p)) > 20 {
			body = p
			break
		}
	}
	r := []rune(body)
	return comparable(string(r[:min(len(r), 200)]))
}

func heldIn(text string, words []string) int {
	n := 0
	for _, w := range words {
		if strings.Contains(text, w) {
			n++
		}
	}
	return n
}

// endsWithAny is 1 when the title, folded but with its punctuation (a
// closing 》 or ” says it names the thing rather than is it), ends with
// one of the words.
func endsWithAny(title string, words []string) int {
	title = strings.TrimSpace(analysis.Fold(title))
	for _, w := range words {
		if strings.HasSuffix(title, w) {
			return 1
		}
	}
	return 0
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
