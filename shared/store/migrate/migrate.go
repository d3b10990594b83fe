// Package migrate copies one store's whole contents into another — every
// document with its version, feed sequence and time, the change feed, and
// the Incr counters — and verifies the copy by counts and checksums.
//
// `zhengwu migrate` uses it to move an embedded (SQLite) deployment into
// MongoDB; `zhengwu backup` on MongoDB uses it to dump the database into
// an SQLite file, the archive's format; `zhengwu restore --mongodb-uri`
// copies that file back into MongoDB.
//
// Keeping sequences matters: the gateway keeps its feed checkpoint in the
// store, so the feed must go on from the same position with the same
// numbers, and a consumer that starts from 0 (a new search or list index)
// reads every document. Keeping versions keeps every compare-and-set and
// every version a client holds valid.
//
// A copy into a target that keeps checkpoints (Checkpoints: MongoDB) is
// resumable: the position reached in each collection is stored in the
// target after each batch, so a rerun after an interruption continues
// where the last batch ended. Writes are upserts by key, so a batch
// written again after a crash before its checkpoint duplicates nothing.
// The source's feed position when the copy began is stored too; every
// later run first copies what changed since (catch-up), so nothing written
// to the source between two runs is skipped either. A rerun of a finished
// copy of an unchanged source therefore writes nothing.
package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"zhengwu/shared/store"
)

// Source is a store whose whole contents can be listed.
type Source interface {
	store.Store
	// Collections lists the collections holding documents.
	Collections(ctx context.Context) ([]string, error)
	// Counters returns every Incr counter and its value.
	Counters(ctx context.Context) (map[string]int64, error)
}

// Target is a store that takes documents, feed entries and counters as
// another store holds them (sqlitestore and mongostore: their load.go).
type Target interface {
	Source
	// LoadDocs upserts documents verbatim; nil Data removes one.
	LoadDocs(ctx context.Context, docs []store.Doc) error
	// LoadFeed upserts feed entries under their own sequences and moves
	// the feed's sequence up to the highest.
	LoadFeed(ctx context.Context, changes []store.Change) error
	SetCounter(ctx context.Context, name string, value int64) error
}

// Checkpoints is a target that keeps the copy's state in itself, which
// makes the copy resumable and lets it tell its own earlier work from
// another deployment's data.
type Checkpoints interface {
	Meta(ctx context.Context, name string) ([]byte, error) // store.ErrNotFound if none
	SetMeta(ctx context.Context, name string, value []byte) error
	Empty(ctx context.Context) (bool, error)
}

// stateName is the target's record of the copy (Checkpoints.Meta).
const stateName = "migration"

// DefaultBatch is the documents read and written per step: a checkpoint
// per batch; small enough that a batch of media chunks (up to 340 KB
// each in JSON) stays well under the database's message size.
const DefaultBatch = 200

// Options tune a copy.
type Options struct {
	// Resume continues into a target that holds data this copy did not
	// put there (no state of this source). Without it such a target is
	// refused (ErrForeignTarget). The verification at the end still
	// fails if the foreign data stays.
	Resume bool
	// Progress receives one line per batch; nil prints nothing.
	Progress io.Writer
	// Verb starts each progress line ("migrate", "backup").
	Verb string
	// Batch is the documents per step; default DefaultBatch.
	Batch int
	// AfterBatch, if set, is called after each batch's checkpoint with
	// the documents written so far in this run (tests interrupt there).
	AfterBatch func(written int64)
	// Extra, if set, brings content kept outside the source's store into
	// the target (media kept on disk) and verifies it.
	Extra Extra
}

// ErrForeignTarget: the target holds data that is not this source's
// copy (another deployment's, or a copy without its state).
var ErrForeignTarget = errors.New("migrate: the target holds another deployment's data")

// state is what the target keeps of a copy.
type state struct {
	Source    string            `json:"source"`    // Fingerprint of the source
	Started   time.Time         `json:"started"`   // first run
	Before    int64             `json:"before"`    // the source's feed position when the copy began
	After     map[string]string `json:"after"`     // collection → last id copied
	Done      map[string]bool   `json:"done"`      // collections copied to their end
	CaughtUp  int64             `json:"caughtUp"`  // source changes up to here are in the target
	FeedSeq   int64             `json:"feedSeq"`   // feed entries up to here are in the target
	Completed time.Time         `json:"completed"` // verified at; zero until then
}

// Report says what a copy did and found.
type Report struct {
	Resumed     bool           // an earlier run's state was found and continued
	Written     int64          // documents written (or removed) in this run
	FeedSeq     int64          // the feed position the target holds
	Collections map[string]Sum // per collection, equal on both sides
	Counters    int            // Incr counters copied
	Extra       ExtraStats     // Options.Extra's content, equal on both sides
	ExtraCopied ExtraStats     // of which written in this run
}

// Copy copies src into dst and verifies the result. dst must be empty, or
// hold an earlier run's copy of src (when it keeps Checkpoints), or
// opt.Resume be set.
func Copy(ctx context.Context, src Source, dst Target, opt Options) (Report, error) {
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
	}
	if opt.Verb == "" {
		opt.Verb = "migrate"
	}
	c := &copier{src: src, dst: dst, opt: opt}
	c.cp, _ = dst.(Checkpoints)
	if err := c.begin(ctx); err != nil {
		return Report{}, err
	}
	if err := c.copyCollections(ctx); err != nil {
		return c.report, err
	}
	if err := c.catchUp(ctx); err != nil {
		return c.report, err
	}
	if err := c.copyCounters(ctx); err != nil {
		return c.report, err
	}
	if err := c.copyFeed(ctx); err != nil {
		return c.report, err
	}
	var skip func(collection, id string) bool
	if opt.Extra != nil {
		copied, err := opt.Extra.Copy(ctx, dst, func(n int) error { return c.wrote(ctx, n) }, c.progress)
		c.report.ExtraCopied = copied
		if err != nil {
			return c.report, err
		}
		skip = opt.Extra.Owns
	}
	sums, err := VerifyExcept(ctx, src, dst, c.st.CaughtUp, skip)
	if err == nil && opt.Extra != nil {
		c.report.Extra, err = opt.Extra.Verify(ctx, dst, c.progress)
	}
	if err != nil {
		// A source still being written (a running server renews its
		// leases every few seconds) cannot compare equal: say so, rather
		// than suggest the copy is damaged.
		if now, serr := src.LastSeq(ctx); serr == nil && now > c.st.CaughtUp {
			err = fmt.Errorf("%w; the source was written during the run (feed position %d → %d): stop its server and run again, which copies only the changes and verifies",
				err, c.st.CaughtUp, now)
		}
		return c.report, err
	}
	c.report.Collections, c.report.FeedSeq = sums, c.st.CaughtUp
	if c.st.Completed.IsZero() {
		c.st.Completed = time.Now().UTC()
	}
	return c.report, c.save(ctx)
}

type copier struct {
	src    Source
	dst    Target
	cp     Checkpoints // nil: the target keeps no state (a fresh file)
	opt    Options
	st     state
	report Report
}

// begin finds the state of an earlier run, or refuses a target holding
// someone else's data, or starts a new state.
func (c *copier) begin(ctx context.Context) error {
	fp, err := Fingerprint(ctx, c.src)
	if err != nil {
		return err
	}
	if c.cp != nil {
		raw, err := c.cp.Meta(ctx, stateName)
		switch {
		case err == nil:
			var st state
			if err := json.Unmarshal(raw, &st); err != nil {
				return fmt.Errorf("migrate: the target's migration state is unreadable: %w", err)
			}
			if st.Source != fp && !c.opt.Resume {
				return fmt.Errorf("%w: it holds a migration of source %s, this source is %s (give --resume to copy into it anyway)",
					ErrForeignTarget, st.Source, fp)
			}
			st.Source = fp
			c.st, c.report.Resumed = st, true
			c.progress("resuming the migration begun %s (feed position %d then)", st.Started.Format(time.RFC3339), st.Before)
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		empty, err := c.cp.Empty(ctx)
		if err != nil {
			return err
		}
		if !empty && !c.opt.Resume {
			return fmt.Errorf("%w: it holds documents but no migration state (give --resume to copy into it anyway)", ErrForeignTarget)
		}
	}
	before, err := c.src.LastSeq(ctx)
	if err != nil {
		return err
	}
	c.st = state{Source: fp, Started: time.Now().UTC(), Before: before, CaughtUp: before,
		After: map[string]string{}, Done: map[string]bool{}}
	return c.save(ctx)
}

func (c *copier) save(ctx context.Context) error {
	if c.cp == nil {
		return nil
	}
	raw, err := json.Marshal(c.st)
	if err != nil {
		return err
	}
	return c.cp.SetMeta(ctx, stateName, raw)
}

func (c *copier) progress(format string, args ...any) {
	if c.opt.Progress != nil {
		fmt.Fprintf(c.opt.Progress, c.opt.Verb+": "+format+"\n", args...)
	}
}

// wrote checkpoints a step and reports it.
func (c *copier) wrote(ctx context.Context, n int) error {
	c.report.Written += int64(n)
	if err := c.save(ctx); err != nil {
		return err
	}
	if c.opt.AfterBatch != nil {
		c.opt.AfterBatch(c.report.Written)
	}
	return ctx.Err()
}

// copyCollections copies every collection not yet done, each from its
// checkpoint, a batch at a time.
func (c *copier) copyCollections(ctx context.Context) error {
	names, err := c.src.Collections(ctx)
	if err != nil {
		return err
	}
	for i, name := range names {
		if c.st.Done[name] {
			continue
		}
		n := 0
		for {
			page, err := c.src.Scan(ctx, name, c.st.After[name], c.opt.Batch)
			if err != nil {
				return fmt.Errorf("migrate: read %s: %w", name, err)
			}
			if len(page) > 0 {
				if err := c.dst.LoadDocs(ctx, page); err != nil {
					return fmt.Errorf("migrate: write %s: %w", name, err)
				}
				c.st.After[name] = page[len(page)-1].ID
				n += len(page)
			}
			if len(page) < c.opt.Batch {
				c.st.Done[name] = true
			}
			c.progress("collection %d/%d %s: %d documents", i+1, len(names), name, n)
			if err := c.wrote(ctx, len(page)); err != nil {
				return err
			}
			if c.st.Done[name] {
				break
			}
		}
	}
	return nil
}

// catchUp copies the documents the source changed since the position the
// target is known to hold (a write during the copy, or between two runs):
// each at its current state, or removed. It ends when the source's feed
// has nothing more.
func (c *copier) catchUp(ctx context.Context) error {
	for {
		changes, err := c.src.Feed(ctx, c.st.CaughtUp, c.opt.Batch)
		if err != nil || len(changes) == 0 {
			return err
		}
		docs := make([]store.Doc, 0, len(changes))
		for _, ch := range changes {
			d, err := c.src.Get(ctx, ch.Collection, ch.ID)
			if errors.Is(err, store.ErrNotFound) {
				d = store.Doc{Collection: ch.Collection, ID: ch.ID} // nil Data: remove
			} else if err != nil {
				return err
			}
			docs = append(docs, d)
		}
		if err := c.dst.LoadDocs(ctx, dedupe(docs)); err != nil {
			return err
		}
		c.st.CaughtUp = changes[len(changes)-1].Seq
		c.progress("changes since the copy began: up to feed position %d", c.st.CaughtUp)
		if err := c.wrote(ctx, len(docs)); err != nil {
			return err
		}
	}
}

// dedupe keeps the last of several changes to one document in a batch
// (a bulk write naming a document twice is refused by some servers).
func dedupe(docs []store.Doc) []store.Doc {
	last := make(map[[2]string]int, len(docs))
	for i, d := range docs {
		last[[2]string{d.Collection, d.ID}] = i
	}
	out := docs[:0:0]
	for i, d := range docs {
		if last[[2]string{d.Collection, d.ID}] == i {
			out = append(out, d)
		}
	}
	return out
}

// copyCounters sets every Incr counter (cheap: a handful of them; set
// again on every run so that the latest values win).
func (c *copier) copyCounters(ctx context.Context) error {
	counters, err := c.src.Counters(ctx)
	if err != nil {
		return err
	}
	for name, v := range counters {
		if err := c.dst.SetCounter(ctx, name, v); err != nil {
			return err
		}
	}
	c.report.Counters = len(counters)
	return nil
}

// copyFeed copies the feed entries up to the position the documents were
// caught up to, with their own sequences.
func (c *copier) copyFeed(ctx context.Context) error {
	for c.st.FeedSeq < c.st.CaughtUp {
		changes, err := c.src.Feed(ctx, c.st.FeedSeq, 1000)
		if err != nil {
			return err
		}
		for i, ch := range changes {
			if ch.Seq > c.st.CaughtUp {
				changes = changes[:i]
				break
			}
		}
		if len(changes) == 0 {
			// The source's feed ends below the position (MongoDB's
			// feed stepping over an abandoned sequence): nothing more.
			c.st.FeedSeq = c.st.CaughtUp
			return c.save(ctx)
		}
		if err := c.dst.LoadFeed(ctx, changes); err != nil {
			return err
		}
		c.st.FeedSeq = changes[len(changes)-1].Seq
		c.progress("feed: %d of %d", c.st.FeedSeq, c.st.CaughtUp)
		if err := c.save(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Fingerprint names a deployment by the first entry of its feed (the
// first write it ever made, its time in milliseconds, which MongoDB keeps): the same for
// its backups and restores, different for any other deployment.
func Fingerprint(ctx context.Context, s store.Store) (string, error) {
	first, err := s.Feed(ctx, 0, 1)
	if err != nil {
		return "", err
	}
	if len(first) == 0 {
		return "empty", nil
	}
	f := first[0]
	h := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s\x00%d", f.Seq, f.Collection, f.ID, f.At.UnixMilli()))
	return hex.EncodeToString(h[:8]), nil
}
