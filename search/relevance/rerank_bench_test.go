package relevance

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/query"
)

// BenchmarkRerank measures what query.Rerank adds to a search: typed words
// (two of benchWords, as a reader types them) through query.Search on the
// generated index, the page's stored fields fetched as the search API
// fetches them, without and with the re-rank of its near-ties; and the
// re-rank alone, on the pages those searches returned. Read the ratio of
// with/without (ns/op), from the same run: run with -count to interleave.
func BenchmarkRerank(b *testing.B) {
	ix, _ := sharedIndex(b)
	ctx := context.Background()
	text := func(i int) string {
		return benchWords[i%len(benchWords)] + " " + benchWords[(i*7+3)%len(benchWords)]
	}
	req := func(q bq.Query) *bleve.SearchRequest {
		r := bleve.NewSearchRequestOptions(q, 10, 0, false)
		r.Fields = query.RerankFields
		r.SortBy([]string{"-_score", "-" + query.FieldPublishedAt, "_id"})
		return r
	}
	run := func(b *testing.B, rerank bool) {
		for i := range b.N {
			res, err := query.Search(ctx, ix, text(i), query.Options{}, nil, req)
			if err != nil {
				b.Fatal(err)
			}
			if rerank {
				query.Rerank(text(i), res)
			}
		}
	}
	b.Run("search", func(b *testing.B) { run(b, false) })
	b.Run("search+rerank", func(b *testing.B) { run(b, true) })
	b.Run("rerank-only", func(b *testing.B) {
		pages := make([]*bleve.SearchResult, len(benchWords))
		for i := range pages {
			res, err := query.Search(ctx, ix, text(i), query.Options{}, nil, req)
			if err != nil {
				b.Fatal(err)
			}
			pages[i] = res
		}
		hits := make(search.DocumentMatchCollection, 0, 10)
		b.ResetTimer()
		for i := range b.N {
			p := pages[i%len(pages)]
			// Rerank sorts in place: restore the scorer's order each time.
			hits = append(hits[:0], p.Hits...)
			r := *p
			r.Hits = hits
			query.Rerank(text(i%len(pages)), &r)
		}
	})
}
