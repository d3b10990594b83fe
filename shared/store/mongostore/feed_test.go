package mongostore

import (
	"context"
	"testing"
	"time"

	"zhengwu/shared/store"
)

// feedSeqs is Feed(0, 100) as its list of seqs.
func feedSeqs(t *testing.T, s *Store) []int64 {
	t.Helper()
	changes, err := s.Feed(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	seqs := make([]int64, len(changes))
	for i, c := range changes {
		seqs[i] = c.Seq
	}
	return seqs
}

func wantSeqs(t *testing.T, s *Store, want ...int64) {
	t.Helper()
	got := feedSeqs(t, s)
	if len(got) != len(want) {
		t.Fatalf("feed seqs %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("feed seqs %v, want %v", got, want)
		}
	}
	last, err := s.LastSeq(context.Background())
	if err != nil || last != want[len(want)-1] {
		t.Fatalf("LastSeq = %d, %v; want %d", last, err, want[len(want)-1])
	}
}

func put(t *testing.T, s *Store, id string) store.Doc {
	t.Helper()
	d, err := s.Put(context.Background(), "c", id, []byte(`{}`), store.AnyVersion)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A seq allocated but never written (a crashed writer) holds the feed up for
// the settle window, then is stepped over.
func TestFeedStopsAtGapUntilSettled(t *testing.T) {
	// Long enough that a busy CI machine (race detector, two cores, other
	// test binaries) reads the feed before the gap settles.
	const settle = 1500 * time.Millisecond
	s := newStore(t, WithSettleWindow(settle))
	a := put(t, s, "a")
	if _, err := s.allocSeq(context.Background()); err != nil { // the writer that never finishes
		t.Fatal(err)
	}
	b := put(t, s, "b")

	if time.Since(b.UpdatedAt) >= settle/2 {
		t.Skip("machine too slow to observe the gap before it settles")
	}
	wantSeqs(t, s, a.Seq)

	// Time passing is the subject: once the window has passed since the
	// later write, the gap is stepped over at once.
	time.Sleep(time.Until(b.UpdatedAt.Add(settle)))
	wantSeqs(t, s, a.Seq, b.Seq)
}

// A slow writer that fills its gap within the window is read in order,
// without waiting for the window.
func TestFeedGapFilledLate(t *testing.T) {
	s := newStore(t, WithSettleWindow(time.Hour))
	ctx := context.Background()
	a := put(t, s, "a")
	w, err := s.begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := put(t, s, "b")
	wantSeqs(t, s, a.Seq)

	if err := s.finish(ctx, w, "c", "slow", false, nil); err != nil {
		t.Fatal(err)
	}
	wantSeqs(t, s, a.Seq, w.seq, b.Seq)
}

// Refused writes leave noop entries: no gap for Feed to wait on, and nothing
// for consumers to see.
func TestRefusedWritesLeaveNoGap(t *testing.T) {
	s := newStore(t, WithSettleWindow(time.Hour))
	ctx := context.Background()
	a := put(t, s, "a")
	if _, err := s.Put(ctx, "c", "a", []byte(`{}`), 0); err == nil {
		t.Fatal("second create succeeded")
	}
	if _, err := s.Put(ctx, "c", "a", []byte(`{}`), 7); err == nil {
		t.Fatal("stale update succeeded")
	}
	if _, err := s.Delete(ctx, "c", "missing", store.AnyVersion); err == nil {
		t.Fatal("delete of a missing document succeeded")
	}
	if _, err := s.Delete(ctx, "c", "a", 9); err == nil {
		t.Fatal("stale delete succeeded")
	}
	b := put(t, s, "b")
	if b.Seq != a.Seq+5 {
		t.Fatalf("refused writes used %d seqs, want 4", b.Seq-a.Seq-1)
	}
	wantSeqs(t, s, a.Seq, b.Seq)
}

// A write slower than half the settle window announces itself again under a
// fresh seq, for readers that may have stepped over its first one.
func TestSlowWriteIsReannounced(t *testing.T) {
	s := newStore(t, WithSettleWindow(time.Nanosecond)) // every write counts as slow
	d := put(t, s, "a")
	changes, err := s.Feed(context.Background(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0].Seq != d.Seq || changes[1].Seq <= d.Seq ||
		changes[0].ID != "a" || changes[1].ID != "a" {
		t.Fatalf("feed %+v, want the write of seq %d twice", changes, d.Seq)
	}
}

// LastSeq starts its walk at the newest real entry older than twice the
// settle window; gaps below it no longer count, gaps above it do. The clock
// is moved instead of slept on.
func TestLastSeqWalksFromBase(t *testing.T) {
	s := newStore(t, WithSettleWindow(time.Hour))
	ctx := context.Background()
	put(t, s, "a")
	if _, err := s.allocSeq(ctx); err != nil { // an old abandoned gap
		t.Fatal(err)
	}
	b := put(t, s, "b")
	if _, err := s.Put(ctx, "c", "b", []byte(`{}`), 0); err == nil { // an old noop entry
		t.Fatal("second create succeeded")
	}

	s.now = func() time.Time { return time.Now().Add(3 * time.Hour) }
	if last, err := s.LastSeq(ctx); err != nil || last != b.Seq {
		t.Fatalf("LastSeq = %d, %v; want %d", last, err, b.Seq)
	}
	c := put(t, s, "c")
	if _, err := s.allocSeq(ctx); err != nil { // a recent gap: a write in flight
		t.Fatal(err)
	}
	put(t, s, "d")
	if last, err := s.LastSeq(ctx); err != nil || last != c.Seq {
		t.Fatalf("LastSeq = %d, %v; want %d", last, err, c.Seq)
	}
}
