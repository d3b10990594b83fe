package sqlitestore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Each collection large enough gets a zstd dictionary of its own (issue 16
// item 7). A portal item compresses alone to ~0.9 KB of ~2.8 KB: zstd
// finds no match for the JSON keys and the stock phrases of an official
// text the first time they appear in a document, and a small document is
// mostly first times. A dictionary made from the collection's own documents
// holds them: a real government text (search-dev corpus) then takes 0.89×
// the bytes, a load-test item, built from a few stock phrases, 0.28×
// (docs/benchmarks.md).
//
// The dictionaries live in the database itself (table dicts), so a file
// copy, a snapshot (VACUUM INTO) or a restore carries them; a dictionary
// is never changed or removed, since documents name it by its id in their
// zstd frame header. Another process on the same file that meets an id it
// has not loaded reads it from the table. Migration reads documents as
// JSON (Scan) and so never needs them. A row with an empty dict records a
// refusal (a dictionary would not have saved enough when the collection
// held docs documents), so that the next start does not try again before
// the collection has doubled.

const dictSchema = `
CREATE TABLE IF NOT EXISTS dicts (
	id         INTEGER PRIMARY KEY,
	collection TEXT NOT NULL,
	ratio      REAL NOT NULL,
	docs       INTEGER NOT NULL,
	dict       BLOB NOT NULL,
	created_at INTEGER NOT NULL
);`

const (
	// dictHistory is the dictionary's content: 32 KB took a real text to
	// 0.87× and a load-test item to 0.29× (at zstd's default level); 64 KB
	// gained 1 % more on real text.
	dictHistory = 32 << 10
	// trainSample documents, the collection's newest, are read to make a
	// dictionary.
	trainSample = 1000
	// dictGain: a dictionary is kept only if it stores the sample in at
	// most this share of the bytes it takes without one (or with the
	// collection's current dictionary).
	dictGain = 0.95
	// driftLimit: when the writes of a collection compress to more than
	// this many times the ratio its dictionary had on its sample (what the
	// collection holds has changed: a portal whose first thousand items
	// were imported reports, then news), a new one is made from the newest
	// documents. At most maxDicts per collection.
	driftLimit = 1.25
	maxDicts   = 8
	// dictMaxDoc: larger documents are compressed without the dictionary
	// (it gains little on them), so that the dictionary's encoder needs a
	// window of only dictWindow (the dictionary and one document). Its
	// memory grows with the window: ~0.9 MB at 128 KB, 11 MB at zstd's
	// default 8 MB.
	dictMaxDoc = 64 << 10
	dictWindow = 128 << 10
	// dictIDMin: zstd reserves ids below 2^15 for a public registry.
	dictIDMin = 1 << 15
	// repackBatch documents are re-compressed per write transaction, so a
	// re-pack of a large collection never holds the writer for long.
	repackBatch = 256
)

// trainAt is the number of documents a collection must hold (counted at
// Open, plus writes since) before a dictionary is made for it, and the
// number of writes after which its compression is compared with the
// dictionary's (driftLimit). Variables so that tests can lower them.
// Below 5,000 documents a collection holds a few MB at most, which a
// dictionary would shrink by less than what making one costs each small
// deployment (and each demo or test server) at its start.
var trainAt = 5000

// trainMin documents of the sample at least must be worth compressing.
var trainMin = 200

// codec packs and unpacks a store's documents: with its collection's
// newest dictionary when there is one, else with the shared
// dictionary-less encoder (compress.go).
type codec struct {
	st  *Store
	log *slog.Logger

	mu  sync.RWMutex
	enc map[string]dictEncoder   // by collection: its newest dictionary
	dec map[uint32]*zstd.Decoder // by dictionary id: every one stored

	stateMu sync.Mutex
	state   map[string]*collectionState

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	train  sync.Mutex // one dictionary at a time
}

type dictEncoder struct {
	id  uint32
	enc *zstd.Encoder
}

// collectionState is what decides when a collection gets a dictionary.
type collectionState struct {
	// count is, while the collection has no dictionary, its documents at
	// Open plus the writes since (an update counts again: the trigger only
	// needs to come eventually); next is the count that starts one.
	count, next int
	// in and out are the bytes of the writes packed with the dictionary
	// since it was made or last compared, writes their number; ratio is
	// what the dictionary achieved on its sample.
	in, out, writes int
	ratio           float64
	dicts           int
	training        bool
}

func newCodec(st *Store, log *slog.Logger) *codec {
	ctx, cancel := context.WithCancel(context.Background())
	return &codec{st: st, log: log, enc: map[string]dictEncoder{}, dec: map[uint32]*zstd.Decoder{},
		state: map[string]*collectionState{}, ctx: ctx, cancel: cancel}
}

// stateLocked is collection's state; stateMu is held.
func (c *codec) stateLocked(collection string) *collectionState {
	s := c.state[collection]
	if s == nil {
		s = &collectionState{next: trainAt}
		c.state[collection] = s
	}
	return s
}

// open loads the stored dictionaries and makes one for each collection
// that has grown enough without (a database from before this change, or
// one whose process stopped while making it).
func (c *codec) open() error {
	rows, err := c.st.read.Query("SELECT id, collection, ratio, docs, dict FROM dicts ORDER BY created_at, id")
	if err != nil {
		return fmt.Errorf("read the compression dictionaries: %w", err)
	}
	type stored struct {
		id         uint32
		collection string
		ratio      float64
		docs       int
		dict       []byte
	}
	list, err := readRows(rows, func(d *stored) error {
		return rows.Scan(&d.id, &d.collection, &d.ratio, &d.docs, &d.dict)
	})
	if err != nil {
		return fmt.Errorf("read the compression dictionaries: %w", err)
	}
	c.stateMu.Lock()
	for _, d := range list { // oldest first: the newest ends as the encoder
		if len(d.dict) == 0 { // a refusal
			st := c.stateLocked(d.collection)
			st.next = max(st.next, 2*d.docs)
			continue
		}
		if err := c.install(d.id, d.collection, d.dict, true); err != nil {
			// A damaged row: the store still opens, and each document
			// compressed with this dictionary fails on its own with a
			// clear error, rather than the whole store refusing to start.
			c.log.Error("a compression dictionary in the database does not load: the documents compressed with it cannot be read",
				"id", d.id, "collection", d.collection, "err", err)
			continue
		}
		st := c.stateLocked(d.collection)
		st.ratio, st.dicts = d.ratio, st.dicts+1
	}
	c.stateMu.Unlock()
	rows, err = c.st.read.Query(`SELECT collection, COUNT(*) FROM docs
		WHERE collection NOT IN (SELECT collection FROM dicts WHERE length(dict) > 0) GROUP BY collection`)
	if err != nil {
		return err
	}
	sizes, err := readRows(rows, func(s *collectionSize) error { return rows.Scan(&s.collection, &s.n) })
	if err != nil {
		return err
	}
	c.upgrade(sizes)
	return nil
}

func (c *codec) close() {
	// Under stateMu, where maybeTrainLocked checks the context before it
	// adds to wg: no goroutine starts after the Wait below.
	c.stateMu.Lock()
	c.cancel()
	c.stateMu.Unlock()
	c.wg.Wait()
}

// dictEncoderOptions are those of a dictionary's encoder: zstd's fastest
// level (with a dictionary it stores a real text in 1.01× the bytes of
// the default level, in a third of the memory: 0.9 MB against 3.0), one
// encoder (writes take turns on the one writer connection anyway), a
// small window (dictMaxDoc).
func dictEncoderOptions(dict []byte) []zstd.EOption {
	return append(encoderOptions(), zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1),
		zstd.WithWindowSize(dictWindow), zstd.WithEncoderDict(dict))
}

// install makes the decoder of a dictionary and, if encode, makes it the
// collection's encoder.
func (c *codec) install(id uint32, collection string, dict []byte, encode bool) error {
	dec, err := zstd.NewReader(nil, append(decoderOptions(), zstd.WithDecoderDicts(dict))...)
	if err != nil {
		return fmt.Errorf("compression dictionary %d of %s: %w", id, collection, err)
	}
	var enc *zstd.Encoder
	if encode {
		if enc, err = zstd.NewWriter(nil, dictEncoderOptions(dict)...); err != nil {
			return fmt.Errorf("compression dictionary %d of %s: %w", id, collection, err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.dec[id]; !ok {
		c.dec[id] = dec
	}
	if enc != nil {
		c.enc[collection] = dictEncoder{id: id, enc: enc}
	}
	return nil
}

// pack is the stored form of a document of collection.
func (c *codec) pack(collection string, data []byte) []byte {
	if len(data) < compressMin {
		return data
	}
	c.mu.RLock()
	d := c.enc[collection]
	c.mu.RUnlock()
	if d.enc == nil || len(data) > dictMaxDoc {
		out := packWith(encoder, data)
		if d.enc == nil {
			c.note(collection, 0, 0)
		}
		return out
	}
	out := packWith(d.enc, data)
	c.note(collection, len(data), len(out))
	return out
}

// unpack is the JSON of a stored value: as it is, a frame made without a
// dictionary, or one made with the dictionary its header names.
func (c *codec) unpack(stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, zstdMagic) {
		return stored, nil
	}
	var h zstd.Header
	if err := h.Decode(stored); err != nil {
		return nil, fmt.Errorf("sqlitestore: stored document does not decompress: %w", err)
	}
	if h.DictionaryID == 0 {
		return unpackWith(decoder, stored)
	}
	c.mu.RLock()
	dec := c.dec[h.DictionaryID]
	c.mu.RUnlock()
	if dec == nil {
		var err error
		if dec, err = c.load(h.DictionaryID); err != nil {
			return nil, err
		}
	}
	return unpackWith(dec, stored)
}

// load reads a dictionary another process (or an earlier run) stored.
func (c *codec) load(id uint32) (*zstd.Decoder, error) {
	var collection string
	var dict []byte
	err := c.st.read.QueryRow("SELECT collection, dict FROM dicts WHERE id = ?", id).Scan(&collection, &dict)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: stored document needs compression dictionary %d, which the database does not hold", id)
	}
	if err != nil {
		return nil, err
	}
	if err := c.install(id, collection, dict, false); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.dec[id], nil
}

// dictOf is the id of the dictionary a stored value's frame was made
// with, 0 if none or if it is not a frame.
func dictOf(stored []byte) uint32 {
	var h zstd.Header
	if !bytes.HasPrefix(stored, zstdMagic) || h.Decode(stored) != nil {
		return 0
	}
	return h.DictionaryID
}
