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
	collection TEXT NOT NULL,
	ratio      REAL NOT NULL,
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
var trainAt = 1000

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
	rows, err := c.st.read.Query("SELECT id, collection, ratio, dict FROM dicts ORDER BY created_at, id")
	if err != nil {
		return fmt.Errorf("read the compression dictionaries: %w", err)
	}
	type stored struct {
		id         uint32
		collection string
		ratio      float64
		dict       []byte
	}
	list, err := readRows(rows, func(d *stored) error { return rows.Scan(&d.id, &d.collection, &d.ratio, &d.dict) })
	if err != nil {
		return fmt.Errorf("read the compression dictionaries: %w", err)
	}
	c.stateMu.Lock()
	for _, d := range list { // oldest first: the newest ends as the encoder
		if err := c.install(d.id, d.collection, d.dict, true); err != nil {
			return err
		}
		st := c.stateLocked(d.collection)
		st.ratio, st.dicts = d.ratio, st.dicts+1
	}
	c.stateMu.Unlock()
	rows, err = c.st.read.Query(`SELECT collection, COUNT(*) FROM docs
		WHERE collection NOT IN (SELECT collection FROM dicts) GROUP BY collection`)
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

// collectionSize is how many documents a collection holds.
type collectionSize struct {
	collection string
	n          int
}

// upgrade makes, before the store is used, the dictionaries of the
// collections that are large enough without one (a database written
// before dictionaries, once), re-packs their documents and, when that
// freed a quarter of the file, compacts it: re-packed rows shrink in
// place, and the space they leave inside their pages is not reused by
// new rows, which go at the table's end. A database of 20,000 load-test
// items: 2.5 s in all, 22.1 → 8.0 MB. A failure is logged, not returned:
// the documents stay as they were, readable.
func (c *codec) upgrade(sizes []collectionSize) {
	saved := 0
	for _, s := range sizes {
		c.stateMu.Lock()
		st := c.stateLocked(s.collection)
		st.count = s.n
		due := st.dicts == 0 && st.count >= st.next
		if due {
			st.training = true
		}
		c.stateMu.Unlock()
		if !due {
			continue
		}
		ratio, freed, err := c.makeDict(c.ctx, s.collection)
		if err != nil {
			c.log.Warn("could not make a compression dictionary; the collection's documents stay compressed as they are",
				"collection", s.collection, "err", err)
		}
		c.trained(s.collection, ratio)
		saved += freed
	}
	var size int
	if err := c.st.write.QueryRow("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&size); err != nil || saved < size/4 {
		return
	}
	start := time.Now()
	if _, err := c.st.write.Exec("VACUUM"); err != nil {
		c.log.Warn("re-compressed documents but could not compact the database; run VACUUM while the server is stopped", "err", err)
		return
	}
	c.log.Info("compacted the database after re-compressing its documents (once, on upgrade)", "freed_bytes", saved,
		"took", time.Since(start).Round(time.Millisecond))
}

// trained records the end of making a dictionary for collection: ratio is
// what it achieved, 0 if none was made.
func (c *codec) trained(collection string, ratio float64) {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	st := c.stateLocked(collection)
	st.training = false
	if ratio == 0 {
		st.next = 2 * st.count // none made: try again when it has doubled
		return
	}
	st.ratio, st.dicts = ratio, st.dicts+1
	st.in, st.out, st.writes = 0, 0, 0
}

// close stops a dictionary being made or documents being re-packed, and
// waits for them.
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

// note counts a write of collection: without its dictionary (in = 0:
// there is none yet) or with it, in bytes packed into out.
func (c *codec) note(collection string, in, out int) {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	st := c.stateLocked(collection)
	if in == 0 {
		st.count++
	} else {
		st.in, st.out, st.writes = st.in+in, st.out+out, st.writes+1
	}
	c.maybeTrainLocked(collection)
}

// maybeTrainLocked starts making a dictionary for collection when it has
// grown enough without one, or when its writes compress much worse than
// its dictionary did on its sample. stateMu is held.
func (c *codec) maybeTrainLocked(collection string) {
	st := c.stateLocked(collection)
	if st.training || c.ctx.Err() != nil {
		return
	}
	switch {
	case st.dicts == 0 && st.count >= st.next:
	case st.dicts > 0 && st.writes >= trainAt:
		drifted := float64(st.out) > driftLimit*st.ratio*float64(st.in)
		st.in, st.out, st.writes = 0, 0, 0
		if !drifted || st.dicts >= maxDicts {
			return
		}
	default:
		return
	}
	st.training = true
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ratio, _, err := c.makeDict(c.ctx, collection)
		if err != nil && c.ctx.Err() == nil {
			c.log.Warn("could not make a compression dictionary; the collection's documents stay compressed as they are",
				"collection", collection, "err", err)
		}
		c.trained(collection, ratio)
	}()
}

// makeDict makes, stores and installs a dictionary for collection from
// its newest documents, then re-packs the documents stored without any.
// It returns the dictionary's ratio on the held-out documents (0 if none
// was made) and the bytes the re-pack saved.
func (c *codec) makeDict(ctx context.Context, collection string) (float64, int, error) {
	c.train.Lock()
	defer c.train.Unlock()
	sample, err := c.sample(ctx, collection)
	if err != nil || len(sample) < trainMin {
		return 0, 0, err
	}
	// The newest tenth is held out: the dictionary is judged on documents
	// it was not made from, as the writes to come will be.
	held := max(len(sample)/10, 20)
	dict, id, err := buildDict(sample[held:])
	if err != nil {
		return 0, 0, err
	}
	c.mu.RLock()
	current := c.enc[collection].enc
	c.mu.RUnlock()
	ratio, ok := worthIt(dict, sample[:held], current)
	if !ok {
		c.log.Info("a new compression dictionary would not save enough; none made", "collection", collection)
		return 0, 0, nil
	}
	if err := c.st.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dicts (id, collection, ratio, dict, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, collection, ratio, dict, c.st.now().UnixMicro())
		return err
	}); err != nil {
		return 0, 0, err
	}
	if err := c.install(id, collection, dict, true); err != nil {
		return 0, 0, err
	}
	c.log.Info("made a compression dictionary", "collection", collection, "id", id, "sample", len(sample),
		"ratio", fmt.Sprintf("%.3f", ratio))
	saved, err := c.repack(ctx, collection)
	return ratio, saved, err
}

// sample reads, as JSON, up to trainSample of collection's newest
// documents (by when they were first written) worth compressing with a
// dictionary.
func (c *codec) sample(ctx context.Context, collection string) ([][]byte, error) {
	rows, err := c.st.read.QueryContext(ctx, `SELECT data FROM docs WHERE collection = ? AND length(data) >= ?
		ORDER BY rowid DESC LIMIT ?`, collection, compressMin/4, trainSample)
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

// buildDict makes a dictionary whose content is the newest documents of
// the sample (newest first), up to dictHistory bytes with the newest at
// its end, with entropy tables from the whole sample, under a random id
// (two processes making one at once each store their own; either
// decodes what the other wrote).
func buildDict(sample [][]byte) ([]byte, uint32, error) {
	var history []byte
	for i := 0; i < len(sample) && len(history) < dictHistory; i++ {
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

// worthIt is the share of the held-out documents' bytes dict stores them
// in, and whether that is at most dictGain of what they take without (or
// with current, the collection's dictionary, if not nil).
func worthIt(dict []byte, held [][]byte, current *zstd.Encoder) (float64, bool) {
	enc, err := zstd.NewWriter(nil, dictEncoderOptions(dict)...)
	if err != nil {
		return 0, false
	}
	defer enc.Close()
	if current == nil {
		current = encoder
	}
	var raw, with, without int
	var buf []byte
	for _, s := range held {
		raw += len(s)
		with += len(enc.EncodeAll(s, buf[:0]))
		without += len(current.EncodeAll(s, buf[:0]))
	}
	return float64(with) / float64(raw), float64(with) <= dictGain*float64(without)
}

// repack re-compresses, with the collection's newest dictionary, its
// documents stored without any, in batches (one stored with an older
// dictionary is left as it is until its next write). A document is rewritten only
// if its stored bytes are still those read (a write in between already
// packed it anew) and the new form is smaller; its JSON, version and feed
// sequence are unchanged, so no feed entry is made.
func (c *codec) repack(ctx context.Context, collection string) (int, error) {
	start := time.Now()
	var docs, before, after int
	for afterID := ""; ; {
		rows, err := c.st.read.QueryContext(ctx, `SELECT id, data FROM docs WHERE collection = ? AND id > ?
			ORDER BY id LIMIT ?`, collection, afterID, repackBatch)
		if err != nil {
			return 0, err
		}
		type row struct {
			id         string
			old, fresh []byte
		}
		batch, err := readRows(rows, func(r *row) error { return rows.Scan(&r.id, &r.old) })
		if err != nil {
			return 0, err
		}
		if len(batch) == 0 {
			break
		}
		afterID = batch[len(batch)-1].id
		todo := batch[:0]
		for _, r := range batch {
			if dictOf(r.old) != 0 {
				continue
			}
			data, err := c.unpack(r.old)
			if err != nil {
				return 0, err
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
			return 0, err
		}
		for _, r := range todo {
			docs, before, after = docs+1, before+len(r.old), after+len(r.fresh)
		}
	}
	c.log.Info("compressed a collection's documents stored without a dictionary with its new one", "collection", collection,
		"documents", docs, "bytes_before", before, "bytes_after", after, "took", time.Since(start).Round(time.Millisecond))
	return before - after, nil
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
