package relevance

import (
	"strings"

	"zhengwu/search/analysis"
)

// precision measures whether a hit holds what was typed (issue 15 item 5):
// a hit is precise when its title, body or document number holds each of
// the query's words (split at spaces), as typed or as one of its synonym
// rewrites, compared folded (traditional, width) and without punctuation
// or spaces. Kinds whose query is a document number or its start are
// matched on the number's field, not the text, and are left out (their
// Score's Precision is -1).
type precision struct {
	text map[string]string // doc id → comparable text
	syn  *analysis.Synonyms
}

// precisionSkips are the kinds precision leaves out.
var precisionSkips = map[string]bool{"docnumber": true, "docprefix": true}

func newPrecision(docs []Document) *precision {
	p := &precision{text: make(map[string]string, len(docs)), syn: analysis.EmbeddedSynonyms()}
	for _, d := range docs {
		p.text[d.ID] = comparable(d.Title + " " + d.Body)
	}
	return p
}

// comparable is s folded, with only its Chinese characters, letters and
// digits.
func comparable(s string) string {
	var b strings.Builder
	for _, r := range analysis.Fold(s) {
		if analysis.IsHan(r) || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// share is the share of hits that hold every word of q; ok is false for
// no hits.
func (p *precision) share(q string, hits []string) (share float64, ok bool) {
	if len(hits) == 0 {
		return 0, false
	}
	var words [][]string // each word and its rewrites, comparable
	for _, w := range strings.Fields(q) {
		alts := []string{comparable(w)}
		for _, v := range p.syn.Expand(w, 0) {
			alts = append(alts, comparable(v))
		}
		words = append(words, alts)
	}
	n := 0
	for _, id := range hits {
		text := p.text[id]
		holds := true
		for _, alts := range words {
			any := false
			for _, a := range alts {
				if strings.Contains(text, a) {
					any = true
					break
				}
			}
			if !any {
				holds = false
				break
			}
		}
		if holds {
			n++
		}
	}
	return float64(n) / float64(len(hits)), true
}
