package searchapi

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// highlighterName is the Bleve highlighter of the search API: fragments of
// about fragmentRunes characters, every matched span wrapped in <mark>,
// everything else HTML-escaped.
const highlighterName = "zhengwu-mark"

const fragmentRunes = 80

func init() {
	err := registry.RegisterHighlighter(highlighterName, func(map[string]any, *registry.Cache) (highlight.Highlighter, error) {
		return simplehl.NewHighlighter(simple.NewFragmenter(fragmentRunes), markFormatter{}, "…"), nil
	})
	if err != nil {
		panic(fmt.Sprintf("searchapi: register highlighter: %v", err))
	}
}

// markFormatter is Bleve's HTML fragment formatter, except that it merges
// overlapping and adjacent matches: bigram terms overlap (政务, 务公, 公开),
// and "<mark>政务公开</mark>" reads better than marks over every other bigram.
type markFormatter struct{}

func (markFormatter) Format(f *highlight.Fragment, locs highlight.TermLocations) string {
	type span struct{ start, end int }
	var spans []span
	for _, l := range locs {
		if l == nil || !l.ArrayPositions.Equals(f.ArrayPositions) || l.Start < f.Start || l.End > f.End || l.End <= l.Start {
			continue
		}
		spans = append(spans, span{l.Start, l.End})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	cur := f.Start
	for i := 0; i < len(spans); {
		s := spans[i]
		for i++; i < len(spans) && spans[i].start <= s.end; i++ {
			s.end = max(s.end, spans[i].end)
		}
		if s.start < cur {
			s.start = cur
		}
		if s.end <= s.start {
			continue
		}
		b.WriteString(html.EscapeString(string(f.Orig[cur:s.start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(f.Orig[s.start:s.end])))
		b.WriteString("</mark>")
		cur = s.end
	}
	b.WriteString(html.EscapeString(string(f.Orig[cur:f.End])))
	return b.String()
}
