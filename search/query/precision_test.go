package query_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
	"zhengwu/search/index/indextest"
	"zhengwu/search/query"
)

// Issue 15 item 5: a synonym matches as a whole, and the fallback needs
// most of the query's terms, so pages sharing one common bigram with the
// query (发展, 建设) are not found.
var precisionFixture = []query.Doc{
	{ID: "fgw", Title: "省发展和改革委员会关于做好春耕物资价格监测的通知", Body: "各市发展改革委：请做好价格监测。"},
	{ID: "zjt", Title: "省住房和城乡建设厅关于加强物业服务管理的通知", Body: "各市住房城乡建设局：加强物业管理。"},
	{ID: "rst", Title: "人力资源社会保障厅发布就业补贴政策", Body: "稳就业，落实补贴。"},
	{ID: "dev1", Title: "推动经济高质量发展", Body: "坚持发展是第一要务，改革创新。"},
	{ID: "dev2", Title: "数字政府建设推进会召开", Body: "提升数字政府建设水平，推进政务服务改革。"},
	{ID: "dev3", Title: "城乡社区治理工作会议", Body: "加强城乡社区建设，住房保障稳步推进。"},
	{ID: "dev4", Title: "委员会会议审议有关事项", Body: "会议由委员会主任主持，社会各界关注。"},
}

func openPrecision(t *testing.T) *index.Index {
	t.Helper()
	ix := indextest.Open(t, filepath.Join(t.TempDir(), "precision"), query.Mapping())
	var ups []index.Upsert
	for _, d := range precisionFixture {
		now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		d.PublishedAt, d.Visibility = &now, "public"
		d.Prepare()
		ups = append(ups, index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: d})
	}
	if err := ix.Apply(index.Batch{Upserts: ups, Checkpoint: 1}); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestSynonymsAndFallbackFindOnlyWhatHoldsMostOfTheQuery(t *testing.T) {
	ix := openPrecision(t)
	for _, c := range []struct {
		text string
		want []string // exactly these, in any order
	}{
		// The abbreviation finds the full name, never pages holding 发展 or 委员会 alone.
		{"发改委", []string{"fgw"}},
		{"住建厅", []string{"zjt"}},
		{"人社厅", []string{"rst"}},
		// Without synonyms: the full name is not found through 建设 or 城乡 alone.
		{"住房和城乡建设厅", []string{"zjt"}},
		// A synonym and another word: the synonym whole, with the word.
		{"发改委 价格", []string{"fgw"}},
		// Nothing holds most of the terms: nothing is found.
		{"城乡发展委员会改革", nil},
	} {
		res, err := query.Search(context.Background(), ix, c.text, query.Options{}, nil, func(q bq.Query) *bleve.SearchRequest {
			return bleve.NewSearchRequestOptions(q, 10, 0, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q found %v, want %v", c.text, got, c.want)
		}
	}
}

func TestMostOfGrowsWithTheQuery(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]int{1: 1, 2: 2, 3: 2, 4: 3, 6: 4, 7: 5, 10: 7, 20: 14} {
		if got := query.MostOf(n); got != want {
			t.Errorf("MostOf(%d) = %d, want %d", n, got, want)
		}
	}
}
