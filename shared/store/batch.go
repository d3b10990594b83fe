package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Batch is one attempt of UpdateAll: the documents it read, each with the
// version it saw, and the writes it will make with PutAll. A write of a
// document the batch read expects the version read, so the whole PutAll
// fails with ErrConflict if any of them changed in between, and UpdateAll
// tries again from fresh reads.
type Batch struct {
	store  Store
	seen   map[[2]string]int64 // collection/id → version read, 0: absent
	steps  []Write             // sequence steps (Next), written first
	writes []Write
}

// Load reads a document into v and remembers its version. found is false
// (and v untouched) when the document does not exist; a later Save of it
// then creates it, failing if another writer created it first.
func (b *Batch) Load(ctx context.Context, collection, id string, v any) (found bool, err error) {
	d, err := b.store.Get(ctx, collection, id)
	if errors.Is(err, ErrNotFound) {
		b.remember(collection, id, 0)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(d.Data, v); err != nil {
		return false, fmt.Errorf("decode %s/%s: %w", collection, id, err)
	}
	b.remember(collection, id, d.Version)
	return true, nil
}

// remember keeps the first version read: if a document is read twice and
// changed in between, the write must still fail.
func (b *Batch) remember(collection, id string, version int64) {
	k := [2]string{collection, id}
	if _, ok := b.seen[k]; !ok {
		b.seen[k] = version
	}
}

// Save adds the write of v to collection/id, expecting the version Load
// saw; a document the batch has not loaded is created (expected version
// 0). Saving one document twice replaces the first write.
func (b *Batch) Save(collection, id string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", collection, id, err)
	}
	b.Add(Write{Collection: collection, ID: id, Data: data, ExpectVersion: b.seen[[2]string{collection, id}]})
	return nil
}

// Add adds writes as given, with their own expected versions (AnyVersion
// for an unconditional write). A write of a document already added
// replaces the earlier one.
func (b *Batch) Add(writes ...Write) {
	for _, w := range writes {
		b.writes = replaceOrAppend(b.writes, w)
	}
}

func replaceOrAppend(ws []Write, w Write) []Write {
	for i := range ws {
		if ws[i].Collection == w.Collection && ws[i].ID == w.ID {
			ws[i] = w
			return ws
		}
	}
	return append(ws, w)
}

// UpdateAll runs change, a read-decide-write over several documents, and
// writes what it decided in one PutAll, each write expecting the version
// change read; on ErrConflict it runs change again on fresh reads (Retry).
// It returns the written documents in the order change added them
// (sequence steps of Next left out). change must do all its reading
// through the Batch it is given (a fresh one on every attempt) and may
// return an error to abort: nothing is written then.
//
// PutAll is atomic on SQLite and on MongoDB with transactions; on MongoDB
// without them a conflict that arises during the write can leave a prefix
// of the writes done (see mongostore's putall.go).
func UpdateAll(ctx context.Context, s Store, change func(ctx context.Context, b *Batch) error) ([]Doc, error) {
	return UpdateAllVia(ctx, s, func(ctx context.Context, ws []Write) ([]Doc, error) { return write(ctx, s, ws) }, change)
}

// UpdateAllVia is UpdateAll whose writes go through commit, which must
// write them all or none and return their documents in order (and may add
// writes of its own after them: the audit trail's entries, say). The
// sequence steps of Batch.Next come first.
func UpdateAllVia(ctx context.Context, s Store, commit func(ctx context.Context, writes []Write) ([]Doc, error),
	change func(ctx context.Context, b *Batch) error) ([]Doc, error) {
	var out []Doc
	err := Retry(ctx, func(ctx context.Context) error {
		b := &Batch{store: s, seen: map[[2]string]int64{}}
		if err := change(ctx, b); err != nil {
			return err
		}
		docs, err := commit(ctx, append(b.steps[:len(b.steps):len(b.steps)], b.writes...))
		if err != nil {
			return err
		}
		out = docs[len(b.steps):]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// write is PutAll, or Put for a single write: the same compare-and-set,
// without the transaction PutAll costs on MongoDB.
func write(ctx context.Context, s Store, writes []Write) ([]Doc, error) {
	if len(writes) != 1 {
		return s.PutAll(ctx, writes)
	}
	w := writes[0]
	d, err := s.Put(ctx, w.Collection, w.ID, w.Data, w.ExpectVersion)
	if err != nil {
		return nil, err
	}
	return []Doc{d}, nil
}
