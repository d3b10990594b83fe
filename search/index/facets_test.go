package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
)

// The index counts terms facets itself (facets.go); they must be exactly
// Bleve's, over many segments, updates, deletions, documents without a
// value and multi-valued fields, for any query.
func TestFacetsEqualBleves(t *testing.T) {
	t.Parallel()
	ix := openIndex(t, filepath.Join(t.TempDir(), "facets"))
	r := rand.New(rand.NewPCG(7, 11))
	channels := []string{"要闻", "通知公告", "政策文件", "领导活动"}
	depts := []string{"办公厅", "秘书处", "督查室", ""}
	// Small batches make many segments; later ones update and delete
	// documents of earlier ones, so segments hold deleted documents.
	for b := range 30 {
		var batch index.Batch
		seen := map[string]bool{}
		for range 20 {
			id := fmt.Sprintf("d%03d", r.IntN(300))
			if seen[id] {
				continue
			}
			seen[id] = true
			if r.IntN(8) == 0 {
				batch.Deletes = append(batch.Deletes, id)
				continue
			}
			var tags []string
			for k := range r.IntN(3) {
				tags = append(tags, fmt.Sprintf("t%d", (k+r.IntN(5))%5))
			}
			batch.Upserts = append(batch.Upserts, index.Upsert{ID: id, Collection: "articles", Version: int64(b + 1), Doc: article{
				Title:   titles[r.IntN(len(titles))] + " report",
				Channel: channels[r.IntN(len(channels))],
				Tags:    tags,
				Author:  author{Dept: depts[r.IntN(len(depts))]},
			}})
		}
		batch.Checkpoint = int64(b + 1)
		if err := ix.Apply(batch); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	title := bq.NewMatchQuery("政务")
	title.SetField("title")
	ch := bq.NewTermQuery("要闻")
	ch.SetField("channel")
	for _, q := range []bq.Query{bq.NewMatchAllQuery(), title, ch, bq.NewMatchNoneQuery()} {
		req := bleve.NewSearchRequestOptions(q, 5, 0, false)
		req.AddFacet("channel", bleve.NewFacetRequest("channel", 3))
		req.AddFacet("tags", bleve.NewFacetRequest("tags", 10))
		req.AddFacet("dept", bleve.NewFacetRequest("author.dept", 10))
		ours, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := ix.BleveSearch(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if _, all := q.(*bq.MatchAllQuery); all && (theirs.Total < 100 || theirs.Facets["tags"].Terms.Len() < 5 || theirs.Facets["tags"].Missing == 0) {
			t.Fatalf("fixture too thin to compare: %d documents, facets %+v", theirs.Total, theirs.Facets)
		}
		if ours.Total != theirs.Total {
			t.Errorf("%T: total %d, Bleve %d", q, ours.Total, theirs.Total)
		}
		for name, want := range theirs.Facets {
			got := ours.Facets[name]
			if got == nil || got.Total != want.Total || got.Missing != want.Missing || got.Other != want.Other ||
				!reflect.DeepEqual(got.Terms.Terms(), want.Terms.Terms()) {
				t.Errorf("%T facet %s:\n got %+v %v\nwant %+v %v", q, name, got, got.Terms.Terms(), want, want.Terms.Terms())
			}
		}
		if len(ours.Hits) != len(theirs.Hits) {
			t.Errorf("%T: %d hits, Bleve %d", q, len(ours.Hits), len(theirs.Hits))
		}
	}
}
