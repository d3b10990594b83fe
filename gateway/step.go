package gateway

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// Step applies at most one batch of feed entries after the checkpoint and
// reports how many it consumed (0: caught up).
//
// A step decides its whole batch first (reads only), writes the audit
// entries of those decisions in one batch (decided), then carries them
// out. The checkpoint is written in the same step as the batch's effects,
// after them (see the package comment for why that order is safe). The
// gateway's own writes (portal documents, audit entries, the checkpoint
// itself) are feed entries too; a batch of only those moves the position
// in memory and is written at most every persistEvery sequences, or the
// checkpoint write would itself be the next batch, forever.
func (g *Gateway) Step(ctx context.Context) (int, error) {
	if g.portal == nil {
		return 0, errors.New("gateway: no Portal")
	}
	return g.follow.Step(ctx)
}

// position is the follower's Checkpoint, under g.mu: the position in
// memory, unless the stored checkpoint is ahead of it or was reset by a
// Resync (its generation changed).
func (g *Gateway) position(ctx context.Context) (int64, error) {
	stored, version, err := g.loadCheckpoint(ctx)
	if err != nil {
		return 0, err
	}
	if stored.Gen != g.memGen || g.memCp < stored.Seq {
		g.memCp, g.memGen = stored.Seq, stored.Gen // first step, or a Resync
	}
	g.stored, g.storedVersion = stored, version
	return g.memCp, nil
}

// applyChanges is the follower's Apply, under g.mu, right after position:
// one batch of Step.
func (g *Gateway) applyChanges(ctx context.Context, changes []store.Change) error {
	stored, version := g.stored, g.storedVersion
	seen := make(map[string]bool, len(changes))
	var ids []string
	for _, ch := range changes {
		if ch.Collection != InfoCollection || seen[ch.ID] {
			continue
		}
		// An item changed several times in the batch is read once: its
		// current state covers all of those changes.
		seen[ch.ID] = true
		ids = append(ids, ch.ID)
	}
	// Phase 1: decide every item (reads only); then write the audit
	// entries of its crossings and refusals ahead of any effect.
	ds, err := g.decideAll(ctx, ids)
	if err != nil {
		return err
	}
	if g.replaying.Load() {
		if err := g.skipDone(ctx, ds); err != nil {
			return err
		}
	}
	var t tally
	if err := g.decided(ctx, ds, &t); err != nil {
		return err // nothing was imported: the batch is retried
	}
	// Phase 2: carry the decisions out.
	err = g.carryAll(ctx, ds, &t)
	if cerr := g.addCounters(ctx, t); err == nil { // what was done stays counted
		err = cerr
	}
	if err != nil {
		return err
	}
	g.replaying.Store(false)
	last := changes[len(changes)-1].Seq
	g.memCp = last
	if len(ids) > 0 || last-stored.Seq >= persistEvery {
		next := checkpoint{Seq: last, Gen: stored.Gen, At: g.now().UTC()}
		err := g.saveCheckpoint(ctx, next, version)
		if errors.Is(err, store.ErrConflict) {
			// A Resync (or a second gateway) moved it meanwhile: the next
			// step starts from what is stored now.
			g.memGen = -1
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// skipDone marks the crossings of a replayed batch that the portal
// already shows as done: they are carried out again (a no-op) but not
// audited or counted again. A crossing audited by the predecessor whose
// import it never made (it died between the two) is audited again: the
// trail then shows the decision twice, and the portal the item once.
func (g *Gateway) skipDone(ctx context.Context, ds []decision) error {
	return g.parallel(len(ds), &tally{}, func(i int, _ *tally) error {
		d := &ds[i]
		if !d.allowed || !d.audited {
			return nil
		}
		current, err := g.portal.ImportIsCurrent(ctx, importOf(d.it))
		if err != nil {
			return fmt.Errorf("gateway: item %s: %w", d.id, err)
		}
		d.done = current
		return nil
	})
}

// saveCheckpoint writes the checkpoint expecting version; in a lease term
// together with the term's fence, so that a holder that lost its lease
// (paused past its expiry) cannot move the checkpoint once a newer holder
// has: lease.ErrFenced, or store.ErrConflict if the newer one wrote
// between the fence's read and this write.
func (g *Gateway) saveCheckpoint(ctx context.Context, cp checkpoint, version int64) error {
	token := g.token.Load()
	if token == 0 {
		_, err := store.Save(ctx, g.office, StateCollection, checkpointID, cp, version)
		return err
	}
	fence, err := lease.Fence(ctx, g.office, LeaseName, token)
	if err != nil {
		return err
	}
	data, err := store.Encode(cp)
	if err != nil {
		return err
	}
	_, err = g.office.PutAll(ctx, []store.Write{fence, {Collection: StateCollection, ID: checkpointID, Data: data, ExpectVersion: version}})
	return err
}

// parallel runs f(i) for i in [0, n) with a few workers: a step's items
// are distinct, so their order does not matter, and the store's reads and
// writes overlap the decoding, sanitising and hashing around them. Each
// worker has its own tally, added to t at the end. The first error stops
// the others (the step fails; the checkpoint does not move and the batch
// is retried).
func (g *Gateway) parallel(n int, t *tally, f func(i int, t *tally) error) error {
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  atomic.Int64
	)
	for range min(g.workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine tally
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					break
				}
				if err := f(i, &mine); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					next.Store(int64(n)) // stop the others
					break
				}
			}
			mu.Lock()
			t.add(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return first
}

// decideAll decides the items from their current state, concurrently,
// without writing anything; the decisions are in the order of ids.
func (g *Gateway) decideAll(ctx context.Context, ids []string) ([]decision, error) {
	ds := make([]decision, len(ids))
	err := g.parallel(len(ids), &tally{}, func(i int, _ *tally) error {
		d, err := g.decide(ctx, ids[i])
		if err != nil {
			return fmt.Errorf("gateway: item %s: %w", ids[i], err)
		}
		ds[i] = d
		return nil
	})
	return ds, err
}

// carryAll carries out a feed step's decisions (imports, withdrawals, due
// entries) concurrently, after decided has audited them.
func (g *Gateway) carryAll(ctx context.Context, ds []decision, t *tally) error {
	return g.parallel(len(ds), t, func(i int, t *tally) error {
		if err := g.carry(ctx, ds[i], false, t); err != nil {
			return fmt.Errorf("gateway: item %s: %w", ds[i].id, err)
		}
		return nil
	})
}

// tally counts one step's decisions; added to the stored counters at the
// end of the step (one write each instead of one per item).
type tally struct{ crossed, refused, withdrawn, ignored int64 }

func (t *tally) add(o tally) {
	t.crossed += o.crossed
	t.refused += o.refused
	t.withdrawn += o.withdrawn
	t.ignored += o.ignored
}

func (g *Gateway) addCounters(ctx context.Context, t tally) error {
	for _, c := range []struct {
		name string
		n    int64
	}{{counterCrossed, t.crossed}, {counterRefused, t.refused}, {counterWithdrawn, t.withdrawn}, {counterIgnored, t.ignored}} {
		if c.n == 0 {
			continue
		}
		if _, err := g.office.Incr(ctx, c.name, c.n); err != nil {
			return err
		}
	}
	return nil
}
