package searchapi

import (
	"fmt"
	"html"
	"sort"
	"strconv"
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

// markHighlighter is the highlighter highlighterName names, for the
// fields highlighted from the store (highlightFromStore). It keeps no
// state between calls.
var markHighlighter = simplehl.NewHighlighter(simple.NewFragmenter(fragmentRunes), markFormatter{}, "…")

func init() {
	err := registry.RegisterHighlighter(highlighterName, func(map[string]any, *registry.Cache) (highlight.Highlighter, error) {
		return markHighlighter, nil
	})
	if err != nil {
		panic(fmt.Sprintf("searchapi: register highlighter: %v", err))
	}
}

// markFormatter is Bleve's HTML fragment formatter, except that it merges
// overlapping and adjacent matches: bigram terms overlap (政务, 务公, 公开),
// and "<mark>政务公开</mark>" reads better than marks over every other bigram.
// A fragment of a field with one value per element (the attachments' text,
// one per file) starts with the element's position between fileMark
// characters, which fileOf takes off again: Bleve's answer keeps only the
// fragments' text, and the position is what names the file that matched.
// fileMark never reaches a reader: the text's own are dropped.
type markFormatter struct{}

const fileMark = "\x1f"

func (markFormatter) Format(f *highlight.Fragment, locs highlight.TermLocations) string {
	out := formatMarks(f, locs)
	out = strings.ReplaceAll(out, fileMark, "")
	if len(f.ArrayPositions) == 1 {
		return fmt.Sprintf("%s%d%s%s", fileMark, f.ArrayPositions[0], fileMark, out)
	}
	return out
}

// fileOf takes the element position off a formatted fragment: the
// fragment without it, and the position (-1: none). Bleve's separator
// ("…") may come before it.
func fileOf(frag string) (string, int) {
	i := strings.Index(frag, fileMark)
	if i < 0 {
		return frag, -1
	}
	j := strings.Index(frag[i+1:], fileMark)
	if j < 0 {
		return strings.ReplaceAll(frag, fileMark, ""), -1
	}
	n, err := strconv.Atoi(frag[i+1 : i+1+j])
	if err != nil {
		n = -1
	}
	return frag[:i] + frag[i+1+j+1:], n
}

func formatMarks(f *highlight.Fragment, locs highlight.TermLocations) string {
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
