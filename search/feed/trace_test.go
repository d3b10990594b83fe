package feed_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"zhengwu/search/index"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/store/traced"
	"zhengwu/shared/tracing"
	"zhengwu/shared/tracing/tracingtest"
)

// A feed batch is one feed.step span with the index's apply under it
// (upserts, deletes, the checkpoint it moves to) beside the store reads
// of the changed entities; the index's list and search are spans under
// the request that asks, with the hit count and nothing of the query.
func TestFeedBatchAndIndexSpans(t *testing.T) {
	rec := tracingtest.Record(t)
	st := traced.Wrap(storetest.NewSQLite(t))
	c := newConsumer(t, st)
	put(t, st, articles, "a1", article{Title: "关于做好防汛工作的通知", Channel: "news"})
	put(t, st, articles, "a2", article{Title: "草稿", Channel: "news", Status: "draft"})
	last := put(t, st, articles, "a3", article{Title: "政务公开", Channel: "gk"})
	if n, err := c.Step(context.Background()); n != 3 || err != nil {
		t.Fatalf("step: %d %v", n, err)
	}
	steps := rec.Named("feed.step")
	if len(steps) != 1 || tracingtest.Attr(steps[0], "zhengwu.feed.changes") != "3" ||
		tracingtest.Attr(steps[0], "zhengwu.feed.follower") != "search index "+c.Index.Name() {
		t.Fatalf("feed.step spans: %d, %v", len(steps), steps)
	}
	var applies, gets int
	for _, k := range rec.Children(steps[0]) {
		switch k.Name() {
		case "index.apply":
			applies++
			if tracingtest.Attr(k, "zhengwu.index.upserts") != "2" || tracingtest.Attr(k, "zhengwu.index.deletes") != "1" ||
				tracingtest.Attr(k, "zhengwu.feed.checkpoint") != strconv.FormatInt(last.Seq, 10) ||
				tracingtest.Attr(k, string(index.IndexKey)) != c.Index.Name() {
				t.Fatalf("index.apply attributes %v", k.Attributes())
			}
		case "store.get":
			gets++
		}
	}
	if applies != 1 || gets != 3 {
		t.Fatalf("under feed.step: %d index.apply, %d store.get; want 1 and 3", applies, gets)
	}

	ctx := tracing.WithRequestID(context.Background(), "rid-7")
	ctx, req := tracing.Start(ctx, "GET /api/portal/v1/items")
	if _, err := c.Index.List(ctx, index.Query{Filters: []index.Filter{index.Term("channel", "news")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Index.Search(ctx, bleve.NewSearchRequest(bleve.NewMatchQuery("防汛"))); err != nil {
		t.Fatal(err)
	}
	req.End()
	for name, hits := range map[string]string{"index.list": "1", "index.search": ""} {
		spans := rec.Named(name)
		if len(spans) != 1 || spans[0].Parent().SpanID() != req.SpanContext().SpanID() ||
			tracingtest.Attr(spans[0], string(tracing.RequestIDKey)) != "rid-7" {
			t.Fatalf("%s: %d spans, not under the request or without its id", name, len(spans))
		}
		if hits != "" && tracingtest.Attr(spans[0], "zhengwu.index.hits") != hits {
			t.Fatalf("%s hits %q, want %s", name, tracingtest.Attr(spans[0], "zhengwu.index.hits"), hits)
		}
		for _, kv := range spans[0].Attributes() {
			if v := kv.Value.Emit(); v == "防汛" || v == "news" {
				t.Fatalf("%s carries the query: %s=%s", name, kv.Key, v)
			}
		}
	}
}
