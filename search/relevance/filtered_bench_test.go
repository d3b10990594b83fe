package relevance

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/query"
)

// BenchmarkFilteredPaths compares, query by query in turn on the shared
// generated index (so that a busy machine slows both alike), a filtered
// search (the filtered kind of BenchmarkQuery: a common word, a channel,
// visibility and clearance) as query.Filtered makes it and as Bleve's
// boolean query with a filter does (query.Filtered before issue 15). It
// reports each one's p50 and p99, and the ratio of the p50s.
func BenchmarkFilteredPaths(b *testing.B) {
	ix, _ := sharedIndex(b)
	ctx := context.Background()
	filters := channelFilters
	opts := query.Options{DocFreq: ix.DocFreq}
	paths := []func(text string) (*bleve.SearchResult, error){
		func(text string) (*bleve.SearchResult, error) {
			strict, _ := query.Strict(text, opts)
			return ix.Search(ctx, bleve.NewSearchRequest(query.Filtered(strict, filters()...)))
		},
		func(text string) (*bleve.SearchResult, error) {
			strict, _ := query.Strict(text, opts)
			b := bq.NewBooleanQuery([]bq.Query{strict}, nil, nil)
			b.AddFilter(bq.NewConjunctionQuery(filters()))
			return ix.Search(ctx, bleve.NewSearchRequest(b))
		},
	}
	lat := [2][]time.Duration{}
	var totals [2]uint64
	b.ResetTimer()
	for i := range b.N {
		text := benchWords[i%len(benchWords)]
		for k := range paths {
			j := (k + i) % 2
			start := time.Now()
			res, err := paths[j](text)
			if err != nil {
				b.Fatal(err)
			}
			lat[j] = append(lat[j], time.Since(start))
			if res.Total == 0 {
				b.Fatalf("%s: nothing found", text)
			}
			totals[j] = res.Total
			if k == 1 && totals[0] != totals[1] {
				b.Fatalf("%s: %d found, the boolean query %d", text, totals[0], totals[1])
			}
		}
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	for j, name := range []string{"ours", "boolean"} {
		slices.Sort(lat[j])
		b.ReportMetric(ms(lat[j][len(lat[j])/2]), name+"-p50-ms")
		b.ReportMetric(ms(lat[j][len(lat[j])*99/100]), name+"-p99-ms")
	}
	b.ReportMetric(ms(lat[0][len(lat[0])/2])/ms(lat[1][len(lat[1])/2]), "ours/boolean-p50")
}
