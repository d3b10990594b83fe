package query_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
	"zhengwu/search/index/indextest"
	"zhengwu/search/query"
)

// Filtered finds what Bleve's boolean query with a filter finds — the same
// hits in the same order with the same scores and total — sorted by
// relevance or by date, with one filter or several, and nothing when the
// filter holds none of the text's matches.
func TestFilteredAnswersAsBleveBooleanFilter(t *testing.T) {
	ix := indextest.Open(t, filepath.Join(t.TempDir(), "portal"), query.Mapping())
	channels := []string{"通知公告", "要闻", "政策文件", "部门动态"}
	titles := []string{"关于做好森林防火工作的通知", "全省经济运行情况发布", "数字政府建设推进会召开", "关于加强经济建设管理的意见", "森林资源保护条例"}
	bodies := []string{"发展经济，建设数字政府。", "森林防火，人人有责，经济发展。", "推进政务服务一网通办。"}
	var ups []index.Upsert
	for i := range 60 {
		at := time.Date(2026, 1, 1+i%28, i, 0, 0, 0, time.UTC)
		d := query.Doc{
			ID: fmt.Sprintf("d%02d", i), Title: titles[i%len(titles)], Body: bodies[i%len(bodies)],
			Channel: channels[i%len(channels)], Visibility: "public", Classification: i % 3, PublishedAt: &at,
		}
		d.Prepare()
		ups = append(ups, index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: d})
	}
	if err := ix.Apply(index.Batch{Upserts: ups, Checkpoint: 1}); err != nil {
		t.Fatal(err)
	}
	term := func(field, v string) bq.Query {
		q := bq.NewTermQuery(v)
		q.SetField(field)
		return q
	}
	clearance := func() bq.Query {
		lo, hi, incl := 0.0, 1.0, true
		q := bq.NewNumericRangeInclusiveQuery(&lo, &hi, &incl, &incl)
		q.SetField(query.FieldClass)
		return q
	}
	ctx := context.Background()
	for _, c := range []struct {
		text    string
		filters []bq.Query
		byDate  bool
	}{
		{"经济", []bq.Query{term(query.FieldChannel, "通知公告"), term(query.FieldVisibility, "public"), clearance()}, false},
		{"森林防火", []bq.Query{term(query.FieldChannel, "要闻")}, false},
		{"经济 建设", []bq.Query{clearance()}, true},
		{"数字政府 推进", []bq.Query{term(query.FieldVisibility, "public"), clearance()}, false},
		{"森林", []bq.Query{term(query.FieldChannel, "无此栏目")}, false},
	} {
		strict, _ := query.Strict(c.text, query.Options{})
		b := bq.NewBooleanQuery([]bq.Query{strict}, nil, nil)
		b.AddFilter(bq.NewConjunctionQuery(c.filters))
		answer := func(q bq.Query) *bleve.SearchResult {
			r := bleve.NewSearchRequestOptions(q, 10, 0, false)
			if c.byDate {
				r.SortBy([]string{"-" + query.FieldPublishedAt})
			}
			res, err := ix.Search(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		want, got := answer(b), answer(query.Filtered(strict, c.filters...))
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Fatalf("%s: total %d (%d hits), want %d (%d hits)", c.text, got.Total, len(got.Hits), want.Total, len(want.Hits))
		}
		for i := range want.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.ID != w.ID || fmt.Sprintf("%.9f", g.Score) != fmt.Sprintf("%.9f", w.Score) {
				t.Errorf("%s: hit %d is %s %.9f, want %s %.9f", c.text, i+1, g.ID, g.Score, w.ID, w.Score)
			}
		}
		if c.text == "森林" && want.Total != 0 || c.text != "森林" && want.Total == 0 {
			t.Errorf("%s: fixture finds %d", c.text, want.Total)
		}
	}
}
