package index_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
	"zhengwu/search/index/indextest"
)

// An unpositioned text field is matched and scored as before but holds no
// positions: a phrase on it finds nothing.
func TestUnpositioned(t *testing.T) {
	t.Parallel()
	open := func(unpositioned bool) *index.Index {
		m := index.NewMapping().FullText("title", "", true).Keyword("channel")
		if unpositioned {
			m.Unpositioned("title")
		}
		ix := indextest.Open(t, filepath.Join(t.TempDir(), "ix"), m)
		if err := ix.Apply(index.Batch{Upserts: fixture(), Checkpoint: 1}); err != nil {
			t.Fatal(err)
		}
		return ix
	}
	ctx := context.Background()
	with, without := open(false), open(true)
	term := bq.NewMatchQuery("report")
	term.SetField("title")
	a, err := with.Search(ctx, bleve.NewSearchRequest(term))
	if err != nil {
		t.Fatal(err)
	}
	b, err := without.Search(ctx, bleve.NewSearchRequest(term))
	if err != nil {
		t.Fatal(err)
	}
	if a.Total != 10 || b.Total != 10 || a.Hits[0].Score != b.Hits[0].Score {
		t.Errorf("term: %d hits (score %v) with positions, %d (score %v) without", a.Total, a.Hits[0].Score, b.Total, b.Hits[0].Score)
	}
	phrase := bq.NewMatchPhraseQuery("政务公开 report")
	phrase.SetField("title")
	if res, err := with.Search(ctx, bleve.NewSearchRequest(phrase)); err != nil || res.Total != 1 {
		t.Errorf("phrase with positions: %v hits, %v", res.Total, err)
	}
	if res, err := without.Search(ctx, bleve.NewSearchRequest(phrase)); err != nil || res.Total != 0 {
		t.Errorf("phrase without positions: %v hits, %v", res.Total, err)
	}

	if _, err := index.Open(filepath.Join(t.TempDir(), "bad"), index.NewMapping().Keyword("channel").Unpositioned("channel")); err == nil {
		t.Error("Unpositioned on a keyword field: no error")
	}
}

// A search that asks for what the mapping leaves out is refused, not
// answered with hits lacking the field or facets without counts.
func TestSearchRefusesTrimmedReads(t *testing.T) {
	t.Parallel()
	m := index.NewMapping().FullText("title", "", true).FullText("body", "", false).
		Keyword("channel").Keyword("tags").Keyword("dept").Unstored("tags").Unsorted("dept")
	ix := indextest.Open(t, filepath.Join(t.TempDir(), "ix"), m)
	ctx := context.Background()
	for name, tt := range map[string]struct {
		mod  func(*bleve.SearchRequest)
		want string // "" : answered
	}{
		"shown fields":         {func(r *bleve.SearchRequest) { r.Fields = []string{"title", "channel", "dept"} }, ""},
		"an unstored field":    {func(r *bleve.SearchRequest) { r.Fields = []string{"title", "tags"} }, "cannot show tags"},
		"unstored text":        {func(r *bleve.SearchRequest) { r.Fields = []string{"body"} }, "cannot show body"},
		"facet with columns":   {func(r *bleve.SearchRequest) { r.AddFacet("c", bleve.NewFacetRequest("tags", 5)) }, ""},
		"facet on an unsorted": {func(r *bleve.SearchRequest) { r.AddFacet("d", bleve.NewFacetRequest("dept", 5)) }, "no facet on dept"},
		"sort by a column":     {func(r *bleve.SearchRequest) { r.SortBy([]string{"-_score", "channel", index.KeyField}) }, ""},
		"sort by an unsorted":  {func(r *bleve.SearchRequest) { r.SortBy([]string{"dept"}) }, "no sort by dept"},
		"sort by text":         {func(r *bleve.SearchRequest) { r.SortBy([]string{"title"}) }, "no sort by title"},
	} {
		req := bleve.NewSearchRequest(bq.NewMatchAllQuery())
		tt.mod(req)
		_, err := ix.Search(ctx, req)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: err %v, want %q", name, err, tt.want)
		}
	}
}
