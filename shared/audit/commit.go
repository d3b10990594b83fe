package audit

import (
	"context"
	"errors"
	"fmt"

	"zhengwu/shared/store"
)

// Commit writes a change and its audit entries in one store write
// (store.PutAll): the documents the change writes, then the entries for
// events, chained after the trail's head. Either the change and its
// entries are stored together or neither is, so a committed change can
// never lack its entry, even after a crash (where PutAll is atomic: see
// the store adapters).
//
// store.ErrConflict means one of the change's own writes lost its
// compare-and-set: the caller re-reads and decides again (store.Update's
// loop). A conflict on the chain (another process appended first) is
// handled here: Commit moves past the new entries and retries.
//
// The returned documents are the change's, in the order given.
func (t *Trail) Commit(ctx context.Context, writes []store.Write, events ...Event) ([]store.Doc, error) {
	if len(events) == 0 {
		return nil, errors.New("audit: Commit without an event: use the store directly")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.loaded {
		if err := t.loadHead(ctx); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		entries, chained, err := t.chain(events)
		if err != nil {
			return nil, err
		}
		all := make([]store.Write, 0, len(writes)+len(chained))
		all = append(append(all, writes...), chained...)
		docs, err := t.store.PutAll(ctx, all)
		if err == nil {
			last := entries[len(entries)-1]
			t.headSeq, t.headHash = last.Seq, last.Hash
			return docs[:len(writes)], nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return nil, fmt.Errorf("audit: commit: %w", err)
		}
		// Whose conflict? If another process appended to the chain, the
		// head moves and the change is tried again after it; if the head
		// stands, the change's own compare-and-set failed.
		before := t.headSeq
		if _, err := t.catchUpQuiet(ctx); err != nil {
			return nil, err
		}
		if t.headSeq == before || attempt >= 100 {
			return nil, store.ErrConflict
		}
	}
}

// catchUpQuiet moves the head past every stored entry after it.
func (t *Trail) catchUpQuiet(ctx context.Context) (int64, error) {
	moved := int64(0)
	for {
		doc, err := t.store.Get(ctx, Collection, entryID(t.headSeq+1))
		if errors.Is(err, store.ErrNotFound) {
			return moved, nil
		}
		if err != nil {
			return moved, fmt.Errorf("audit: read entry %d: %w", t.headSeq+1, err)
		}
		var e Entry
		if err := doc.Decode(&e); err != nil {
			return moved, fmt.Errorf("audit: decode entry %d: %w", t.headSeq+1, err)
		}
		t.headSeq, t.headHash = e.Seq, e.Hash
		moved++
	}
}

// Update is store.Update with the change's audit entry committed in the
// same write: it loads the document, lets change edit it and say what to
// record, and commits both with compare-and-set, retrying from the load
// when another writer got there first. An error from change aborts with
// nothing written (the caller records a refusal itself if it wants one).
func Update[T any](ctx context.Context, t *Trail, collection, id string, change func(*T) (Event, error)) (T, store.Doc, error) {
	var out T
	var doc store.Doc
	err := store.Retry(ctx, func(ctx context.Context) error {
		v, version, err := store.Load[T](ctx, t.store, collection, id)
		if err != nil {
			return err
		}
		ev, err := change(&v)
		if err != nil {
			return err
		}
		data, err := store.Encode(v)
		if err != nil {
			return err
		}
		docs, err := t.Commit(ctx, []store.Write{{Collection: collection, ID: id, Data: data, ExpectVersion: version}}, ev)
		if err != nil {
			return err
		}
		out, doc = v, docs[0]
		return nil
	})
	if err != nil {
		var zero T
		return zero, store.Doc{}, err
	}
	return out, doc, nil
}

// Create writes a new document (it must not exist yet) with its entry.
func Create(ctx context.Context, t *Trail, collection, id string, v any, ev Event) (store.Doc, error) {
	data, err := store.Encode(v)
	if err != nil {
		return store.Doc{}, err
	}
	docs, err := t.Commit(ctx, []store.Write{{Collection: collection, ID: id, Data: data, ExpectVersion: 0}}, ev)
	if err != nil {
		return store.Doc{}, err
	}
	return docs[0], nil
}

// UpdateAll is store.UpdateAll with audit entries committed in the same
// write: change reads through the batch, adds its writes and says what to
// record; a conflict runs it again on fresh reads. Numbers taken with
// Batch.Next commit with the entries too.
func UpdateAll(ctx context.Context, t *Trail, change func(ctx context.Context, b *store.Batch) ([]Event, error)) ([]store.Doc, error) {
	var events []Event
	return store.UpdateAllVia(ctx, t.store, func(ctx context.Context, ws []store.Write) ([]store.Doc, error) {
		if len(events) == 0 {
			return nil, errors.New("audit: UpdateAll without an event")
		}
		return t.Commit(ctx, ws, events...)
	}, func(ctx context.Context, b *store.Batch) error {
		var err error
		events, err = change(ctx, b)
		return err
	})
}
