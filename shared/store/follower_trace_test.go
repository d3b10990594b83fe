package store_test

import (
	"context"
	"log/slog"
	"strconv"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
	"zhengwu/shared/store/traced"
	"zhengwu/shared/tracing/tracingtest"
)

// A step that finds changes is a feed.step span with the follower, the
// count and the checkpoint it moves to; what Apply does under it (here a
// store read) is its child. An idle step makes no span.
func TestFeedStepSpan(t *testing.T) {
	rec := tracingtest.Record(t)
	st := traced.Wrap(storetest.NewSQLite(t))
	ctx := context.Background()
	for i := range 3 {
		if _, err := st.Put(ctx, "docs", strconv.Itoa(i), []byte(`{}`), 0); err != nil {
			t.Fatal(err)
		}
	}
	var cp int64
	f := &store.Follower{Store: st, Name: "search portal", Logger: slog.New(slog.DiscardHandler),
		Checkpoint: func(context.Context) (int64, error) { return cp, nil },
		Apply: func(ctx context.Context, changes []store.Change) error {
			if _, err := st.Get(ctx, changes[0].Collection, changes[0].ID); err != nil {
				return err
			}
			cp = changes[len(changes)-1].Seq
			return nil
		}}
	if n, err := f.Step(ctx); n != 3 || err != nil {
		t.Fatalf("step: %d %v", n, err)
	}
	if n, err := f.Step(ctx); n != 0 || err != nil {
		t.Fatalf("idle step: %d %v", n, err)
	}
	steps := rec.Named("feed.step")
	if len(steps) != 1 {
		t.Fatalf("%d feed.step spans, want 1 (none for the idle step)", len(steps))
	}
	s := steps[0]
	if tracingtest.Attr(s, "zhengwu.feed.follower") != "search portal" || tracingtest.Attr(s, "zhengwu.feed.changes") != "3" ||
		tracingtest.Attr(s, "zhengwu.feed.from") != "0" || tracingtest.Attr(s, "zhengwu.feed.checkpoint") != strconv.FormatInt(cp, 10) {
		t.Fatalf("feed.step attributes %v (checkpoint %d)", s.Attributes(), cp)
	}
	if kids := rec.Children(s); len(kids) != 1 || kids[0].Name() != "store.get" {
		t.Fatalf("feed.step children %d, want the apply's store.get", len(kids))
	}
	if n := len(rec.Named("store.feed")); n != 0 {
		t.Fatalf("%d store.feed spans: a poll outside a step must make none", n)
	}
}
