package searchapi

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mozillazg/go-pinyin"

	"zhengwu/search/analysis"
	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/relevance"
)

// BenchmarkDidYouMean measures the "did you mean" of a search that found
// nothing, over an index of the development corpus's generated documents
// (relevance.Generator; ZHENGWU_BENCH_DOCS of them, 5,000 by default), by
// kind of mistake: a near character (the path before pinyin, the
// baseline), full pinyin, first letters. The typed text is a random
// stretch of four characters of a real title, mistyped so. exact% is how
// often the suggestion is that stretch (for pinyin a homophone that also
// finds documents is a fair answer, but is not counted).
//
//	ZHENGWU_SEARCH_DEV_CORPUS=/work/shared/data/search-dev/corpus.jsonl.gz \
//	  go test -run '^$' -bench DidYouMean -benchtime 300x ./searchapi/
func BenchmarkDidYouMean(b *testing.B) {
	corpus := os.Getenv("ZHENGWU_SEARCH_DEV_CORPUS")
	if corpus == "" {
		corpus = "../../../shared/data/search-dev/corpus.jsonl.gz"
	}
	docs, err := relevance.LoadCorpus(corpus, 0)
	if err != nil {
		b.Skipf("development corpus not available: %v", err)
	}
	n := 5000
	if s := os.Getenv("ZHENGWU_BENCH_DOCS"); s != "" {
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	ix := benchIndex(b, relevance.NewGenerator(docs, 7), n)
	var titles []string
	for _, d := range docs {
		titles = append(titles, d.Title)
	}
	rng := rand.New(rand.NewPCG(11, 13))
	stretch := func() string { // four characters of a title, all Han
		for {
			t := []rune(analysis.Fold(titles[rng.IntN(len(titles))]))
			if len(t) < 6 {
				continue
			}
			i := rng.IntN(len(t) - 4)
			if w := t[i : i+4]; allHanRunes(w) {
				return string(w)
			}
		}
	}
	near := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质")
	kinds := []struct {
		name  string
		typed func(s string) string
	}{
		{"near-char", func(s string) string { // one of the middle characters changed
			r := []rune(s)
			i := 1 + rng.IntN(2)
			for was := r[i]; r[i] == was; {
				r[i] = near[rng.IntN(len(near))]
			}
			return string(r)
		}},
		{"pinyin-full", func(s string) string { return strings.Join(pinyin.LazyPinyin(s, pinyin.NewArgs()), "") }},
		{"pinyin-initials", func(s string) string {
			a := pinyin.NewArgs()
			a.Style = pinyin.FirstLetter
			return strings.Join(pinyin.LazyPinyin(s, a), "")
		}},
	}
	ctx := context.Background()
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			exact, offered := 0, 0
			for range b.N {
				want := stretch()
				typed := k.typed(want)
				start := time.Now()
				c, err := didYouMean(ctx, ix, typed, nil, nil)
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if c != nil {
					offered++
					if c.Text == want {
						exact++
					}
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(100*float64(exact)/float64(b.N), "exact%")
			b.ReportMetric(100*float64(offered)/float64(b.N), "offered%")
		})
	}
}

// benchIndex is an index of n generated documents in the benchmark's
// temporary directory, or reused from $ZHENGWU_BENCH_DIR when that holds
// one of the same size.
func benchIndex(b *testing.B, g *relevance.Generator, n int) *index.Index {
	dir := os.Getenv("ZHENGWU_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	ix, err := index.Open(filepath.Join(dir, fmt.Sprintf("didyoumean-%d", n)), query.Mapping())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	if c, err := ix.Count(context.Background()); err == nil && c == uint64(n) && ix.Checkpoint() > 0 {
		return ix
	}
	const batch = 500
	for i := 0; i < n; i += batch {
		ups := make([]index.Upsert, 0, batch)
		for j := i; j < min(n, i+batch); j++ {
			d := g.Doc(j, 1500)
			ups = append(ups, index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: d})
		}
		if err := ix.Apply(index.Batch{Upserts: ups, Checkpoint: int64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	return ix
}

func allHanRunes(rs []rune) bool {
	for _, r := range rs {
		if !analysis.IsHan(r) {
			return false
		}
	}
	return true
}
