package sqlitestore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

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
// JSON (Scan) and so never needs them.

const dictSchema = `
CREATE TABLE IF NOT EXISTS dicts (
	id         INTEGER PRIMARY KEY,
	collection TEXT NOT NULL UNIQUE,
	dict       BLOB NOT NULL,
	created_at INTEGER NOT NULL
);`

const (
	// dictHistory is the dictionary's content: 32 KB took a real text to
	// 0.87× and a load-test item to 0.29× (at zstd's default level); 64 KB
	// gained 1 % more on real text.
	dictHistory = 32 << 10
	// trainSample documents are read to make a dictionary.
	trainSample = 1000
	// dictGain: a dictionary is kept only if it stores the sample in at
	// most this share of the bytes it takes without one.
	dictGain = 0.95
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
// Open, plus writes since) before a dictionary is made for it. Variables
// so that tests can lower them.
var trainAt = 1000

// trainMin documents of the sample at least must be worth compressing.
var trainMin = 200

// codec packs and unpacks a store's documents: with its collection's
// dictionary when there is one, else with the shared dictionary-less
// encoder (compress.go).
type codec struct {
	st  *Store
	log *slog.Logger

	mu  sync.RWMutex
	enc map[string]*zstd.Encoder // by collection
	dec map[uint32]*zstd.Decoder // by dictionary id

	// count is, per collection without a dictionary, its documents at Open
	// plus the writes since (an update counts again: the trigger only needs
	// to come eventually); tried marks a collection whose dictionary was
	// made or refused by this process.
	countMu sync.Mutex
	count   map[string]int
	tried   map[string]bool

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	train  sync.Mutex // one dictionary at a time
}

func newCodec(st *Store, log *slog.Logger) *codec {
	ctx, cancel := context.WithCancel(context.Background())
	return &codec{st: st, log: log, enc: map[string]*zstd.Encoder{}, dec: map[uint32]*zstd.Decoder{},
		count: map[string]int{}, tried: map[string]bool{}, ctx: ctx, cancel: cancel}
}

// open loads the stored dictionaries and starts making one for each
// collection that has grown enough without (a database from before this
// change, or one whose process stopped while making it).
func (c *codec) open() error {
	rows, err := c.st.read.Query("SELECT id, collection, dict FROM dicts")
	if err != nil {
		return fmt.Errorf("read the compression dictionaries: %w", err)
	}
	type stored struct {
		id         uint32
		collection string
		dict       []byte
	}
	list, err := readRows(rows, func(d *stored) error { return rows.Scan(&d.id, &d.collection, &d.dict) })
	if err != nil {
		return fmt.Errorf("read the compression dictionaries: %w", err)
	}
	for _, d := range list {
		if err := c.install(d.id, d.collection, d.dict); err != nil {
			return err
		}
	}
	rows, err = c.st.read.Query(`SELECT collection, COUNT(*) FROM docs
		WHERE collection NOT IN (SELECT collection FROM dicts) GROUP BY collection`)
	if err != nil {
		return err
	}
	type size struct {
		collection string
		n          int
	}
	sizes, err := readRows(rows, func(s *size) error { return rows.Scan(&s.collection, &s.n) })
	if err != nil {
		return err
	}
	c.countMu.Lock()
	defer c.countMu.Unlock()
	for _, s := range sizes {
		c.count[s.collection] = s.n
		c.maybeTrainLocked(s.collection)
	}
	return nil
}

// close stops a dictionary being made or documents being re-packed, and
// waits for them.
func (c *codec) close() {
	c.cancel()
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

// install makes the encoder and decoder of a dictionary.
func (c *codec) install(id uint32, collection string, dict []byte) error {
	enc, err := zstd.NewWriter(nil, dictEncoderOptions(dict)...)
	if err != nil {
		return fmt.Errorf("compression dictionary %d of %s: %w", id, collection, err)
	}
	dec, err := zstd.NewReader(nil, append(decoderOptions(), zstd.WithDecoderDicts(dict))...)
	if err != nil {
		return fmt.Errorf("compression dictionary %d of %s: %w", id, collection, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.dec[id]; ok {
		return nil
	}
	c.enc[collection], c.dec[id] = enc, dec
	return nil
}

// pack is the stored form of a document of collection.
func (c *codec) pack(collection string, data []byte) []byte {
	if len(data) < compressMin {
		return data
	}
	c.mu.RLock()
	enc := c.enc[collection]
	c.mu.RUnlock()
	if enc == nil {
		c.noteWrite(collection)
		return packWith(encoder, data)
	}
	if len(data) > dictMaxDoc {
		return packWith(encoder, data)
	}
	return packWith(enc, data)
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
	if err := c.install(id, collection, dict); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.dec[id], nil
}

// noteWrite counts a write of a collection without a dictionary.
func (c *codec) noteWrite(collection string) {
	c.countMu.Lock()
	defer c.countMu.Unlock()
	c.count[collection]++
	c.maybeTrainLocked(collection)
}

// maybeTrainLocked starts making collection's dictionary once it is large
// enough, once per process. countMu is held.
func (c *codec) maybeTrainLocked(collection string) {
	if c.tried[collection] || c.count[collection] < trainAt || c.ctx.Err() != nil {
		return
	}
	c.tried[collection] = true
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		if err := c.makeDict(c.ctx, collection); err != nil && c.ctx.Err() == nil {
			c.log.Warn("could not make a compression dictionary; the collection's documents stay compressed without one",
				"collection", collection, "err", err)
		}
	}()
}

// makeDict makes, stores and installs collection's dictionary from a
// sample of its documents, then re-packs the documents written before.
func (c *codec) makeDict(ctx context.Context, collection string) error {
	c.train.Lock()
	defer c.train.Unlock()
	sample, err := c.sample(ctx, collection)
	if err != nil || len(sample) < trainMin {
		return err
	}
	dict, id, err := buildDict(sample)
	if err != nil {
		return err
	}
	if !worthIt(dict, sample) {
		c.log.Info("a compression dictionary would not save enough; none made", "collection", collection)
		return nil
	}
	if err := c.st.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dicts (id, collection, dict, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, id, collection, dict, c.st.now().UnixMicro())
		return err
	}); err != nil {
		return err
	}
	// Another process may have stored one first: use whichever is stored.
	if err := c.st.write.QueryRowContext(ctx, "SELECT id, dict FROM dicts WHERE collection = ?", collection).Scan(&id, &dict); err != nil {
		return err
	}
	if err := c.install(id, collection, dict); err != nil {
		return err
	}
	return c.repack(ctx, collection, id)
}

// sample reads up to trainSample of collection's documents worth
// compressing with a dictionary, as JSON.
func (c *codec) sample(ctx context.Context, collection string) ([][]byte, error) {
	rows, err := c.st.read.QueryContext(ctx, `SELECT data FROM docs WHERE collection = ? AND length(data) >= ?
		ORDER BY id DESC LIMIT ?`, collection, compressMin/4, trainSample)
	if err != nil {
		return nil, err
	}
	list, err := readRows(rows, func(b *[]byte) error { return rows.Scan(b) })
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, stored := range list {
		data, err := c.unpack(stored)
		if err != nil {
			return nil, err
		}
		if len(data) >= compressMin && len(data) <= dictMaxDoc {
			out = append(out, data)
		}
	}
	return out, nil
}

// buildDict makes a dictionary whose content is the last dictHistory
// bytes of the sample, with entropy tables from the whole sample, under a
// random id (two processes making one at once each pick their own; the
// first stored wins).
func buildDict(sample [][]byte) ([]byte, uint32, error) {
	var history []byte
	for i := len(sample) - 1; i >= 0 && len(history) < dictHistory; i-- {
		history = append(sample[i][:len(sample[i]):len(sample[i])], history...)
	}
	history = history[max(0, len(history)-dictHistory):]
	contents := make([][]byte, len(sample))
	for i, s := range sample {
		// BuildDict fails on a content above a zstd block (128 KB; a
		// sample's documents are at most dictMaxDoc now); the statistics
		// need no more than the start of a long document.
		contents[i] = s[:min(len(s), 16<<10)]
	}
	id := dictIDMin + rand.Uint32N(1<<31-dictIDMin)
	dict, err := zstd.BuildDict(zstd.BuildDictOptions{ID: id, Contents: contents, History: history,
		Offsets: [3]int{1, 4, 8}, Level: zstd.SpeedFastest})
	return dict, id, err
}

// worthIt tells whether dict stores the sample in at most dictGain of
// the bytes it takes without.
func worthIt(dict []byte, sample [][]byte) bool {
	enc, err := zstd.NewWriter(nil, dictEncoderOptions(dict)...)
	if err != nil {
		return false
	}
	defer enc.Close()
	var with, without int
	var buf []byte
	for _, s := range sample {
		with += len(enc.EncodeAll(s, buf[:0]))
		without += len(encoder.EncodeAll(s, buf[:0]))
	}
	return float64(with) <= dictGain*float64(without)
}

// repack re-compresses, with the dictionary id, the documents of the
// collection stored without it, in batches. A document is rewritten only
// if its stored bytes are still those read (a write in between already
// packed it anew) and the new form is smaller; its JSON, version and feed
// sequence are unchanged, so no feed entry is made.
func (c *codec) repack(ctx context.Context, collection string, id uint32) error {
	start := time.Now()
	var docs, before, after int
	for afterID := ""; ; {
		rows, err := c.st.read.QueryContext(ctx, `SELECT id, data FROM docs WHERE collection = ? AND id > ?
			ORDER BY id LIMIT ?`, collection, afterID, repackBatch)
		if err != nil {
			return err
		}
		type row struct {
			id         string
			old, fresh []byte
		}
		batch, err := readRows(rows, func(r *row) error { return rows.Scan(&r.id, &r.old) })
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		afterID = batch[len(batch)-1].id
		todo := batch[:0]
		for _, r := range batch {
			if usesDict(r.old, id) {
				continue
			}
			data, err := c.unpack(r.old)
			if err != nil {
				return err
			}
			if r.fresh = c.pack(collection, data); len(r.fresh) < len(r.old) {
				todo = append(todo, r)
			}
		}
		if len(todo) == 0 {
			continue
		}
		err = c.st.inTx(ctx, func(tx *txn) error {
			for _, r := range todo {
				if _, err := tx.ExecContext(ctx, "UPDATE docs SET data = ? WHERE collection = ? AND id = ? AND data = ?",
					r.fresh, collection, r.id, r.old); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range todo {
			docs, before, after = docs+1, before+len(r.old), after+len(r.fresh)
		}
	}
	c.log.Info("compressed a collection's documents with its new dictionary", "collection", collection,
		"documents", docs, "bytes_before", before, "bytes_after", after, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// usesDict tells whether a stored value is a frame made with dictionary id.
func usesDict(stored []byte, id uint32) bool {
	var h zstd.Header
	return bytes.HasPrefix(stored, zstdMagic) && h.Decode(stored) == nil && h.DictionaryID == id
}
