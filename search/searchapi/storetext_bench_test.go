package searchapi

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/relevance"
	"zhengwu/search/source"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// BenchmarkSearchHighlights measures the search API's query with its
// highlights (Service.Search, anonymous, the development queries and a
// hundred stretches of the documents' bodies in turn) over ZHENGWU_BENCH_DOCS generated documents (3,000 by default)
// two ways, each op both in turn: stored, the index keeping the body and
// Bleve highlighting it from that copy (as before issue 16 item 7), and
// fromstore, the body's fragments cut from the store's documents
// (highlightFromStore); the latencies of each as metrics:
//
//	go test -run '^$' -bench SearchHighlights -benchtime 2000x ./search/searchapi/
func BenchmarkSearchHighlights(b *testing.B) {
	docs, err := relevance.LoadCorpus(devSet+"corpus.jsonl.gz", 0)
	if err != nil {
		b.Skipf("development corpus not available: %v", err)
	}
	var queries []string
	for _, f := range []string{"queries.jsonl", "queries-words.jsonl"} {
		qs, err := relevance.LoadQueries(devSet + f)
		if err != nil {
			b.Skipf("development queries not available: %v", err)
		}
		for _, q := range qs {
			queries = append(queries, q.Query)
		}
	}
	n := 3000
	if s := os.Getenv("ZHENGWU_BENCH_DOCS"); s != "" {
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	k := testkit.New(b)
	g := relevance.NewGenerator(docs, 7)
	for i := range n {
		d := g.Doc(i, 1500)
		if i%(n/100+1) == 0 { // and a hundred stretches of bodies, to be found there
			body := []rune(d.Body)
			queries = append(queries, string(body[20:26]))
		}
		if _, err := store.Save(ctx, k.Store, "generated", d.ID, d, store.AnyVersion); err != nil {
			b.Fatal(err)
		}
	}
	proj := source.Projection{Index: source.PortalName, Collection: "generated", Project: func(sd store.Doc) (source.Doc, bool) {
		var d query.Doc
		if sd.Decode(&d) != nil {
			return source.Doc{}, false
		}
		summary, _, _ := strings.Cut(d.Body, "。") // the generator writes none
		return source.Doc{Title: d.Title, Body: d.Body, Summary: summary, Channel: d.Channel, Type: d.Type,
			Issuer: d.Issuer, DocNumber: d.DocNumber, Path: "generated/" + sd.ID, PublishedAt: *d.PublishedAt,
			Visibility: source.Public}, true
	}}
	open := func(dir string, stored bool) *Service {
		svc, err := New(Deps{Store: k.Store, DataDir: filepath.Join(k.Dir, dir), Logger: k.Log,
			Scopes: []string{source.PortalName}, Projections: []source.Projection{proj}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { svc.Close() })
		if stored { // the index as it was: the body stored
			sc := svc.scopes[source.PortalName]
			sc.cur.Load().ix.Close()
			ix, err := index.Open(filepath.Join(k.Dir, dir, "stored"), source.Mapping().Stored(query.FieldSummary, query.FieldBody))
			if err != nil {
				b.Fatal(err)
			}
			sc.cur.Store(&live{dir: filepath.Join(k.Dir, dir, "stored"), ix: ix, consumer: sc.src.Consumer(k.Store, ix)})
		}
		if err := svc.scopes[source.PortalName].cur.Load().consumer.CatchUp(ctx); err != nil {
			b.Fatal(err)
		}
		return svc
	}
	stored, fromStore := open("stored", true), open("new", false)
	defer func(was []string) { storeHighlighted = was }(storeHighlighted)
	was := storeHighlighted
	// Each op is one query both ways, in turn first, so that the machine's
	// load falls on both alike.
	ways := []struct {
		svc       *Service
		fromStore []string // storeHighlighted while it runs
		lat       []time.Duration
	}{{svc: stored}, {svc: fromStore, fromStore: was}}
	frags := 0
	b.ResetTimer()
	for i := range b.N {
		for j := range ways {
			w := &ways[(i+j)%2]
			storeHighlighted = w.fromStore
			start := time.Now()
			res, err := w.svc.Search(ctx, nil, Request{Q: queries[i%len(queries)], Scope: source.PortalName})
			w.lat = append(w.lat, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			if w.fromStore != nil {
				for _, h := range res.Hits {
					frags += len(h.Highlights["body"])
				}
			}
		}
	}
	for i, name := range []string{"stored", "fromstore"} {
		lat := ways[i].lat
		slices.Sort(lat)
		var sum time.Duration
		for _, l := range lat {
			sum += l
		}
		b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(lat)), name+"-mean-ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, name+"-p99-ms")
	}
	b.ReportMetric(float64(frags)/float64(b.N), "body-frags/op")
}
