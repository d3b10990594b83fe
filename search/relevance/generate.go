package relevance

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"zhengwu/search/query"
)

// Generator makes synthetic Chinese documents from a real corpus's
// sentences, so that the text segments like real text: for the 100k-document
// benchmarks.
type Generator struct {
	sentences []string // body sentences, 8–120 characters
	titles    []string // real titles
	rng       *rand.Rand
}

// NewGenerator collects the sentences and titles of docs.
func NewGenerator(docs []Document, seed uint64) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for _, d := range docs {
		g.titles = append(g.titles, d.Title)
		for _, s := range strings.FieldsFunc(d.Body, func(r rune) bool { return r == '。' || r == '！' || r == '？' || r == '\n' }) {
			if n := utf8.RuneCountInString(s); n >= 8 && n <= 120 {
				g.sentences = append(g.sentences, s+"。")
			}
		}
	}
	return g
}

// Sentence is a random sentence of the corpus.
func (g *Generator) Sentence() string { return g.sentences[g.rng.IntN(len(g.sentences))] }

var (
	genChannels = []string{"要闻", "通知公告", "政策文件", "政策解读", "人事信息", "部门动态", "市县动态", "专题专栏"}
	genTypes    = []string{"policy", "news", "speech", "report"}
	genIssuers  = []string{"省政府办公厅", "省发展改革委", "省教育厅", "省财政厅", "省人力资源社会保障厅", "省自然资源厅", "省生态环境厅", "省住房城乡建设厅", "省交通运输厅", "省卫生健康委"}
)

// Doc makes document number i: a real title with a serial, a body of about
// bodyBytes bytes of real sentences, and facet fields spread evenly.
func (g *Generator) Doc(i, bodyBytes int) query.Doc {
	var b strings.Builder
	for b.Len() < bodyBytes {
		b.WriteString(g.Sentence())
	}
	t := time.Date(2015+i%12, time.Month(1+i%12), 1+i%28, 9, 0, 0, 0, time.UTC)
	d := query.Doc{
		ID:             fmt.Sprintf("gen-%07d", i),
		Title:          g.titles[g.rng.IntN(len(g.titles))],
		Body:           b.String(),
		Channel:        genChannels[i%len(genChannels)],
		Type:           genTypes[i%len(genTypes)],
		Issuer:         genIssuers[i%len(genIssuers)],
		PublishedAt:    &t,
		Validity:       "有效",
		Visibility:     "public",
		Classification: i % 3,
	}
	if i%10 == 0 {
		d.DocNumber = fmt.Sprintf("皖政办〔%d〕%d号", 2015+i%12, i/10)
	}
	d.Prepare()
	return d
}
