//go:build load

package relevance

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/analysis"
	"zhengwu/search/index"
	"zhengwu/search/query"
)

// TestTrimAnswersAsUntrimmed: the search index as trimmed (query.Mapping:
// query.Trimmed's positions, stored values and doc values left out)
// answers every query of the development set, every title autocomplete
// and every document-number prefix as the untrimmed index
// (query.FullMapping) does: the same total, hits in the same order (scores
// equal to the last bits), shown fields,
// highlighted fragments and facet counts. `make relevance` shows the
// rankings are unchanged; this shows nothing else moved either. Under
// the load tag (two builds of the corpus, a few minutes):
//
//	go test -tags load -run TestTrimAnswersAsUntrimmed -v ./search/relevance/
func TestTrimAnswersAsUntrimmed(t *testing.T) {
	docs, err := LoadCorpus(devCorpus, 0)
	if err != nil {
		t.Skipf("development corpus not available: %v", err)
	}
	var qs []Query
	for _, f := range []string{"queries.jsonl", "queries-words.jsonl"} {
		more, err := LoadQueries(filepath.Join(filepath.Dir(devCorpus), f))
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, more...)
	}
	qs = append(qs, PrecisionQueries()...)
	full := buildTrimIndex(t, query.FullMapping(analysis.Analyzer), docs)
	trimmed := buildTrimIndex(t, query.Mapping(), docs)
	// A second untrimmed build tells the trim's differences from a
	// build's: equal-score ties of some suggestions come out in another
	// order from two builds of the same mapping (segments differ with the
	// timing of Bleve's background merges).
	again := buildTrimIndex(t, query.FullMapping(analysis.Analyzer), docs)
	ctx := context.Background()
	compared, noise := 0, 0
	check := func(what string, run func(*index.Index) (*bleve.SearchResult, error)) {
		t.Helper()
		compared++
		a, errA := run(full)
		b, errB := run(trimmed)
		diff := differ(a, errA, b, errB)
		if diff == "" {
			return
		}
		if c, errC := run(again); differ(a, errA, c, errC) != "" {
			noise++
			t.Logf("%s: differs between two untrimmed builds as well: %s", what, diff)
			return
		}
		t.Errorf("%s: %s", what, diff)
	}

	// The search API's request (searchapi.Search): its hit fields, sort,
	// facets and highlighted fields, by relevance and by date.
	shown := []string{query.FieldTitle, query.FieldType, query.FieldChannel, query.FieldPublishedAt,
		query.FieldDocNumber, query.FieldValidity, query.FieldStatus}
	searchReq := func(byDate bool) func(bq.Query) *bleve.SearchRequest {
		return func(q bq.Query) *bleve.SearchRequest {
			r := bleve.NewSearchRequestOptions(q, 10, 0, false)
			r.Fields = shown
			if byDate {
				r.SortBy([]string{"-" + query.FieldPublishedAt, "-_score", index.KeyField})
			} else {
				r.SortBy([]string{"-_score", "-" + query.FieldPublishedAt, index.KeyField})
			}
			for _, f := range []string{query.FieldChannel, query.FieldType, query.FieldIssuer, query.FieldYear, query.FieldValidity} {
				r.AddFacet(f, bleve.NewFacetRequest(f, 20))
			}
			// Summary and body fragments come from the store, not from
			// stored copies (searchapi's TestBodyHighlightsAsStored).
			r.Highlight = bleve.NewHighlightWithStyle("html")
			for _, f := range []string{query.FieldTitle, query.FieldAttachmentText} {
				r.Highlight.AddField(f)
			}
			return r
		}
	}
	for _, q := range qs {
		for _, byDate := range []bool{false, true} {
			check(fmt.Sprintf("search %q (by date %v)", q.Query, byDate), func(ix *index.Index) (*bleve.SearchResult, error) {
				return query.Search(ctx, ix, q.Query, query.Options{}, nil, searchReq(byDate))
			})
		}
	}
	// Autocomplete (searchapi.Suggest) and did-you-mean's title search:
	// the starts of every seventh title.
	suggestReq := func(q bq.Query) *bleve.SearchRequest {
		r := bleve.NewSearchRequestOptions(q, 20, 0, false)
		r.Fields = []string{query.FieldTitle}
		r.SortBy([]string{"-_score", "-" + query.FieldPublishedAt, index.KeyField})
		return r
	}
	for i := 0; i < len(docs); i += 7 {
		title := []rune(docs[i].Title)
		for _, n := range []int{2, 4} {
			if len(title) < n || !utf8.ValidString(string(title[:n])) {
				continue
			}
			typed := string(title[:n])
			for name, mk := range map[string]func(string) bq.Query{"suggest": query.Suggest, "autocomplete": query.Autocomplete} {
				check(fmt.Sprintf("%s %q", name, typed), func(ix *index.Index) (*bleve.SearchResult, error) {
					return ix.Search(ctx, suggestReq(mk(typed)))
				})
			}
		}
		// A document number's issuer prefix (皖政办) lists by date.
		if dq, ok := query.DocPrefix(Project(docs[i]).DocNumber); ok {
			check(fmt.Sprintf("doc prefix of %q", docs[i].ID), func(ix *index.Index) (*bleve.SearchResult, error) {
				return ix.Search(ctx, searchReq(true)(dq))
			})
		}
	}
	t.Logf("%d documents, %d requests compared, %d differing between untrimmed builds too", len(docs), compared, noise)
}

func buildTrimIndex(t *testing.T, m *index.Mapping, docs []Document) *index.Index {
	ix, err := index.Open(filepath.Join(t.TempDir(), "ix"), m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for from, seq := 0, int64(1); from < len(docs); from, seq = from+BatchSize, seq+1 {
		var b index.Batch
		for _, d := range docs[from:min(from+BatchSize, len(docs))] {
			b.Upserts = append(b.Upserts, index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: Project(d)})
		}
		b.Checkpoint = seq
		if err := ix.Apply(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ix
}

// differ says how b is not the same answer as a ("": it is).
func differ(a *bleve.SearchResult, errA error, b *bleve.SearchResult, errB error) string {
	if errA != nil || errB != nil {
		return fmt.Sprintf("errors %v / %v", errA, errB)
	}
	if a.Total != b.Total || len(a.Hits) != len(b.Hits) {
		return fmt.Sprintf("total %d vs %d, %d vs %d hits", a.Total, b.Total, len(a.Hits), len(b.Hits))
	}
	for i := range a.Hits {
		ha, hb := a.Hits[i], b.Hits[i]
		// Scores may differ in the last bits: a document's clause scores
		// are summed in the order its segment's postings are read. The API
		// shows no score; the order is what counts.
		if ha.ID != hb.ID || math.Abs(ha.Score-hb.Score) > 1e-9*math.Abs(ha.Score) || !reflect.DeepEqual(ha.Fields, hb.Fields) || !reflect.DeepEqual(ha.Fragments, hb.Fragments) {
			return fmt.Sprintf("hit %d: %s %v %v %v\nvs %s %v %v %v", i, ha.ID, ha.Score, ha.Fields, ha.Fragments, hb.ID, hb.Score, hb.Fields, hb.Fragments)
		}
	}
	for name, fa := range a.Facets {
		fb := b.Facets[name]
		if fb == nil || !reflect.DeepEqual(fa.Terms.Terms(), fb.Terms.Terms()) || fa.Total != fb.Total {
			return "facet " + name + " differs"
		}
	}
	return ""
}
