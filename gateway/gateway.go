// Package gateway is the one-way data gateway from the office store to
// the portal (docs/info-gateway.md): it consumes the office change feed
// (collection info_items) and moves the items the departments designated
// and the office approved for the portal, under the release policy
// (policy.go), into the CMS through its service layer (content.Import).
//
// How it stays exactly right:
//   - It reads the feed from a durable checkpoint (gateway_state/checkpoint
//     in the office store), then reads each changed item's CURRENT state and
//     decides on that, never on the change itself.
//   - Its effects are idempotent: Import keyed by source id + source
//     revision publishes nothing new for a revision already live, and
//     WithdrawImport of a copy already taken back changes nothing; one
//     source id maps to one portal document (created with a create-only
//     put), so no replay or race can make two.
//   - The checkpoint is written after the batch's effects. A crash between
//     the effects and the checkpoint replays the batch on restart, which is
//     harmless by the point above; a crash before the effects loses
//     nothing, since the checkpoint has not moved. So "effects, then
//     checkpoint" is as good as one transaction here, and the gateway needs
//     no transaction spanning the office and the portal stores.
//   - The audit is written ahead: a feed step first decides every item of
//     its batch (no portal writes), writes the audit entries of all its
//     crossings and refusals in one batch, and only then imports and
//     withdraws. No crossing reaches the portal without its audit entry
//     already written (see decided).
//   - Reconcile re-decides every item from a scan (and withdraws copies
//     whose source is gone), repairing anything a bug or an operator's
//     hand left behind.
//
// Embargoes: an item refused only because of its embargo is put on a due
// list (collection gateway_due, one small document per item), and Run
// re-decides it when the embargo ends. The due list survives restarts;
// Reconcile would also catch it.
//
// Audit: every decision on a changed item that was meant for the portal
// (audience portal, or designated/approved) is audited by Run: action
// gateway.cross or gateway.refuse, Reason the rule. A withdrawal of a
// portal copy is audited as gateway.withdraw. Items never meant for the
// portal (a department's drafts) are counted as ignored, not audited.
// Reconcile audits only what it changes. A feed step writes its crossing
// and refusal entries in one batch before any of its imports (write-ahead,
// see decided); an import the portal then rejects gets a follow-up
// gateway.refuse entry (rule portal_rejected) at once.
package gateway

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/shared/audit"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
)

// Collections and counters the gateway owns (in the office store).
const (
	StateCollection = "gateway_state"
	// LeaseName is the gateway's lease (Deps.Leases).
	LeaseName     = "gateway"
	DueCollection = "gateway_due"
	checkpointID  = "checkpoint"

	counterCrossed   = "gateway.crossed"
	counterRefused   = "gateway.refused"
	counterWithdrawn = "gateway.withdrawn"
	counterIgnored   = "gateway.ignored"
)

// Audit actions.
const (
	ActionCross    = "gateway.cross"
	ActionRefuse   = "gateway.refuse"
	ActionWithdraw = "gateway.withdraw"
)

// Actor is the audit actor of the gateway.
const Actor = "gateway"

// Defaults. The batch and the poll are the feed follower's (the follower
// applies them when Deps leaves them zero).
const (
	DefaultBatchSize = store.DefaultFollowBatch
	DefaultInterval  = store.DefaultFollowInterval
	DefaultWorkers   = 4
	// persistEvery: when only other collections changed, the checkpoint is
	// written at most this often (in feed sequences); see Step.
	persistEvery = 2000
)

// Portal is what the gateway needs of the CMS (content.Service has it).
type Portal interface {
	Import(ctx context.Context, in content.ImportInput) (content.View, bool, error)
	WithdrawImport(ctx context.Context, sourceID, reason string) (bool, error)
	// ImportIsCurrent: importing in would change nothing (asked of a
	// replayed batch only; see replaying).
	ImportIsCurrent(ctx context.Context, in content.ImportInput) (bool, error)
}

// Deps are the gateway's dependencies.
type Deps struct {
	Office store.Store // info_items, the feed, the checkpoint and counters
	// PortalStore holds cms_imports (for Reconcile's orphan pass); default
	// Office (the embedded default runs one store).
	PortalStore store.Store
	Portal      Portal // nil: Status and Resync only
	Trail       *audit.Trail
	Channels    *channel.Tree
	Now         func() time.Time
	Logger      *slog.Logger
	// Leases, if set, makes Run a singleton among processes: it runs only
	// while this process holds the lease LeaseName (a standby takes over
	// within TTL + Poll of the holder's death), reconciles at the start of
	// every term, and fences its checkpoint writes with the term's token.
	// Nil: Run runs at once (one process, or tests).
	Leases    *lease.Leases
	BatchSize int           // feed entries per step; default DefaultBatchSize
	Workers   int           // items applied at once within a step; default DefaultWorkers
	Interval  time.Duration // idle poll; default DefaultInterval
}

// Gateway moves released items from the office to the portal.
type Gateway struct {
	office, portalStore store.Store
	portal              Portal
	trail               *audit.Trail
	policy              Policy
	now                 func() time.Time
	log                 *slog.Logger
	workers             int

	follow *store.Follower
	// mu makes "read current state, decide, apply" one step relative to
	// other steps, Reconcile and due runs in this process, so that an
	// older state is never applied over a newer one. The follower holds
	// it through each feed step.
	mu     sync.Mutex
	memCp  int64 // checkpoint as far as this process has consumed
	memGen int64 // generation of the stored checkpoint memCp belongs to
	// stored and storedVersion are the stored checkpoint as the current
	// feed step read it (position), for its Apply to write the next one
	// with compare-and-set; both under mu.
	stored        checkpoint
	storedVersion int64
	nextDue       atomic.Int64

	leases *lease.Leases
	// token is the fencing token of the lease term Run is in (0: no
	// lease); the checkpoint write carries lease.Fence of it.
	token atomic.Int64
	// replaying: the next feed step may replay a batch that another
	// process (the holder before a takeover) or this one before a restart
	// applied but whose checkpoint it never wrote. That step audits no
	// crossing the portal already shows (Portal.ImportIsCurrent): its
	// predecessor audited it. Set at New and at every lease term; cleared
	// by the first step that succeeds.
	replaying atomic.Bool
}

// checkpoint is gateway_state/checkpoint.
type checkpoint struct {
	Seq int64 `json:"seq"`
	// Gen changes on every Resync, so that a running gateway in another
	// process notices its in-memory position is stale.
	Gen int64     `json:"gen"`
	At  time.Time `json:"at"`
}

type due struct {
	ID    string    `json:"id"`
	Until time.Time `json:"until"`
}

// New returns a gateway. Office, Trail and Channels are required.
func New(d Deps) (*Gateway, error) {
	if d.Office == nil || d.Trail == nil || d.Channels == nil {
		return nil, errors.New("gateway: Office, Trail and Channels are required")
	}
	if d.PortalStore == nil {
		d.PortalStore = d.Office
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Workers <= 0 {
		d.Workers = DefaultWorkers
	}
	g := &Gateway{office: d.Office, portalStore: d.PortalStore, portal: d.Portal, trail: d.Trail,
		policy: Policy{Channels: d.Channels}, now: d.Now, log: d.Logger, workers: d.Workers, memGen: -1, leases: d.Leases}
	g.replaying.Store(true)
	g.follow = &store.Follower{Store: d.Office, BatchSize: d.BatchSize, Interval: d.Interval, Logger: d.Logger,
		Name: "gateway", Lock: &g.mu, Checkpoint: g.position, Apply: g.applyChanges, AfterStep: g.afterStep}
	if n, ok := d.Office.(*store.Notifying); ok {
		n.Subscribe(g.Notify)
	}
	return g, nil
}

// Policy is the release policy the gateway applies.
func (g *Gateway) Policy() Policy { return g.policy }

// Notify wakes Run at once (a write happened); it never blocks.
func (g *Gateway) Notify() { g.follow.Notify() }

// Run applies the feed until ctx ends, then returns nil. It also
// re-decides embargoed items when their embargo ends, waking for the
// earliest one. Errors are logged and retried with backoff
// (store.Follower). With Deps.Leases it does so only while this process
// holds the gateway's lease, starting every term with a Reconcile beside
// the feed (the term's first step replays from the stored checkpoint,
// so whatever the previous holder left unfinished is done again).
func (g *Gateway) Run(ctx context.Context) error {
	if g.portal == nil {
		return errors.New("gateway: no Portal")
	}
	if g.leases == nil {
		g.follow.Run(ctx)
		return nil
	}
	err := g.leases.Run(ctx, LeaseName, func(ctx context.Context, l lease.Lease) error {
		g.token.Store(l.Token)
		defer g.token.Store(0)
		g.replaying.Store(true)
		g.term(ctx)
		return nil
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// term is one lease term of Run: the reconciliation pass (it scans every
// office item, so beside the feed, not in front of it; both hold g.mu per
// step) and the feed, until the term ends.
func (g *Gateway) term(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := g.Reconcile(ctx); err != nil && ctx.Err() == nil {
			g.log.Error("gateway reconciliation failed", "err", err)
		}
	})
	g.follow.Run(ctx)
	wg.Wait()
}

// afterStep runs after every feed step of Run: the embargoes that have
// ended, then how long until the next one ends (0: none known), so that
// Run wakes for it rather than at its next poll.
func (g *Gateway) afterStep(ctx context.Context) (time.Duration, error) {
	if _, err := g.RunDue(ctx); err != nil {
		return 0, err
	}
	if nd := g.nextDue.Load(); nd > 0 {
		return max(time.Until(time.UnixMicro(nd)), time.Millisecond), nil
	}
	return 0, nil
}

// CatchUp applies the feed up to the store's last sequence as of the call.
func (g *Gateway) CatchUp(ctx context.Context) error {
	if g.portal == nil {
		return errors.New("gateway: no Portal")
	}
	return g.follow.CatchUp(ctx)
}

// loadCheckpoint reads the stored checkpoint and its version.
func (g *Gateway) loadCheckpoint(ctx context.Context) (checkpoint, int64, error) {
	cp, v, err := store.Load[checkpoint](ctx, g.office, StateCollection, checkpointID)
	if errors.Is(err, store.ErrNotFound) {
		return checkpoint{}, 0, nil
	}
	return cp, v, err
}

// addDue remembers to re-decide id when its embargo ends.
func (g *Gateway) addDue(ctx context.Context, id string, until time.Time) error {
	cur, _, err := store.Load[due](ctx, g.office, DueCollection, id)
	if err == nil && cur.Until.Equal(until) {
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if _, err := store.Save(ctx, g.office, DueCollection, id, due{ID: id, Until: until.UTC()}, store.AnyVersion); err != nil {
		return err
	}
	g.noteDue(until)
	return nil
}

func (g *Gateway) noteDue(until time.Time) {
	u := until.UnixMicro()
	for {
		cur := g.nextDue.Load()
		if cur == 0 || (cur > 0 && cur <= u) {
			return // a scan is pending anyway, or something is due sooner
		}
		if g.nextDue.CompareAndSwap(cur, u) {
			return
		}
	}
}

// RunDue re-decides every item whose embargo has ended and returns how
// many it looked at. Run calls it; the due list is scanned only when
// something is due (or once at start).
func (g *Gateway) RunDue(ctx context.Context) (int, error) {
	nd := g.nextDue.Load()
	now := g.now()
	if nd == -1 || (nd > 0 && time.UnixMicro(nd).After(now)) {
		return 0, nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	// nextDue: 0 = scan the due list at the next call (start-up, after an
	// error), -1 = nothing due, else the earliest end of an embargo (µs).
	g.nextDue.Store(-1)
	var t tally
	done := 0
	for d, err := range store.ScanAll(ctx, g.office, DueCollection, "") {
		if err != nil {
			g.nextDue.Store(0) // scan again next time
			return done, err
		}
		var e due
		if err := d.Decode(&e); err != nil {
			return done, err
		}
		if e.Until.After(now) {
			g.noteDue(e.Until)
			continue
		}
		if err := g.apply(ctx, d.ID, true, &t); err != nil {
			g.nextDue.Store(0)
			_ = g.addCounters(ctx, t)
			return done, err
		}
		done++
		// Delete this entry unless apply just wrote a new one.
		if _, err := g.office.Delete(ctx, DueCollection, d.ID, d.Version); err != nil &&
			!errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotFound) {
			return done, err
		}
	}
	return done, g.addCounters(ctx, t)
}
