// Package store is Zhengwu's narrow document store: collections of JSON
// documents addressed by id, each with a version, plus atomic counters, an
// ordered scan and the change feed. See
// docs/adr/0002-document-store-sqlite-default.md for why the store is this
// small: lists and searches are answered by Bleve indexes fed from the
// change feed, never by the database's query engine.
//
// Around the interface: Update, UpdateAll and Retry for read-decide-write
// with compare-and-set; NextNumber for gap-free numbers (发文字号) that
// commit with the documents carrying them; Follower, the one loop that
// follows the change feed for search indexes, the gateway and the token
// revocation list.
//
// Two adapters implement Store: sqlitestore (the embedded default) and
// mongostore (production). Both pass the same conformance suite in
// storetest.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors every adapter returns; callers compare with errors.Is.
var (
	// ErrNotFound: no document with that collection and id.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: the expected version did not match the stored one
	// (or the document exists when creation was asked for).
	ErrConflict = errors.New("store: version conflict")
	// ErrInvalid: a malformed argument (empty id, data that is not a JSON object).
	ErrInvalid = errors.New("store: invalid argument")
)

// AnyVersion as the expected version of Put or Delete skips the
// compare-and-set: the write happens whatever the stored version is.
// Creation is asked for with expected version 0.
const AnyVersion int64 = -1

// Doc is one stored document.
type Doc struct {
	Collection string          `json:"collection"`
	ID         string          `json:"id"`
	Version    int64           `json:"version"` // 1 after the first put, +1 on each put
	Seq        int64           `json:"seq"`     // feed sequence of the write that produced this version
	Data       json.RawMessage `json:"data"`    // a JSON object
	UpdatedAt  time.Time       `json:"updatedAt"`
}

// Decode unmarshals the document's data into v.
func (d Doc) Decode(v any) error { return json.Unmarshal(d.Data, v) }

// Change is one entry of the change feed: "collection/id changed at seq".
// Consumers read the entity's current state by id; the entry carries no data
// so that replaying it is always harmless.
type Change struct {
	Seq        int64     `json:"seq"`
	Collection string    `json:"collection"`
	ID         string    `json:"id"`
	Deleted    bool      `json:"deleted"`
	At         time.Time `json:"at"`
}

// Write is one document write of PutAll, with Put's arguments.
type Write struct {
	Collection    string
	ID            string
	Data          []byte // a JSON object
	ExpectVersion int64  // as Put's: 0 must not exist yet, AnyVersion unconditional
}

// Store is what every adapter implements. All methods are safe for
// concurrent use.
type Store interface {
	// Get returns the current document or ErrNotFound.
	Get(ctx context.Context, collection, id string) (Doc, error)
	// Put writes data (a JSON object) as the next version of the document if
	// its stored version equals expectVersion (0: must not exist yet;
	// AnyVersion: unconditional). It returns the written document, or
	// ErrConflict. The document and its feed entry are written together.
	Put(ctx context.Context, collection, id string, data []byte, expectVersion int64) (Doc, error)
	// PutAll writes several documents as one unit: every write is checked
	// as Put checks it, and then either all of them are written or none
	// is (ErrConflict if any expected version does not match, ErrInvalid
	// if any write is malformed or two name the same document). Each write
	// gets its own feed entry, in the order given; the returned documents
	// are in that order too. An empty list writes nothing. An adapter that
	// cannot make the writes atomic says what it guarantees instead
	// (mongostore without transactions: see its putall.go).
	PutAll(ctx context.Context, writes []Write) ([]Doc, error)
	// Delete removes the document if its version equals expectVersion (or
	// expectVersion is AnyVersion) and returns the feed sequence of the
	// deletion. ErrNotFound if there is no such document.
	Delete(ctx context.Context, collection, id string, expectVersion int64) (int64, error)
	// Incr atomically adds delta to the named counter (created at 0) and
	// returns the new value. It commits on its own, apart from any document
	// write, so it is NOT gap-free: a write that fails after an Incr leaves
	// the value unused. For statistics (the gateway's counts); numbers that
	// must have no gaps (发文字号) come from NextNumber.
	Incr(ctx context.Context, counter string, delta int64) (int64, error)
	// Scan returns up to limit documents of a collection with id > afterID,
	// in ascending id order (byte order). For rebuilds and reconciliation.
	Scan(ctx context.Context, collection, afterID string, limit int) ([]Doc, error)
	// Feed returns up to limit changes with seq > afterSeq in ascending seq
	// order. Every change is returned once the write that made it has
	// committed; a consumer that resumes from its checkpoint misses nothing.
	Feed(ctx context.Context, afterSeq int64, limit int) ([]Change, error)
	// LastSeq is the highest committed feed sequence (0 if none).
	LastSeq(ctx context.Context) (int64, error)
	// Ping checks that the database answers (for /readyz).
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Validate checks the arguments every adapter checks the same way.
func Validate(collection, id string, data []byte) error {
	if collection == "" || len(collection) > 64 || id == "" || len(id) > 512 {
		return ErrInvalid
	}
	if data != nil && !isObject(data) {
		return ErrInvalid
	}
	return nil
}

// isObject reports whether data is one JSON object. Valid JSON that starts
// with "{" is an object; checking that costs a scan, not the map that
// decoding it would build on every write.
func isObject(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return json.Valid(data)
		}
		return false
	}
	return false
}

// ValidateWrites checks the writes of PutAll: each as Put checks its
// arguments, data present, and no document named twice (the order of two
// writes to one document would be the adapter's choice).
func ValidateWrites(writes []Write) error {
	seen := make(map[[2]string]bool, len(writes))
	for _, w := range writes {
		if w.Data == nil {
			return ErrInvalid
		}
		if err := Validate(w.Collection, w.ID, w.Data); err != nil {
			return err
		}
		k := [2]string{w.Collection, w.ID}
		if seen[k] {
			return ErrInvalid
		}
		seen[k] = true
	}
	return nil
}
