package traced_test

import (
	"context"
	"errors"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/store/traced"
	"zhengwu/shared/tracing"
	"zhengwu/shared/tracing/tracingtest"
)

// Under a span every method delegates (each call's answer is checked) and
// is a span of its own, named store.<op>, with the collection; expected answers (not found, conflict) are outcomes,
// not errors. Without a span in the context (a background poll) none is
// made.
func TestEveryMethodIsASpan(t *testing.T) {
	rec := tracingtest.Record(t)
	st := traced.Wrap(storetest.NewSQLite(t))
	ctx, root := tracing.Start(context.Background(), "root")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := st.Put(ctx, "docs", "1", []byte(`{"a":1}`), 0)
	must(err)
	_, err = st.Put(ctx, "docs", "1", []byte(`{"a":2}`), 0)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("conflict expected: %v", err)
	}
	_, err = st.PutAll(ctx, []store.Write{{Collection: "docs", ID: "2", Data: []byte(`{}`)}, {Collection: "notes", ID: "3", Data: []byte(`{}`)}})
	must(err)
	_, err = st.Get(ctx, "docs", "nope")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	_, err = st.Scan(ctx, "docs", "", 10)
	must(err)
	_, err = st.Feed(ctx, 0, 10)
	must(err)
	_, err = st.LastSeq(ctx)
	must(err)
	_, err = st.Incr(ctx, "gateway.moved", 1)
	must(err)
	_, err = st.Delete(ctx, "docs", "2", store.AnyVersion)
	must(err)
	must(st.Ping(ctx)) // not traced: /readyz's probe
	root.End()
	_, err = st.Get(context.Background(), "docs", "1") // no parent: no span
	must(err)

	want := []struct{ name, collection, outcome string }{
		{"store.put", "docs", ""}, {"store.put", "docs", "conflict"}, {"store.put_all", "", ""},
		{"store.get", "docs", "not_found"}, {"store.scan", "docs", ""}, {"store.feed", "", ""},
		{"store.last_seq", "", ""}, {"store.incr", "", ""}, {"store.delete", "docs", ""},
	}
	r := rec.Named("root")[0]
	kids := rec.Children(r)
	if len(kids) != len(want) || len(rec.Ended()) != len(want)+1 {
		t.Fatalf("%d children, %d spans; want %d and %d", len(kids), len(rec.Ended()), len(want), len(want)+1)
	}
	for i, w := range want {
		k := kids[i]
		if k.Name() != w.name || tracingtest.Attr(k, string(tracing.CollectionKey)) != w.collection ||
			tracingtest.Attr(k, "zhengwu.store.outcome") != w.outcome {
			t.Errorf("span %d: %s collection=%q outcome=%q, want %+v", i, k.Name(),
				tracingtest.Attr(k, string(tracing.CollectionKey)), tracingtest.Attr(k, "zhengwu.store.outcome"), w)
		}
	}
	if got := tracingtest.Attr(kids[2], "zhengwu.store.collections"); got != `["docs","notes"]` {
		t.Errorf("put_all collections %q", got)
	}
}
