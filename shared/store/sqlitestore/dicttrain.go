package sqlitestore

// Making a collection's compression dictionary (dict.go says why): when,
// from which documents, whether it is kept, and re-packing the documents
// stored before it.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/klauspost/compress/zstd"
)

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
	if err != nil {
		return 0, 0, err
	}
	c.mu.RLock()
	current := c.enc[collection].enc
	c.mu.RUnlock()
	c.stateMu.Lock()
	docs := c.stateLocked(collection).count
	c.stateMu.Unlock()
	if len(sample) < trainMin {
		// Too few documents a dictionary could serve (media chunks are
		// all larger than dictMaxDoc): record the refusal, so that the
		// next start does not read the sample again (see dictSchema).
		if current == nil {
			return 0, 0, c.store(ctx, newDictID(), collection, 0, docs, nil)
		}
		return 0, 0, nil
	}
	// The newest tenth is held out: the dictionary is judged on documents
	// it was not made from, as the writes to come will be.
	held := max(len(sample)/10, 20)
	dict, id, err := buildDict(sample[held:])
	if err != nil {
		return 0, 0, err
	}
	ratio, ok := worthIt(dict, sample[:held], current)
	if !ok {
		c.log.Info("a new compression dictionary would not save enough; none made", "collection", collection)
		if current == nil { // the first: record the refusal (see dictSchema)
			return 0, 0, c.store(ctx, id, collection, 0, docs, nil)
		}
		return 0, 0, nil
	}
	if err := c.store(ctx, id, collection, ratio, docs, dict); err != nil {
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

// store writes a dictionary (or, with an empty one, a refusal) into the
// dicts table.
func (c *codec) store(ctx context.Context, id uint32, collection string, ratio float64, docs int, dict []byte) error {
	return c.st.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO dicts (id, collection, ratio, docs, dict, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, collection, ratio, docs, append([]byte{}, dict...), c.st.now().UnixMicro())
		return err
	})
}

// sample reads, as JSON, up to trainSample of collection's newest
// documents (by when they were first written) worth compressing with a
// dictionary.
func (c *codec) sample(ctx context.Context, collection string) ([][]byte, error) {
	// A stored value is never longer than its JSON (pack keeps the JSON
	// when compressing does not shrink it), so the upper bound leaves out
	// no document a dictionary serves, and keeps large ones (media
	// chunks: 340 KB each) from being read at all.
	rows, err := c.st.read.QueryContext(ctx, `SELECT data FROM docs WHERE collection = ? AND length(data) BETWEEN ? AND ?
		ORDER BY rowid DESC LIMIT ?`, collection, compressMin/4, dictMaxDoc, trainSample)
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
	id := newDictID()
	dict, err := zstd.BuildDict(zstd.BuildDictOptions{ID: id, Contents: contents, History: history,
		Offsets: [3]int{1, 4, 8}, Level: zstd.SpeedFastest})
	return dict, id, err
}

// newDictID is a random dictionary id (the dicts table's key: a
// collision fails the insert, never reuses an id).
func newDictID() uint32 { return dictIDMin + rand.Uint32N(1<<31-dictIDMin) }

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
			if dictOf(r.old) != 0 || len(r.old) > dictMaxDoc {
				continue // packed with a dictionary, or too large for one
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
