package relevance

import (
	"context"
	"testing"
)

// TestRelevanceFloor indexes a slice of the development corpus (the
// documents the queries want, and 100 others) through the product path and
// fails when relevance drops below a floor: a regression guard, not the
// measurement (make relevance is).
func TestRelevanceFloor(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes a few hundred documents")
	}
	all, err := LoadCorpus(devCorpus, 0)
	if err != nil {
		t.Skipf("development corpus not available: %v", err)
	}
	var qs []Query
	for _, p := range []string{"../../../shared/data/search-dev/queries.jsonl", "../../../shared/data/search-dev/queries-words.jsonl"} {
		q, err := LoadQueries(p)
		if err != nil {
			t.Skipf("development queries not available: %v", err)
		}
		qs = append(qs, q...)
	}
	qs = append(qs, ExtraQueries()...)
	want := map[string]bool{}
	for _, q := range qs {
		want[q.DocID] = true
	}
	var docs []Document
	others := 0
	for _, d := range all {
		if want[d.ID] || others < 100 {
			if !want[d.ID] {
				others++
			}
			docs = append(docs, d)
		}
	}
	reps, err := Run(context.Background(), []System{Ours()}, docs, qs, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ours := reps[0]
	floors := map[string]struct{ mrr, recall float64 }{
		"title": {0.97, 0.97}, "body": {0.97, 0.97}, "words": {0.85, 0.95},
		"docnumber": {0.97, 0.97}, "synonym": {0.9, 0.97}, "char": {0.9, 0.9},
		"traditional": {0.95, 0.97}, "fullwidth": {0.95, 0.97}, "docprefix": {0.97, 0.97},
	}
	for kind, f := range floors {
		s := ours.Of(kind)
		if s.N == 0 {
			t.Errorf("no %s queries", kind)
			continue
		}
		if s.MRR < f.mrr || s.Recall < f.recall {
			t.Errorf("%s: MRR@10 %.3f recall@10 %.3f, floor %.2f / %.2f", kind, s.MRR, s.Recall, f.mrr, f.recall)
		}
	}
	t.Logf("%d docs, %d queries: %.0f docs/s, MRR@10 %.3f", len(docs), len(qs), ours.DocsPerSec, ours.Overall.MRR)
}

func TestExtraQueriesParse(t *testing.T) {
	t.Parallel()
	kinds := map[string]int{}
	for _, q := range ExtraQueries() {
		if q.QID == "" || q.Query == "" || q.DocID == "" {
			t.Errorf("incomplete %+v", q)
		}
		kinds[q.Kind]++
	}
	for _, q := range PrecisionQueries() {
		if q.QID == "" || q.Query == "" || q.DocID != "" || q.Kind != "precision" {
			t.Errorf("precision query %+v: want a query, no document, kind precision", q)
		}
	}
	for _, k := range []string{"docnumber", "synonym", "char", "traditional", "fullwidth", "docprefix"} {
		if kinds[k] < 10 {
			t.Errorf("%d %s queries, want at least 10", kinds[k], k)
		}
	}
}
