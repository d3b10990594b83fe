package query_test

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bs "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/query"
)

type fakeHit struct {
	id, title, validity string
	score               float64
}

// page is a first page ordered by score, as the search API asks for it.
func page(hits ...fakeHit) *bleve.SearchResult {
	req := bleve.NewSearchRequestOptions(bq.NewMatchAllQuery(), 10, 0, false)
	req.SortBy([]string{"-_score", "-" + query.FieldPublishedAt, "_id"})
	res := &bleve.SearchResult{Request: req}
	for _, h := range hits {
		res.Hits = append(res.Hits, &bs.DocumentMatch{ID: h.id, Score: h.score,
			Fields: map[string]any{query.FieldTitle: h.title, query.FieldValidity: h.validity}})
	}
	return res
}

func ids(res *bleve.SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestRerankOrdersNearTiesByTheirTitles(t *testing.T) {
	res := page(
		fakeHit{id: "apart", title: "全省森林资源保护工作会议强调做好草原防火", score: 1.00},
		fakeHit{id: "one-word", title: "森林资源保护条例", score: 0.98},
		fakeHit{id: "adjacent-long", title: "关于进一步加强森林草原防火工作的通知（2026年修订）", score: 0.95},
		fakeHit{id: "adjacent-short", title: "森林草原防火工作通知", score: 0.90},
		// Clearly below the run (more than RerankBand): its place is the
		// scorer's, however well its title reads.
		fakeHit{id: "below", title: "森林草原", score: 0.40},
	)
	query.Rerank("森林 草原", res)
	want := []string{"adjacent-short", "adjacent-long", "apart", "one-word", "below"}
	if got := ids(res); !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestRerankPutsAFileInForceBeforeARepealedOne(t *testing.T) {
	res := page(
		fakeHit{id: "repealed", title: "安徽省森林防火办法", validity: "已废止", score: 1.0},
		fakeHit{id: "expired", title: "安徽省森林防火办法", validity: "失效", score: 0.99},
		fakeHit{id: "in-force", title: "安徽省森林防火办法", validity: "有效", score: 0.97},
		fakeHit{id: "amended", title: "安徽省森林防火办法", validity: "修订", score: 0.96},
	)
	query.Rerank("森林防火 办法", res)
	want := []string{"in-force", "amended", "repealed", "expired"}
	if got := ids(res); !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestRerankFoldsTraditionalAndWidth(t *testing.T) {
	res := page(
		fakeHit{id: "apart", title: "李强出席中德经济顾问委员会座谈会", score: 1.0},
		fakeHit{id: "adjacent", title: "李强委员会会议", score: 0.95},
	)
	query.Rerank("李強　委員會", res) // traditional, an ideographic space
	if got := ids(res); got[0] != "adjacent" {
		t.Fatalf("order %v", got)
	}
}

func TestRerankLeavesOtherPagesAndOrdersAlone(t *testing.T) {
	hits := []fakeHit{
		{id: "apart", title: "森林资源保护和草原管理", score: 1.0},
		{id: "adjacent", title: "森林草原", score: 0.99},
	}
	want := []string{"apart", "adjacent"}
	cases := map[string]func(*bleve.SearchResult){
		"second page": func(r *bleve.SearchResult) { r.Request.From = 10 },
		"by date":     func(r *bleve.SearchResult) { r.Request.SortBy([]string{"-" + query.FieldPublishedAt, "_id"}) },
		"no request":  func(r *bleve.SearchResult) { r.Request = nil },
	}
	for name, change := range cases {
		res := page(hits...)
		change(res)
		query.Rerank("森林 草原", res)
		if got := ids(res); !slices.Equal(got, want) {
			t.Errorf("%s: order %v, want the scorer's %v", name, got, want)
		}
	}
	res := page(hits...)
	query.Rerank("  ", res)
	if got := ids(res); !slices.Equal(got, want) {
		t.Errorf("empty text: order %v", got)
	}
	// Without the stored title (a caller that did not ask for it) the
	// signals are alike: nothing moves.
	res = page(hits...)
	for _, h := range res.Hits {
		h.Fields = nil
	}
	query.Rerank("森林 草原", res)
	if got := ids(res); !slices.Equal(got, want) {
		t.Errorf("no fields: order %v", got)
	}
}

// Search's results name their request, so that Rerank can tell a page
// ranked by score from a document-number listing (newest first).
func TestSearchResultsNameTheirRequest(t *testing.T) {
	ix := openFixture(t)
	ctx := context.Background()
	req := func(q bq.Query) *bleve.SearchRequest {
		r := bleve.NewSearchRequestOptions(q, 10, 0, false)
		r.Fields = query.RerankFields
		return r
	}
	res, err := query.Search(ctx, ix, "政务服务 推进", query.Options{}, nil, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Request == nil || res.Request.From != 0 || len(res.Hits) == 0 {
		t.Fatalf("words: request %v, %d hits", res.Request, len(res.Hits))
	}
	list, err := query.Search(ctx, ix, "皖政办", query.Options{}, nil, req)
	if err != nil {
		t.Fatal(err)
	}
	if list.Request == nil || len(list.Request.Sort) == 0 {
		t.Fatalf("listing: request %v", list.Request)
	}
	if s, ok := list.Request.Sort[0].(*bs.SortScore); ok && s.Desc {
		t.Fatal("a document-number listing is ordered by score: Rerank would reorder it")
	}
}
