package feed

import (
	"context"
	"fmt"
	"slices"

	"zhengwu/search/index"
)

// Report says what a Reconcile pass found and repaired.
type Report struct {
	Scanned int // store documents read
	Indexed int // index documents seen
	Missing int // in the store and projected, absent from the index
	Stale   int // indexed from another version, or no longer projected
	Orphans int // in the index, no longer in the store (or not one of Collections)
	// InFlight were written (or deleted) after the pass began: the
	// running consumer applies them from the feed, so they are not judged.
	InFlight int
}

// Repaired is the number of documents the pass re-indexed or deleted.
func (r Report) Repaired() int { return r.Missing + r.Stale + r.Orphans }

// reconcileChunk bounds how many entities one repair step reads and
// applies while holding the consumer's lock.
const reconcileChunk = 200

// Reconcile compares the whole index with the store and repairs every
// difference: it re-indexes documents that are missing or carry another
// version than the store's, and deletes documents whose entity is gone.
// It is the safety net under the feed (a bug, a lost index file, a
// tampered index): run it periodically and after restoring a backup. It
// reads every document of the Collections, so it costs a full scan.
//
// Differences are re-checked against the current state at repair time,
// under the same lock as Step, so a concurrent Run is never undone.
func (c *Consumer) Reconcile(ctx context.Context) (Report, error) {
	c.init()
	var rep Report
	// The index's position before its entries are read. A document whose
	// last write is later may differ from the index without any fault
	// (the consumer applies it in its turn, before or after the entries
	// are read): judging it counted live writes as repairs.
	since := c.Index.Checkpoint()
	indexed := map[string]index.Entry{}
	err := c.Index.Entries(ctx, func(e index.Entry) error {
		indexed[e.ID] = e
		return nil
	})
	if err != nil {
		return rep, err
	}
	rep.Indexed = len(indexed)

	var suspects []key
	flush := func(force bool) error {
		if len(suspects) == 0 || (!force && len(suspects) < reconcileChunk) {
			return nil
		}
		err := c.repair(ctx, suspects)
		suspects = suspects[:0]
		return err
	}
	for _, coll := range c.Collections {
		after := ""
		for {
			docs, err := c.Store.Scan(ctx, coll, after, c.BatchSize)
			if err != nil {
				return rep, fmt.Errorf("feed: reconcile scan %s: %w", coll, err)
			}
			for _, d := range docs {
				rep.Scanned++
				k := key{d.Collection, d.ID}
				e, inIndex := indexed[c.docID(k)]
				delete(indexed, c.docID(k))
				if d.Seq > since {
					rep.InFlight++
					continue
				}
				_, want := c.Project(d)
				switch {
				case want && !inIndex:
					rep.Missing++
				case inIndex && (!want || e.Version != d.Version || e.Collection != d.Collection):
					rep.Stale++
				default:
					continue
				}
				suspects = append(suspects, k)
				if err := flush(false); err != nil {
					return rep, err
				}
			}
			if len(docs) < c.BatchSize {
				break
			}
			after = docs[len(docs)-1].ID
		}
	}
	// What is left in the index matched no store document.
	orphans := make([]string, 0, len(indexed))
	for id := range indexed {
		orphans = append(orphans, id)
	}
	slices.Sort(orphans)
	orphans, err = c.notDeletedSince(ctx, since, orphans, &rep)
	if err != nil {
		return rep, err
	}
	for _, id := range orphans {
		rep.Orphans++
		k, ok := c.entity(indexed[id])
		if !ok || !slices.Contains(c.Collections, k.collection) {
			// Not ours at all: current() would look in the wrong place.
			if err := c.deleteOrphan(id); err != nil {
				return rep, err
			}
			continue
		}
		suspects = append(suspects, k)
		if err := flush(false); err != nil {
			return rep, err
		}
	}
	if err := flush(true); err != nil {
		return rep, err
	}
	c.repaired.Add(int64(rep.Repaired()))
	c.passes.Add(1)
	if rep.Repaired() > 0 {
		c.Logger.Warn("reconciliation repaired the index", "index", c.Index.Name(),
			"missing", rep.Missing, "stale", rep.Stale, "orphans", rep.Orphans)
	}
	return rep, nil
}

// repair re-reads the suspects' current state and applies it, without
// moving the checkpoint.
func (c *Consumer) repair(ctx context.Context, keys []key) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := c.current(ctx, keys)
	if err != nil {
		return err
	}
	return c.applyBatch(b)
}

func (c *Consumer) deleteOrphan(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applyBatch(index.Batch{Deletes: []string{id}})
}

// notDeletedSince drops from the orphan candidates (index document ids)
// those the feed changed after since: deleted during the pass, they are the consumer's to apply.
func (c *Consumer) notDeletedSince(ctx context.Context, since int64, ids []string, rep *Report) ([]string, error) {
	if len(ids) == 0 {
		return ids, nil
	}
	last, err := c.Store.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	changed := map[string]bool{}
	for after := since; after < last; {
		page, err := c.Store.Feed(ctx, after, c.BatchSize)
		if err != nil {
			return nil, fmt.Errorf("feed: reconcile: %w", err)
		}
		if len(page) == 0 {
			break
		}
		for _, ch := range page {
			changed[c.docID(key{ch.Collection, ch.ID})] = true
		}
		after = page[len(page)-1].Seq
	}
	kept := ids[:0]
	for _, id := range ids {
		if changed[id] {
			rep.InFlight++
			continue
		}
		kept = append(kept, id)
	}
	return kept, nil
}
