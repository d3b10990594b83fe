package mongostore

// PutAll on MongoDB.
//
// With transactions (a replica set or a sharded cluster, which production
// is: ADR 0003), PutAll is atomic. It allocates one block of feed
// sequences, one per write, outside the transaction (the counter is every
// writer's hot spot: inside a transaction each concurrent writer would
// conflict on it), then writes every document and its feed entry in one
// transaction. A refused transaction leaves its sequences as noop entries,
// as a refused Put does; the feed rules of feed.go hold unchanged, since
// the block's entries appear all at once when the transaction commits.
//
// Without transactions (a standalone server, and FerretDB v1, which runs
// the tests and has none), PutAll falls back to ordered writes, which is
// NOT atomic: it first checks every expected version, so that a conflict
// already there when it is called writes nothing, then puts the documents
// one by one in the order given, each an ordinary Put with its own feed
// entry. A concurrent writer that slips in between the check and the
// writes, or a crash, can leave a prefix of the writes done: the error
// then says how many landed and still matches ErrConflict when that was
// the cause. That is exactly what the same writes as separate Puts would
// leave behind, so callers that write through PutAll keep their repair
// paths (cms/content's finishImport, RepairItems) and put the write that
// decides (the compare-and-set) first. store.NextNumber relies on that
// order: its sequence step goes first, so a crash after it leaves a gap in
// the numbers, never a duplicate (see shared/store/number.go).

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"zhengwu/shared/store"
)

// Transactions reports whether PutAll is atomic on this deployment (see
// putall.go); it is decided once, when the store is opened.
func (s *Store) Transactions() bool { return s.txn }

// detectTransactions asks the server what it is: only replica set members
// and mongos routers run multi-document transactions.
func (s *Store) detectTransactions(ctx context.Context) error {
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	if err := s.db.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return fmt.Errorf("mongostore: hello: %w", err)
	}
	s.txn = hello.SetName != "" || hello.Msg == "isdbgrid"
	return nil
}

// PutAll writes several documents, atomically where the deployment has
// transactions and in order otherwise (see the top of this file).
func (s *Store) PutAll(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	if err := store.ValidateWrites(writes); err != nil || len(writes) == 0 {
		return nil, err
	}
	for _, w := range writes {
		if w.ExpectVersion < store.AnyVersion {
			return nil, store.ErrConflict // no stored version is negative
		}
	}
	if s.txn {
		return s.putAllTxn(ctx, writes)
	}
	return s.putAllOrdered(ctx, writes)
}

// putAllTxn writes the documents and their feed entries in one transaction.
func (s *Store) putAllTxn(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	start := time.Now()
	n := int64(len(writes))
	last, err := incr(ctx, s.sequences, feedSeqName, n)
	if err != nil {
		return nil, err
	}
	at := s.now().UTC().Truncate(time.Millisecond)
	recs := make([]docRecord, len(writes))
	entries := make([]feedEntry, len(writes))
	for i, w := range writes {
		seq := last - n + 1 + int64(i)
		recs[i] = docRecord{Key: docKey(w.Collection, w.ID), Collection: w.Collection, ID: w.ID,
			Seq: seq, Data: w.Data, UpdatedAt: at}
		entries[i] = feedEntry{Seq: seq, Collection: w.Collection, ID: w.ID, At: at}
	}
	sess, err := s.client.StartSession()
	if err == nil {
		defer sess.EndSession(context.WithoutCancel(ctx))
		// The callback may run again on a transient error; it rewrites
		// every version it reports, so a retry leaves nothing stale.
		_, err = sess.WithTransaction(ctx, func(tc context.Context) (any, error) {
			for i := range recs {
				v, err := s.writeDoc(tc, recs[i], writes[i].ExpectVersion)
				if err != nil {
					return nil, err
				}
				recs[i].Version = v
			}
			_, err := s.feed.InsertMany(tc, entries)
			return nil, err
		})
	}
	if ferr := s.finishAll(ctx, start, entries, err); ferr != nil {
		return nil, ferr
	}
	out := make([]store.Doc, len(recs))
	for i, r := range recs {
		out[i] = r.doc()
		out[i].Data = append([]byte(nil), r.Data...)
	}
	return out, nil
}

// finishAll is finish for a transaction's block of sequences: a committed
// block is announced again if it took long (see reannounce); a refused one
// gets noop entries; one whose outcome is unknown gets real entries, where
// a duplicate key means the transaction did commit them.
func (s *Store) finishAll(ctx context.Context, start time.Time, entries []feedEntry, txErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), feedWriteTimeout)
	defer cancel()
	if txErr == nil {
		if time.Since(start) <= s.settle/2 {
			return nil
		}
		for _, e := range entries {
			if err := s.reannounce(ctx, e); err != nil {
				return fmt.Errorf("mongostore: %s/%s written at seq %d but announcing it again failed: %w", e.Collection, e.ID, e.Seq, err)
			}
		}
		return nil
	}
	refused := errors.Is(txErr, store.ErrConflict) || errors.Is(txErr, store.ErrNotFound)
	docs := make([]any, len(entries))
	for i, e := range entries {
		e.Noop = refused
		docs[i] = e
	}
	_, err := s.feed.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil && !onlyDuplicates(err) {
		return errors.Join(txErr, fmt.Errorf("mongostore: feed entries %d–%d not written: %w",
			entries[0].Seq, entries[len(entries)-1].Seq, err))
	}
	return txErr
}

// onlyDuplicates reports whether every failure of a bulk insert was a
// duplicate key.
func onlyDuplicates(err error) bool {
	var bw mongo.BulkWriteException
	if !errors.As(err, &bw) || bw.WriteConcernError != nil || len(bw.WriteErrors) == 0 {
		return mongo.IsDuplicateKeyError(err)
	}
	for _, we := range bw.WriteErrors {
		if !mongo.IsDuplicateKeyError(we) {
			return false
		}
	}
	return true
}

// putAllOrdered is the fallback without transactions: check, then Put each.
func (s *Store) putAllOrdered(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	for _, w := range writes {
		if w.ExpectVersion == store.AnyVersion {
			continue
		}
		var current int64
		d, err := s.Get(ctx, w.Collection, w.ID)
		switch {
		case err == nil:
			current = d.Version
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		if current != w.ExpectVersion {
			return nil, store.ErrConflict
		}
	}
	out := make([]store.Doc, 0, len(writes))
	for i, w := range writes {
		d, err := s.Put(ctx, w.Collection, w.ID, w.Data, w.ExpectVersion)
		if err != nil {
			if i == 0 {
				return nil, err
			}
			return nil, fmt.Errorf("mongostore: PutAll without transactions wrote %d of %d documents: %w", i, len(writes), err)
		}
		out = append(out, d)
	}
	return out, nil
}
