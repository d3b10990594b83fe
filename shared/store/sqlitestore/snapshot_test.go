package sqlitestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
)

// A snapshot taken while another connection writes holds a prefix of the
// writes: whole transactions only (each PutAll adds a row and moves the
// tally to it), the feed position of the last one, and the documents as
// they were.
func TestSnapshotUnderWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	write := func(n int, tallyVersion int64) int64 {
		docs, err := st.PutAll(ctx, []store.Write{
			{Collection: "rows", ID: fmt.Sprintf("r%06d", n), Data: fmt.Appendf(nil, `{"n":%d}`, n)},
			{Collection: "tally", ID: "t", Data: fmt.Appendf(nil, `{"n":%d}`, n), ExpectVersion: tallyVersion},
		})
		if err != nil {
			t.Error(err)
			return tallyVersion
		}
		return docs[1].Version
	}
	v := int64(0)
	for n := 1; n <= 50; n++ {
		v = write(n, v)
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for n, v := 51, v; ; n++ {
			select {
			case <-stop:
				return
			default:
				v = write(n, v)
			}
		}
	}()
	snap := filepath.Join(dir, "snap.db")
	err = sqlitestore.Snapshot(ctx, path, snap)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(snap); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("snapshot mode %v %v; want 0600", st.Mode(), err)
	}
	if err := sqlitestore.Snapshot(ctx, path, snap); err == nil {
		t.Error("Snapshot over an existing file")
	}
	c, err := sqlitestore.Inspect(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	rows := c.Collections["rows"]
	if rows < 50 || c.FeedSeq != 2*rows {
		t.Errorf("snapshot: %d rows, feed position %d; want ≥ 50 rows and two feed entries each", rows, c.FeedSeq)
	}
	snapStore, err := sqlitestore.Open(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer snapStore.Close()
	tally, err := snapStore.Get(ctx, "tally", "t")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ N int64 }
	if err := tally.Decode(&got); err != nil || got.N != rows || tally.Seq != c.FeedSeq {
		t.Errorf("tally %d at seq %d; %d rows, feed %d", got.N, tally.Seq, rows, c.FeedSeq)
	}
	if last, err := snapStore.LastSeq(ctx); err != nil || last != c.FeedSeq {
		t.Errorf("LastSeq %d %v", last, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Fatal("test set-up")
	}
	if err := sqlitestore.Snapshot(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db")); err == nil {
		t.Error("Snapshot of a missing database made one")
	}
}
