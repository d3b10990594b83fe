package mongostore

// Whole-store access for migration and backup (shared/store/migrate):
// listing what the store holds beyond documents (collection names,
// counters), writing documents and feed entries exactly as another store
// holds them (version, feed sequence and time kept, no new feed entry),
// and small records about the store itself (a migration's checkpoints) in
// a collection of their own. Only for a database no server is writing:
// these writes skip the compare-and-set and the feed on purpose. Every
// write is an upsert by key, so doing one twice changes nothing.

import (
	"context"
	"errors"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"zhengwu/shared/store"
)

// metaCollection holds Meta's records, apart from docs so that no
// document of the deployment can collide with one.
const metaCollection = "meta"

// Collections lists the names of the collections holding documents, in
// byte order.
func (s *Store) Collections(ctx context.Context) ([]string, error) {
	res := s.docs.Distinct(ctx, "collection", bson.D{})
	var names []string
	if err := res.Decode(&names); err != nil {
		return nil, err
	}
	slices.Sort(names) // byte order
	return names, nil
}

// Counters returns every Incr counter and its value.
func (s *Store) Counters(ctx context.Context) (map[string]int64, error) {
	cur, err := s.counters.Find(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	var recs []struct {
		Name  string `bson:"_id"`
		Value int64  `bson:"value"`
	}
	if err := cur.All(ctx, &recs); err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(recs))
	for _, r := range recs {
		out[r.Name] = r.Value
	}
	return out, nil
}

// Empty reports whether the database holds no document, feed entry or
// counter: a deployment's data, or a migration's, is there otherwise.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	for _, c := range []*mongo.Collection{s.docs, s.feed, s.counters} {
		n, err := c.CountDocuments(ctx, bson.D{}, options.Count().SetLimit(1))
		if err != nil || n > 0 {
			return false, err
		}
	}
	return true, nil
}

// LoadDocs writes documents as they are (version, seq and time kept, the
// time at BSON's millisecond precision), replacing any stored under the
// same collection and id; a document with nil Data is removed instead.
//
// Most documents of a copy are new to the target, so they are inserted in
// one unordered insert, and only those already there (a batch written
// again after an interruption, a document changed since) are replaced one
// by one: a bulk of upserts is an order of magnitude slower on FerretDB.
func (s *Store) LoadDocs(ctx context.Context, docs []store.Doc) error {
	var recs []any
	for _, d := range docs {
		key := docKey(d.Collection, d.ID)
		if d.Data == nil {
			if _, err := s.docs.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
				return err
			}
			continue
		}
		if err := store.Validate(d.Collection, d.ID, d.Data); err != nil {
			return err
		}
		recs = append(recs, docRecord{Key: key, Collection: d.Collection, ID: d.ID, Version: d.Version, Seq: d.Seq,
			Data: d.Data, UpdatedAt: d.UpdatedAt.UTC().Truncate(time.Millisecond)})
	}
	if len(recs) == 0 {
		return nil
	}
	_, err := s.docs.InsertMany(ctx, recs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return nil
	}
	var bw mongo.BulkWriteException
	if !errors.As(err, &bw) || bw.WriteConcernError != nil || !onlyDuplicates(err) {
		return err
	}
	for _, we := range bw.WriteErrors {
		r := recs[we.Index].(docRecord)
		if _, err := s.docs.ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.Key}}, r, options.Replace().SetUpsert(true)); err != nil {
			return err
		}
	}
	return nil
}

// LoadFeed writes feed entries with their own sequences and moves the
// feed's sequence counter up to the highest, so that later writes
// continue after it. An entry already stored under a sequence is kept: a
// copy run again writes the same entries (and inserting, not upserting,
// is many times faster on FerretDB).
func (s *Store) LoadFeed(ctx context.Context, changes []store.Change) error {
	if len(changes) == 0 {
		return nil
	}
	entries := make([]any, len(changes))
	var last int64
	for i, c := range changes {
		entries[i] = feedEntry{Seq: c.Seq, Collection: c.Collection, ID: c.ID, Deleted: c.Deleted,
			At: c.At.UTC().Truncate(time.Millisecond)}
		last = max(last, c.Seq)
	}
	_, err := s.feed.InsertMany(ctx, entries, options.InsertMany().SetOrdered(false))
	if err != nil && !onlyDuplicates(err) {
		return err
	}
	return retryDuplicate(func() error {
		_, err := s.sequences.UpdateOne(ctx, bson.D{{Key: "_id", Value: feedSeqName}},
			bson.D{{Key: "$max", Value: bson.D{{Key: "value", Value: last}}}}, options.UpdateOne().SetUpsert(true))
		return err
	})
}

// SetCounter sets an Incr counter to value.
func (s *Store) SetCounter(ctx context.Context, name string, value int64) error {
	if name == "" {
		return store.ErrInvalid
	}
	return retryDuplicate(func() error {
		_, err := s.counters.UpdateOne(ctx, bson.D{{Key: "_id", Value: name}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "value", Value: value}}}}, options.UpdateOne().SetUpsert(true))
		return err
	})
}

// Meta returns the record stored under name, or store.ErrNotFound.
func (s *Store) Meta(ctx context.Context, name string) ([]byte, error) {
	var r struct {
		Value []byte `bson:"value"`
	}
	err := s.db.Collection(metaCollection).FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, store.ErrNotFound
	}
	return r.Value, err
}

// SetMeta writes the record Meta reads.
func (s *Store) SetMeta(ctx context.Context, name string, value []byte) error {
	return retryDuplicate(func() error {
		_, err := s.db.Collection(metaCollection).UpdateOne(ctx, bson.D{{Key: "_id", Value: name}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "value", Value: value}}}}, options.UpdateOne().SetUpsert(true))
		return err
	})
}

// Drop removes the whole database (tests, and a failed restore's cleanup).
func (s *Store) Drop(ctx context.Context) error { return s.db.Drop(ctx) }
