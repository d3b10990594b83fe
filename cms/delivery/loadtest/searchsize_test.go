//go:build load

package loadtest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/item"
	"zhengwu/search/analysis"
	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// TestSearchIndexSize weighs what the portal search index holds (issue 16
// item 7): it projects LOAD_ITEMS (default 20,000) of the load test's
// items through the portal's own search projection and builds one index
// per mapping, each differing from the untrimmed one (query.FullMapping,
// what main held before the trim) by one part of query.Trimmed, then the
// product's mapping (source.Mapping), with and without a force merge, and
// prints each index's blocks on disk. Run it with
//
//	LOAD_ITEMS=20000 go test -tags load -run TestSearchIndexSize -v ./cms/delivery/loadtest/
//
// SEARCHSIZE_ONLY=merged builds the first and the variants whose names hold it.
func TestSearchIndexSize(t *testing.T) {
	n, _ := strconv.Atoi(env("LOAD_ITEMS", "20000"))
	src, err := source.New(source.PortalName, nil, item.SearchProjection(item.SearchDeps{}))
	if err != nil {
		t.Fatal(err)
	}
	docs := make([]store.Doc, n)
	for i := range docs {
		it := Item(i, n)
		data, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = store.Doc{Collection: item.Collection, ID: it.ID, Version: 1, Seq: int64(i + 1), Data: data}
	}
	untrimmed := func() *index.Mapping {
		return query.FullMapping(analysis.Analyzer).Revise(source.ProjectionRevision).
			Keyword(source.FieldPath).Keyword(source.FieldAttachmentNames)
	}
	trim := func(tr query.Trim) func() *index.Mapping {
		return func() *index.Mapping { return tr.Apply(untrimmed()) }
	}
	all := query.Trimmed
	variants := []struct {
		name  string
		m     func() *index.Mapping
		merge bool
	}{
		{"untrimmed (main)", untrimmed, false},
		{"titlePrefix without positions", trim(query.Trim{Unpositioned: []string{query.FieldTitlePrefix}}), false},
		{"docNumber without positions", trim(query.Trim{Unpositioned: []string{query.FieldDocNumber}}), false},
		{"filter-only and facet fields unstored", trim(query.Trim{Unstored: all.Unstored}), false},
		{"filter-only fields without doc values", trim(query.Trim{Unsorted: append(all.Unsorted, source.FieldPath, source.FieldAttachmentNames)}), false},
		{"untrimmed, force-merged", untrimmed, true},
		{"trimmed (source.Mapping)", source.Mapping, false},
		{"trimmed, force-merged", source.Mapping, true},
	}
	base := 0.0
	t.Logf("%d items, portal search index, MB on disk:", n)
	only := env("SEARCHSIZE_ONLY", "") // a part of the names of the variants to build
	for _, v := range variants {
		if !strings.Contains(v.name, only) && v.name != variants[0].name {
			continue
		}
		dir := filepath.Join(t.TempDir(), "search-portal")
		mb, took := buildIndex(t, dir, v.m(), src, docs, v.merge)
		if base == 0 {
			base = mb
		}
		t.Logf("| %s | %.1f | %.3f | %.0f B/doc less | built in %s |", v.name, mb, mb/base, (base-mb)*1e6/float64(n), took.Round(time.Second))
	}
}

// buildIndex indexes docs into dir as the feed consumer does (its
// projection and ids, feed.DefaultBatchSize a batch), closes the index
// and returns its size on disk in MB.
func buildIndex(t *testing.T, dir string, m *index.Mapping, src *source.Source, docs []store.Doc, merge bool) (float64, time.Duration) {
	ix, err := index.Open(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	c := src.Consumer(nil, ix)
	start := time.Now()
	for from := 0; from < len(docs); from += feed.DefaultBatchSize {
		var b index.Batch
		for _, d := range docs[from:min(from+feed.DefaultBatchSize, len(docs))] {
			if u, ok := c.Upsert(d); ok {
				b.Upserts = append(b.Upserts, u)
			}
		}
		b.Checkpoint = int64(from + len(b.Upserts))
		if err := ix.Apply(b); err != nil {
			t.Fatal(err)
		}
	}
	if merge {
		if err := ix.ForceMerge(context.Background()); err != nil {
			t.Fatal(err)
		}
		// Bleve deletes the replaced segments' files just after.
		for last, stable, deadline := -1.0, 0, time.Now().Add(time.Minute); stable < 3 && time.Now().Before(deadline); {
			time.Sleep(300 * time.Millisecond)
			size := 0.0
			for _, b := range dataParts(t, dir) {
				size += b
			}
			if size == last {
				stable++
			} else {
				last, stable = size, 0
			}
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var bytes float64
	for _, b := range dataParts(t, dir) { // blocks on disk, as du counts them
		bytes += b
	}
	return bytes / 1e6, took
}
