package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"zhengwu/search/index"
)

func benchDocs(from, n int) []index.Upsert {
	ups := make([]index.Upsert, n)
	for i := range ups {
		k := from + i
		ups[i] = index.Upsert{
			ID: fmt.Sprintf("doc-%07d", k), Collection: "articles", Version: 1,
			Doc: article{
				Title:       fmt.Sprintf("关于做好第%d项政务公开工作的通知 notice %d", k, k),
				TitleKey:    fmt.Sprintf("关于做好第%d项政务公开工作的通知", k),
				Channel:     fmt.Sprintf("channel-%02d", k%20),
				Tags:        []string{"政务", fmt.Sprintf("t%d", k%7)},
				Views:       k % 1000,
				PublishedAt: t0.Add(time.Duration(k) * time.Minute),
				Pinned:      k%50 == 0,
				Author:      author{Dept: fmt.Sprintf("dept-%d", k%30)},
			},
		}
	}
	return ups
}

// BenchmarkApply measures indexing throughput: one op is one Apply of 500
// new documents with a checkpoint (each Apply waits for Bleve to persist).
func BenchmarkApply(b *testing.B) {
	const batch = 500
	ix := openIndex(b, filepath.Join(b.TempDir(), "articles"))
	b.ResetTimer()
	for i := range b.N {
		if err := ix.Apply(index.Batch{Upserts: benchDocs(i*batch, batch), Checkpoint: int64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkList20Newest is the typical list: the 20 newest documents of
// one channel (1/20 of 10,000), with two stored fields and the total.
func BenchmarkList20Newest(b *testing.B) {
	ix := openIndex(b, filepath.Join(b.TempDir(), "articles"))
	for i := range 10 {
		if err := ix.Apply(index.Batch{Upserts: benchDocs(i*1000, 1000), Checkpoint: int64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	q := index.Query{
		Filters: []index.Filter{index.Term("channel", "channel-07")},
		Sort:    []string{"-publishedAt"},
		Size:    20,
		Fields:  []string{"titleKey", "publishedAt"},
	}
	run := func(b *testing.B, q index.Query) {
		for b.Loop() {
			res, err := ix.List(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Hits) != 20 || res.Total != 500 {
				b.Fatalf("got %d hits of %d", len(res.Hits), res.Total)
			}
		}
	}
	b.Run("page1", func(b *testing.B) { run(b, q) })
	b.Run("page1+facets", func(b *testing.B) {
		fq := q
		fq.Facets = []index.Facet{{Field: "author.dept"}, {Field: "tags"}}
		run(b, fq)
	})
	b.Run("cursor-page5", func(b *testing.B) {
		cq := q
		for range 4 {
			res, err := ix.List(ctx, cq)
			if err != nil {
				b.Fatal(err)
			}
			cq.After = res.Next
		}
		run(b, cq)
	})
}

// BenchmarkEntries is reconciliation's read of the index: every entry's
// id, collection and version, over 20,000 documents in several segments.
func BenchmarkEntries(b *testing.B) {
	const docs, batch = 20_000, 2_000
	ix := openIndex(b, filepath.Join(b.TempDir(), "articles"))
	for i := 0; i < docs; i += batch {
		if err := ix.Apply(index.Batch{Upserts: benchDocs(i, batch), Checkpoint: int64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		n := 0
		if err := ix.Entries(context.Background(), func(index.Entry) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != docs {
			b.Fatalf("%d entries, want %d", n, docs)
		}
	}
}
