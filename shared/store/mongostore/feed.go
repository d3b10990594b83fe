package mongostore

// The change feed on MongoDB.
//
// A write (Put or Delete) takes three steps, not one transaction (FerretDB,
// which runs the tests, has none, and the consumers do not need one):
//
//  1. allocate its seq from the atomic counter sequences/feed;
//  2. write the document, carrying that seq;
//  3. insert the feed entry {_id: seq, collection, id, deleted, at}, or a
//     "noop" entry if the compare-and-set of step 2 failed, so that every
//     allocated seq gets an entry. Feed never returns noop entries.
//
// Writers run concurrently, so entries are not inserted in seq order: while
// writer A (seq 7) is between steps 1 and 3, writer B (seq 8) may have
// finished. A consumer that read 8 and checkpointed it would never see 7.
// So Feed stops at a gap: it returns nothing past the first missing seq.
//
// But a writer that dies between steps 1 and 3 leaves its seq missing
// forever, and stopping there would stall every consumer for good. So a gap
// counts as abandoned once it is older than the settle window: the entry
// right after the gap was allocated after the missing seq, so if that
// entry's at is more than the window ago, the missing seq was allocated
// even longer ago, its writer is presumed dead, and Feed steps over it.
// A writer that was merely slow is not missed: once its entry is in, a
// writer that took more than half the window re-announces its change under
// a fresh seq. A reader can only have stepped over the seq if the write took
// more than the whole window, so the fresh entry reaches every such reader
// (the other half window is margin for clock differences). What is left, a
// writer that dies between steps 2 and 3, is repaired by the consumers'
// reconciliation pass (a Scan comparing versions).
//
// at is the writer's wall clock just after step 1. The rule only needs the
// clocks of the application nodes to agree to well within the window, which
// NTP gives.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"zhengwu/shared/store"
)

// feedSeqName is the counter in the sequences collection that numbers the feed.
const feedSeqName = "feed"

// feedWriteTimeout bounds step 3 once the caller's context is detached from it.
const feedWriteTimeout = 10 * time.Second

// feedEntry is an entry as stored in the feed collection.
type feedEntry struct {
	Seq        int64     `bson:"_id"`
	Collection string    `bson:"collection"`
	ID         string    `bson:"id"`
	Deleted    bool      `bson:"deleted"`
	Noop       bool      `bson:"noop,omitempty"`
	At         time.Time `bson:"at"`
}

func (e feedEntry) change() store.Change {
	return store.Change{Seq: e.Seq, Collection: e.Collection, ID: e.ID, Deleted: e.Deleted, At: e.At.UTC()}
}

// pending is a write between step 1 and step 3.
type pending struct {
	seq   int64
	at    time.Time // wall clock at millisecond precision, as BSON stores it
	start time.Time // carries the monotonic clock, to time the write
}

// begin is step 1: it allocates the write's seq.
func (s *Store) begin(ctx context.Context) (pending, error) {
	start := time.Now()
	seq, err := s.allocSeq(ctx)
	if err != nil {
		return pending{}, err
	}
	return pending{seq: seq, at: s.now().UTC().Truncate(time.Millisecond), start: start}, nil
}

func (s *Store) allocSeq(ctx context.Context) (int64, error) {
	return incr(ctx, s.sequences, feedSeqName, 1)
}

// finish is step 3 for a write whose step 2 ended with writeErr; it returns
// the error Put or Delete reports. A refused write (conflict, not found)
// gets a noop entry. A write that failed otherwise may or may not have
// happened, so it gets a real entry: one too many is harmless to consumers,
// one missing is not.
func (s *Store) finish(ctx context.Context, w pending, collection, id string, deleted bool, writeErr error) error {
	refused := errors.Is(writeErr, store.ErrConflict) || errors.Is(writeErr, store.ErrNotFound)
	e := feedEntry{Seq: w.seq, Collection: collection, ID: id, Deleted: deleted, Noop: refused, At: w.at}

	// The entry must land even if the caller has given up: a missing one
	// holds the feed up for the whole settle window.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), feedWriteTimeout)
	defer cancel()
	err := s.appendFeed(ctx, e)
	if err == nil && !refused && time.Since(w.start) > s.settle/2 {
		err = s.reannounce(ctx, e)
	}
	switch {
	case writeErr != nil:
		return writeErr
	case err != nil:
		return fmt.Errorf("mongostore: %s/%s written at seq %d but its feed entry failed: %w", collection, id, w.seq, err)
	}
	return nil
}

// reannounce appends e again under a fresh seq. A write this slow may have
// had its seq stepped over by readers as abandoned; the fresh entry reaches
// them. Consumers apply changes idempotently, so a double is harmless.
func (s *Store) reannounce(ctx context.Context, e feedEntry) error {
	seq, err := s.allocSeq(ctx)
	if err != nil {
		return err
	}
	e.Seq, e.At = seq, s.now().UTC().Truncate(time.Millisecond)
	return s.appendFeed(ctx, e)
}

// appendFeed inserts a feed entry. A duplicate key is an error, not a
// retry that had landed: the driver's retryable writes never produce one,
// so it means the counter handed a seq out twice.
func (s *Store) appendFeed(ctx context.Context, e feedEntry) error {
	_, err := s.feed.InsertOne(ctx, e)
	return err
}

// gapWalker reads feed entries in ascending seq order and decides how far
// the feed may be read (see the comment at the top of this file).
type gapWalker struct {
	next    int64     // the seq expected next
	horizon time.Time // gaps whose next entry is at or before this are abandoned
}

func (s *Store) gapWalker(after int64) gapWalker {
	return gapWalker{next: after + 1, horizon: s.now().Add(-s.settle)}
}

// pass reports whether e may be read: it is the next seq, or the seqs
// missing before it were allocated more than the settle window ago.
func (g *gapWalker) pass(e feedEntry) bool {
	if e.Seq > g.next && e.At.After(g.horizon) {
		return false
	}
	g.next = e.Seq + 1
	return true
}

// Feed returns up to limit changes after afterSeq in seq order, stopping at
// a seq that is allocated but not yet written, unless it is older than the
// settle window.
func (s *Store) Feed(ctx context.Context, afterSeq int64, limit int) ([]store.Change, error) {
	if limit <= 0 {
		return nil, store.ErrInvalid
	}
	// No server-side limit: noop entries do not count towards limit.
	cur, err := s.feed.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: afterSeq}}}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(int32(min(limit+16, 1000))))
	if err != nil {
		return nil, err
	}
	defer cur.Close(context.WithoutCancel(ctx))
	g := s.gapWalker(afterSeq)
	var out []store.Change
	for len(out) < limit && cur.Next(ctx) {
		var e feedEntry
		if err := cur.Decode(&e); err != nil {
			return nil, err
		}
		if !g.pass(e) {
			break
		}
		if !e.Noop {
			out = append(out, e.change())
		}
	}
	return out, cur.Err()
}

// LastSeq returns the seq of the last change a consumer reading the whole
// feed would get: the last real entry before the first gap that is still
// within its settle window.
//
// Rather than walk the whole feed, it reads backwards from the newest entry
// to a base: the newest real entry allocated more than twice the settle
// window ago. Every seq below the base was allocated before it, so every gap
// below it is long abandoned; the forward walk can start at the base. (The
// second window absorbs clock differences between writers.) The cost is one
// indexed read per write of the last two windows, so LastSeq is for
// readiness and metrics, not for every request.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	recent, base, err := s.feedTail(ctx)
	if err != nil {
		return 0, err
	}
	g, last := s.gapWalker(base), base
	for i := len(recent) - 1; i >= 0; i-- {
		e := recent[i]
		if !g.pass(e) {
			break
		}
		if !e.Noop {
			last = e.Seq
		}
	}
	return last, nil
}

// feedTail returns the entries above the base, newest first, and the base's
// seq (0 when the feed has no entry old enough to be one).
func (s *Store) feedTail(ctx context.Context) ([]feedEntry, int64, error) {
	cur, err := s.feed.Find(ctx, bson.D{}, options.Find().
		SetSort(bson.D{{Key: "_id", Value: -1}}).
		SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "noop", Value: 1}, {Key: "at", Value: 1}}).
		SetBatchSize(256))
	if err != nil {
		return nil, 0, err
	}
	defer cur.Close(context.WithoutCancel(ctx))
	horizon := s.now().Add(-2 * s.settle)
	var recent []feedEntry
	for cur.Next(ctx) {
		var e feedEntry
		if err := cur.Decode(&e); err != nil {
			return nil, 0, err
		}
		if !e.Noop && e.At.Before(horizon) {
			return recent, e.Seq, nil
		}
		recent = append(recent, e)
	}
	return recent, 0, cur.Err()
}
