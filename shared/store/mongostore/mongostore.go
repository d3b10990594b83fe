// Package mongostore is the production adapter of store.Store: MongoDB (a
// replica set) through the official Go driver v2, write concern majority and
// read concern majority. See docs/adr/0003-mongodb-driver-v2.md.
//
// Layout of a database:
//
//	docs      {_id: "<collection>/<id>", collection, id, version, seq, data, updatedAt}
//	feed      {_id: seq, collection, id, deleted, noop, at}
//	counters  {_id: name, value}            Incr's counters
//	sequences {_id: "feed", value}          the feed sequence, apart so no Incr name can touch it
//
// data holds the document's JSON bytes verbatim (BSON binary), not a BSON
// translation of them: that round-trips key order, large integers, number
// spelling and Chinese text exactly, and costs no conversion.
//
// Compare-and-set is a single-document write filtered on the expected
// version, which MongoDB applies atomically. The document and its feed entry
// are two writes, not a transaction; feed.go explains how the feed stays
// complete anyway. PutAll is one transaction where the deployment has them,
// ordered writes where it does not (putall.go).
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readconcern"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"zhengwu/shared/store"
)

// DefaultSettleWindow is how long Feed waits for an allocated feed sequence
// to be written before it treats the sequence as abandoned (see feed.go).
const DefaultSettleWindow = 5 * time.Second

// Store is the MongoDB adapter. It is safe for concurrent use.
type Store struct {
	client    *mongo.Client
	db        *mongo.Database
	docs      *mongo.Collection
	feed      *mongo.Collection
	counters  *mongo.Collection
	sequences *mongo.Collection
	settle    time.Duration
	now       func() time.Time
	txn       bool // the deployment runs multi-document transactions (putall.go)
}

var _ store.Store = (*Store)(nil)

// Option configures Open.
type Option func(*Store)

// WithSettleWindow sets how long a feed sequence may stay allocated but
// unwritten before Feed and LastSeq step over it (default
// DefaultSettleWindow; d <= 0 keeps the default). Longer delays consumers
// after a crashed writer; shorter risks skipping a slow writer's change
// until reconciliation.
func WithSettleWindow(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.settle = d
		}
	}
}

// Open connects to the MongoDB deployment at uri, checks that it answers and
// ensures the indexes of database. Majority write and read concerns are
// always set, overriding the URI, because a CAS or a feed entry that a
// failover could roll back would break the store's contract.
func Open(ctx context.Context, uri, database string, opts ...Option) (*Store, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(uri).
		SetWriteConcern(writeconcern.Majority()).
		SetReadConcern(readconcern.Majority()))
	if err != nil {
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	db := client.Database(database)
	s := &Store{
		client:    client,
		db:        db,
		docs:      db.Collection("docs"),
		feed:      db.Collection("feed"),
		counters:  db.Collection("counters"),
		sequences: db.Collection("sequences"),
		settle:    DefaultSettleWindow,
		now:       time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	if err := s.init(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

// init checks the connection, finds out whether PutAll can use
// transactions and creates the index Scan needs.
func (s *Store) init(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return fmt.Errorf("mongostore: ping: %w", err)
	}
	if err := s.detectTransactions(ctx); err != nil {
		return err
	}
	_, err := s.docs.Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "collection", Value: 1}, {Key: "id", Value: 1}},
		Options: options.Index().SetName("collection_id").SetUnique(true),
	})
	if err != nil {
		return fmt.Errorf("mongostore: create index: %w", err)
	}
	return nil
}

// Close disconnects from the deployment.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.client.Disconnect(ctx)
}

// Ping runs the ping command.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
}

// docRecord is a document as stored in the docs collection.
type docRecord struct {
	Key        string    `bson:"_id"`
	Collection string    `bson:"collection"`
	ID         string    `bson:"id"`
	Version    int64     `bson:"version"`
	Seq        int64     `bson:"seq"`
	Data       []byte    `bson:"data"`
	UpdatedAt  time.Time `bson:"updatedAt"`
}

func (r docRecord) doc() store.Doc {
	return store.Doc{Collection: r.Collection, ID: r.ID, Version: r.Version, Seq: r.Seq,
		Data: r.Data, UpdatedAt: r.UpdatedAt.UTC()}
}

// collectionEscaper keeps docKey unambiguous: "/" inside a collection name
// is escaped, so the first "/" of a key always ends the collection.
var collectionEscaper = strings.NewReplacer("%", "%25", "/", "%2F")

// docKey is the _id of a document.
func docKey(collection, id string) string {
	return collectionEscaper.Replace(collection) + "/" + id
}

// Get returns the current document.
func (s *Store) Get(ctx context.Context, collection, id string) (store.Doc, error) {
	if err := store.Validate(collection, id, nil); err != nil {
		return store.Doc{}, err
	}
	var r docRecord
	err := s.docs.FindOne(ctx, bson.D{{Key: "_id", Value: docKey(collection, id)}}).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return store.Doc{}, store.ErrNotFound
	}
	if err != nil {
		return store.Doc{}, err
	}
	return r.doc(), nil
}

// Put writes the next version of a document with compare-and-set. It first
// allocates the write's feed sequence, then writes the document, then its
// feed entry (a no-op entry if the compare-and-set failed). If the document
// was written but its feed entry could not be, Put reports the error: the
// outcome is then like a network error's, and consumers' reconciliation
// pass picks the change up.
func (s *Store) Put(ctx context.Context, collection, id string, data []byte, expect int64) (store.Doc, error) {
	if err := store.Validate(collection, id, data); err != nil {
		return store.Doc{}, err
	}
	if expect < store.AnyVersion {
		return store.Doc{}, store.ErrConflict // no stored version is negative
	}
	w, err := s.begin(ctx)
	if err != nil {
		return store.Doc{}, err
	}
	r := docRecord{Key: docKey(collection, id), Collection: collection, ID: id,
		Seq: w.seq, Data: data, UpdatedAt: w.at}
	var writeErr error
	r.Version, writeErr = s.writeDoc(ctx, r, expect)
	if err := s.finish(ctx, w, collection, id, false, writeErr); err != nil {
		return store.Doc{}, err
	}
	d := r.doc()
	d.Data = append([]byte(nil), data...)
	return d, nil
}

// writeDoc writes r as the version after expect and returns the new version.
func (s *Store) writeDoc(ctx context.Context, r docRecord, expect int64) (int64, error) {
	switch expect {
	case 0:
		return 1, s.create(ctx, r)
	case store.AnyVersion:
		return s.upsert(ctx, r)
	default:
		return expect + 1, s.update(ctx, r, expect)
	}
}

// create inserts version 1; the unique _id turns a race into ErrConflict.
func (s *Store) create(ctx context.Context, r docRecord) error {
	r.Version = 1
	_, err := s.docs.InsertOne(ctx, r)
	if mongo.IsDuplicateKeyError(err) {
		return store.ErrConflict
	}
	return err
}

// update replaces version expect, atomically: the filter on version is the
// compare, the single-document update the set.
func (s *Store) update(ctx context.Context, r docRecord, expect int64) error {
	res, err := s.docs.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: r.Key}, {Key: "version", Value: expect}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "version", Value: expect + 1},
			{Key: "seq", Value: r.Seq},
			{Key: "data", Value: r.Data},
			{Key: "updatedAt", Value: r.UpdatedAt},
		}}})
	if err != nil {
		return err
	}
	if res.MatchedCount == 0 {
		return store.ErrConflict
	}
	return nil
}

// upsert writes r whatever the stored version and returns the new version
// ($inc on a missing document starts it at 1).
func (s *Store) upsert(ctx context.Context, r docRecord) (int64, error) {
	var out struct {
		Version int64 `bson:"version"`
	}
	err := retryDuplicate(func() error {
		return s.docs.FindOneAndUpdate(ctx,
			bson.D{{Key: "_id", Value: r.Key}},
			bson.D{
				{Key: "$set", Value: bson.D{
					{Key: "collection", Value: r.Collection},
					{Key: "id", Value: r.ID},
					{Key: "seq", Value: r.Seq},
					{Key: "data", Value: r.Data},
					{Key: "updatedAt", Value: r.UpdatedAt},
				}},
				{Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}},
			},
			// No projection to just the version: FerretDB does not
			// implement it on findAndModify, and the document is small.
			options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
		).Decode(&out)
	})
	return out.Version, err
}

// Delete removes a document with compare-and-set and returns the feed
// sequence of the deletion.
func (s *Store) Delete(ctx context.Context, collection, id string, expect int64) (int64, error) {
	if err := store.Validate(collection, id, nil); err != nil {
		return 0, err
	}
	w, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	writeErr := s.deleteDoc(ctx, docKey(collection, id), expect)
	if err := s.finish(ctx, w, collection, id, true, writeErr); err != nil {
		return 0, err
	}
	return w.seq, nil
}

func (s *Store) deleteDoc(ctx context.Context, key string, expect int64) error {
	filter := bson.D{{Key: "_id", Value: key}}
	if expect != store.AnyVersion {
		filter = append(filter, bson.E{Key: "version", Value: expect})
	}
	res, err := s.docs.DeleteOne(ctx, filter)
	if err != nil {
		return err
	}
	if res.DeletedCount == 1 {
		return nil
	}
	if expect == store.AnyVersion {
		return store.ErrNotFound
	}
	// Nothing matched: tell a missing document from a different version.
	n, err := s.docs.CountDocuments(ctx, bson.D{{Key: "_id", Value: key}}, options.Count().SetLimit(1))
	switch {
	case err != nil:
		return err
	case n == 0:
		return store.ErrNotFound
	default:
		return store.ErrConflict
	}
}

// Incr atomically adds delta to a counter.
func (s *Store) Incr(ctx context.Context, counter string, delta int64) (int64, error) {
	if counter == "" {
		return 0, store.ErrInvalid
	}
	return incr(ctx, s.counters, counter, delta)
}

// incr is findOneAndUpdate({_id: name}, {$inc: {value: delta}}) with upsert,
// returning the new value. It serves Incr and the feed sequence.
func incr(ctx context.Context, coll *mongo.Collection, name string, delta int64) (int64, error) {
	var out struct {
		Value int64 `bson:"value"`
	}
	err := retryDuplicate(func() error {
		return coll.FindOneAndUpdate(ctx,
			bson.D{{Key: "_id", Value: name}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "value", Value: delta}}}},
			options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
		).Decode(&out)
	})
	return out.Value, err
}

// retryDuplicate runs an upsert again if it failed with a duplicate key:
// two upserts of a missing document can race to insert it, and the loser
// succeeds as an update on its second try. MongoDB retries this itself for
// equality matches on _id; the retry here covers servers that do not.
func retryDuplicate(upsert func() error) error {
	err := upsert()
	if mongo.IsDuplicateKeyError(err) {
		err = upsert()
	}
	return err
}

// Scan lists documents of a collection in id order, using the
// {collection, id} index. MongoDB compares strings by their UTF-8 bytes
// (no collation is set), which is the byte order the interface asks for.
func (s *Store) Scan(ctx context.Context, collection, afterID string, limit int) ([]store.Doc, error) {
	if collection == "" || limit <= 0 {
		return nil, store.ErrInvalid
	}
	cur, err := s.docs.Find(ctx,
		bson.D{{Key: "collection", Value: collection}, {Key: "id", Value: bson.D{{Key: "$gt", Value: afterID}}}},
		options.Find().SetSort(bson.D{{Key: "id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	var recs []docRecord
	if err := cur.All(ctx, &recs); err != nil {
		return nil, err
	}
	out := make([]store.Doc, len(recs))
	for i, r := range recs {
		out[i] = r.doc()
	}
	return out, nil
}
