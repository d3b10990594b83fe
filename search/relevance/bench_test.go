package relevance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/query"
)

// devCorpus is the development corpus, beside the repository.
const devCorpus = "../../../shared/data/search-dev/corpus.jsonl.gz"

// benchDocs is the size of the generated index of the benchmarks: 5,000 by
// default so that -bench runs quickly; ZHENGWU_BENCH_DOCS=100000 is the
// full run of issue 4 (about 1.5 KB a document).
func benchDocs(b *testing.B) int {
	if s := os.Getenv("ZHENGWU_BENCH_DOCS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("ZHENGWU_BENCH_DOCS: %v", err)
		}
		return n
	}
	return 5000
}

const benchBodyBytes = 1500

// benchBatch is the documents per Apply of the benchmarks: the feed
// consumer's batch, or $ZHENGWU_BENCH_BATCH.
func benchBatch() int {
	if n, err := strconv.Atoi(os.Getenv("ZHENGWU_BENCH_BATCH")); err == nil && n > 0 {
		return n
	}
	return feed.DefaultBatchSize
}

func generator(tb testing.TB) *Generator {
	docs, err := LoadCorpus(devCorpus, 0)
	if err != nil {
		tb.Skipf("development corpus not available: %v", err)
	}
	return NewGenerator(docs, 42)
}

func upserts(g *Generator, from, n int) []index.Upsert {
	ups := make([]index.Upsert, n)
	for i := range ups {
		d := g.Doc(from+i, benchBodyBytes)
		ups[i] = index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: d}
	}
	return ups
}

// BenchmarkIndex measures indexing through the product path (index.Apply
// with query.Mapping, feed.DefaultBatchSize documents a batch as the feed
// consumer does; ZHENGWU_BENCH_BATCH changes it):
// one op is one batch; docs/s is the figure to read.
func BenchmarkIndex(b *testing.B) {
	g := generator(b)
	ix, err := index.Open(filepath.Join(b.TempDir(), "bench"), query.Mapping())
	if err != nil {
		b.Fatal(err)
	}
	batch := benchBatch()
	pre := make([][]index.Upsert, 0, b.N)
	for i := range b.N {
		pre = append(pre, upserts(g, i*batch, batch))
	}
	b.ResetTimer()
	for i := range b.N {
		if err := ix.Apply(index.Batch{Upserts: pre[i], Checkpoint: int64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	// Timed: Close waits until every batch is on disk.
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "docs/s")
}

var (
	sharedOnce sync.Once
	sharedIx   *index.Index
	sharedGen  *Generator
	sharedErr  error
	sharedDur  time.Duration
	sharedN    int
)

// sharedIndex builds the generated index once per test binary, in a
// temporary directory left to the OS (benchmarks run in a process of
// their own), or in $ZHENGWU_BENCH_DIR, where a later run finds it and
// skips the build when it holds the same number of documents (the
// generator is deterministic): query benchmarks then measure a settled
// index, not one still merging the segments of its build. With
// $ZHENGWU_BENCH_MERGE=1 the build ends with a force merge (give it a
// directory of its own).
func sharedIndex(b *testing.B) (*index.Index, *Generator) {
	sharedOnce.Do(func() {
		docs, err := LoadCorpus(devCorpus, 0)
		if err != nil {
			sharedErr = err
			return
		}
		sharedGen = NewGenerator(docs, 7)
		sharedN = benchDocs(b)
		dir := os.Getenv("ZHENGWU_BENCH_DIR")
		if dir == "" {
			if dir, sharedErr = os.MkdirTemp("", "zhengwu-bench-"); sharedErr != nil {
				return
			}
		}
		dir = filepath.Join(dir, fmt.Sprintf("bench-%d", sharedN))
		sharedIx, sharedErr = index.Open(dir, query.Mapping())
		if sharedErr != nil {
			return
		}
		if n, err := sharedIx.Count(context.Background()); err == nil && n == uint64(sharedN) && sharedIx.Checkpoint() > 0 {
			fmt.Fprintf(os.Stderr, "generated index: %d docs, reused from %s\n", n, dir)
			return
		}
		start := time.Now()
		batch := benchBatch()
		for i := 0; i < sharedN; i += batch {
			if sharedErr = sharedIx.Apply(index.Batch{Upserts: upserts(sharedGen, i, min(batch, sharedN-i)), Checkpoint: int64(i + 1)}); sharedErr != nil {
				return
			}
		}
		if sharedErr = sharedIx.Flush(context.Background()); sharedErr != nil {
			return
		}
		// ZHENGWU_BENCH_MERGE=1: one segment, as the search service leaves
		// an index after a bulk catch-up (index.ForceMerge).
		if os.Getenv("ZHENGWU_BENCH_MERGE") == "1" {
			if sharedErr = sharedIx.ForceMerge(context.Background()); sharedErr != nil {
				return
			}
		}
		sharedDur = time.Since(start)
		fmt.Fprintf(os.Stderr, "generated index: %d docs in %s (%.0f docs/s, on disk)\n", sharedN, sharedDur.Round(time.Millisecond), float64(sharedN)/sharedDur.Seconds())
	})
	if sharedErr != nil {
		b.Skipf("generated index: %v", sharedErr)
	}
	return sharedIx, sharedGen
}

// phraseOf picks a 4–8 character stretch of Chinese text from a sentence.
func phraseOf(g *Generator) string {
	for {
		r := []rune(g.Sentence())
		n := 4 + g.rng.IntN(5)
		if len(r) < n+2 {
			continue
		}
		i := g.rng.IntN(len(r) - n)
		p := string(r[i : i+n])
		ok := true
		for _, c := range p {
			if !isHanRune(c) {
				ok = false
			}
		}
		if ok {
			return p
		}
	}
}

func isHanRune(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

var benchWords = []string{"发展", "改革", "经济", "建设", "政府", "管理", "服务", "安全", "教育", "生态", "创新", "农村", "医疗", "就业", "交通", "文化"}

// BenchmarkQuery measures query latency over the generated index: p50 and
// p99 of single queries (10 hits, scored), by kind, through the product's
// path (query.Search: the strict query, then the fallback when it finds
// fewer than 10; filters as query.Filtered makes them). The kinds ending
// in -1req are the earlier path (query.Build in one request, filters in a
// scored conjunction), kept to compare the two in one run.
//
// ZHENGWU_BENCH_RELEASE=1 releases the index's mapped pages before every
// query (index.ReleaseMapped, untimed): each query then maps again, from
// the page cache, every page it reads: the cost of a query after a
// release, against the same run without it.
func BenchmarkQuery(b *testing.B) {
	ix, g := sharedIndex(b)
	release := os.Getenv("ZHENGWU_BENCH_RELEASE") == "1"
	ctx := context.Background()
	filters := channelFilters
	// conjunction is query.Filtered before: the filters scored (boost
	// 1e-6) in a conjunction with the text query.
	conjunction := func(q bq.Query) bq.Query {
		all := []bq.Query{q}
		for _, f := range filters() {
			f.(interface{ SetBoost(float64) }).SetBoost(1e-6)
			all = append(all, f)
		}
		return bq.NewConjunctionQuery(all)
	}
	facets := func(r *bleve.SearchRequest) *bleve.SearchRequest {
		r.AddFacet(query.FieldChannel, bleve.NewFacetRequest(query.FieldChannel, 10))
		r.AddFacet(query.FieldType, bleve.NewFacetRequest(query.FieldType, 10))
		r.AddFacet(query.FieldYear, bleve.NewFacetRequest(query.FieldYear, 20))
		return r
	}
	plain := func(q bq.Query) *bleve.SearchRequest { return bleve.NewSearchRequest(q) }
	two := func(text string, fs []bq.Query, mk func(bq.Query) *bleve.SearchRequest) func() (*bleve.SearchResult, error) {
		return func() (*bleve.SearchResult, error) { return query.Search(ctx, ix, text, query.Options{}, fs, mk) }
	}
	one := func(req *bleve.SearchRequest) func() (*bleve.SearchResult, error) {
		return func() (*bleve.SearchResult, error) { return ix.Search(ctx, req) }
	}
	word := func(i int) string { return benchWords[i%len(benchWords)] }
	kinds := []struct {
		name string
		run  func(i int) func() (*bleve.SearchResult, error)
	}{
		{"one-word", func(i int) func() (*bleve.SearchResult, error) { return two(word(i), nil, plain) }},
		{"phrase", func(i int) func() (*bleve.SearchResult, error) { return two(phraseOf(g), nil, plain) }},
		{"phrase-1req", func(i int) func() (*bleve.SearchResult, error) {
			return one(plain(query.Build(phraseOf(g), query.Options{})))
		}},
		{"filtered", func(i int) func() (*bleve.SearchResult, error) { return two(word(i), filters(), plain) }},
		{"filtered-1req", func(i int) func() (*bleve.SearchResult, error) {
			return one(plain(conjunction(query.Build(word(i), query.Options{}))))
		}},
		{"faceted", func(i int) func() (*bleve.SearchResult, error) {
			return two(word(i), nil, func(q bq.Query) *bleve.SearchRequest { return facets(plain(q)) })
		}},
		// The same facets counted by Bleve (doc values read per match, the
		// path before index/facets.go): a date range facet, which the
		// index leaves to Bleve, sends the whole request there.
		{"faceted-bleve", func(i int) func() (*bleve.SearchResult, error) {
			return two(word(i), nil, func(q bq.Query) *bleve.SearchRequest {
				r := facets(plain(q))
				recent := bleve.NewFacetRequest(query.FieldPublishedAt, 2)
				recent.AddDateTimeRange("recent", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})
				r.AddFacet("recent", recent)
				return r
			})
		}},
		{"docnumber", func(i int) func() (*bleve.SearchResult, error) {
			return two(fmt.Sprintf("皖政办[%d]%d号", 2015+(i*10)%12, i%max(1, sharedN/10)), nil, plain)
		}},
		{"suggest", func(i int) func() (*bleve.SearchResult, error) {
			t := []rune(g.titles[i%len(g.titles)])
			return one(plain(query.Suggest(string(t[:min(len(t), 4)]))))
		}},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			// Untimed warm-up: the first facet query of a process builds
			// the facet columns (index/facets.go), which a running server
			// then keeps built in the background.
			for i := range 5 {
				if _, err := k.run(i)(); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			lat := make([]time.Duration, 0, b.N)
			var total uint64
			for i := range b.N {
				run := k.run(i)
				if release {
					b.StopTimer()
					if _, err := ix.ReleaseMapped(); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				start := time.Now()
				res, err := run()
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				total += res.Total
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(total)/float64(b.N), "hits/op")
		})
	}
}

func TestGeneratorMakesRealisticDocs(t *testing.T) {
	g := generator(t)
	d := g.Doc(3, benchBodyBytes)
	if len(d.Body) < benchBodyBytes || len(d.Body) > benchBodyBytes+400 || d.Title == "" || d.TitlePrefix != d.Title {
		t.Fatalf("doc: title %q, body %d bytes", d.Title, len(d.Body))
	}
	if utf8.RuneCountInString(phraseOf(g)) < 4 {
		t.Fatal("short phrase")
	}
}

// channelFilters are the filters of a portal search narrowed to a channel,
// with the office's clearance clause (classification in [0, 1], as the API
// sends it).
func channelFilters() []bq.Query {
	ch := bq.NewTermQuery("通知公告")
	ch.SetField(query.FieldChannel)
	vis := bq.NewTermQuery("public")
	vis.SetField(query.FieldVisibility)
	lo, hi, incl := 0.0, 1.0, true
	cl := bq.NewNumericRangeInclusiveQuery(&lo, &hi, &incl, &incl)
	cl.SetField(query.FieldClass)
	return []bq.Query{ch, vis, cl}
}

// BenchmarkReleaseMapped is the cost of a release (index.ReleaseMapped,
// which the search service runs every --search-release-interval) after a
// one-word query mapped what it read: reading the page table's entries of
// the whole index (/proc/self/pagemap) and dropping the mapped ranges.
func BenchmarkReleaseMapped(b *testing.B) {
	ix, _ := sharedIndex(b)
	ctx := context.Background()
	var released int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		if _, err := query.Search(ctx, ix, benchWords[i%len(benchWords)], query.Options{}, nil, bleve.NewSearchRequest); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		n, err := ix.ReleaseMapped()
		if err != nil {
			b.Fatal(err)
		}
		released += n
	}
	b.ReportMetric(float64(released)/float64(b.N)/1e6, "MB-released/op")
}
