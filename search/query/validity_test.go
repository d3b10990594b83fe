package query_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
	"zhengwu/search/index/indextest"
	"zhengwu/search/query"
)

// A file in force comes before the repealed one it replaced when the text
// scores them alike, whichever of them the text alone would put first;
// and the bonus never lifts a file whose title lacks the words above one
// whose title holds them.
func TestInForceFileFirstAmongTies(t *testing.T) {
	ix := indextest.Open(t, filepath.Join(t.TempDir(), "portal"), query.Mapping())
	docs := []query.Doc{
		// The repealed file is the shorter: by the text alone it ranks first.
		{ID: "old", Title: "安徽省政府信息公开办法", Body: "为规范政府信息公开工作，制定本办法。", Validity: "已废止"},
		{ID: "new", Title: "安徽省政府信息公开办法", Body: "为规范和推进全省政府信息公开工作，保障公民依法获取政府信息，制定本办法。本办法自2024年起施行。", Validity: query.ValidityInForce},
		{ID: "news", Title: "省政府召开政府信息公开工作会议", Body: "会议部署信息公开办法的落实。", Channel: "要闻"},
		{ID: "other", Title: "安徽省档案管理办法", Body: "政府信息公开的档案，依照有关办法管理。", Validity: query.ValidityInForce},
	}
	var ups []index.Upsert
	for _, d := range docs {
		now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		d.PublishedAt, d.Visibility = &now, "public"
		d.Prepare()
		ups = append(ups, index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: d})
	}
	if err := ix.Apply(index.Batch{Upserts: ups, Checkpoint: 1}); err != nil {
		t.Fatal(err)
	}
	rank := func(text string) map[string]int {
		res, err := query.Search(context.Background(), ix, text, query.Options{}, nil, func(q bq.Query) *bleve.SearchRequest {
			return bleve.NewSearchRequestOptions(q, 10, 0, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		r := map[string]int{}
		for i, h := range res.Hits {
			r[h.ID] = i + 1
		}
		return r
	}
	for _, text := range []string{"政府信息公开办法", "信息公开 办法", "安徽省政府信息公开办法"} {
		r := rank(text)
		if r["new"] != 1 || r["old"] != 2 {
			t.Errorf("%s: ranks %v, want the file in force first, the repealed one second", text, r)
		}
		if r["other"] != 0 && r["other"] < r["old"] {
			t.Errorf("%s: ranks %v: an in-force file without the words in its title above the repealed one that has them", text, r)
		}
	}
}
