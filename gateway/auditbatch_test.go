package gateway_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
)

// auditFailStore fails every PutAll to the audit collection while fail is
// set: the gateway's batched audit write.
type auditFailStore struct {
	store.Store
	fail atomic.Bool
}

func (s *auditFailStore) PutAll(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	if s.fail.Load() && len(writes) > 0 && writes[0].Collection == audit.Collection {
		return nil, errors.New("audit write refused (test)")
	}
	return s.Store.PutAll(ctx, writes)
}

// watchPortal wraps the portal: it counts the calls, can fail imports
// (a transient error, not a rejection), and checks on every import that
// the trail already holds the crossing's entry (write-ahead).
type watchPortal struct {
	gateway.Portal
	trail     *audit.Trail
	imports   atomic.Int64
	withdraws atomic.Int64
	failing   atomic.Bool

	mu       sync.Mutex
	unlogged []string // imports that found no crossing entry for their revision
}

func (p *watchPortal) Import(ctx context.Context, in content.ImportInput) (content.View, bool, error) {
	p.imports.Add(1)
	if p.failing.Load() {
		return content.View{}, false, errors.New("portal unavailable (test)")
	}
	if !crossAudited(ctx, p.trail, in.SourceID, in.SourceRevision) {
		p.mu.Lock()
		p.unlogged = append(p.unlogged, fmt.Sprintf("%s@%d", in.SourceID, in.SourceRevision))
		p.mu.Unlock()
	}
	return p.Portal.Import(ctx, in)
}

func (p *watchPortal) WithdrawImport(ctx context.Context, sourceID, reason string) (bool, error) {
	p.withdraws.Add(1)
	return p.Portal.WithdrawImport(ctx, sourceID, reason)
}

// crossAudited: the trail holds a gateway.cross entry for that revision.
func crossAudited(ctx context.Context, trail *audit.Trail, id string, rev int) bool {
	entries, err := trail.List(ctx, 0, 100000)
	if err != nil {
		return false
	}
	for _, en := range entries {
		if r, _ := en.Details["revision"].(float64); en.Action == gateway.ActionCross &&
			en.Target == gateway.InfoCollection+"/"+id && int(r) == rev {
			return true
		}
	}
	return false
}

// gatewayEntries are the gateway's audit entries, oldest first.
func gatewayEntries(t *testing.T, e *env) []audit.Entry {
	t.Helper()
	entries, err := e.Trail.List(e.ctx, 0, 100000)
	must(t, err)
	var out []audit.Entry
	for _, en := range entries {
		if en.Actor == gateway.Actor {
			out = append(out, en)
		}
	}
	return out
}

// A feed step writes the audit entries of its crossings and refusals
// before any import or withdrawal: if that write fails, nothing of the
// step reaches the portal (no import, no withdrawal), the checkpoint
// stays, and the retried step audits and then imports every item.
func TestWriteAheadAuditFailureImportsNothing(t *testing.T) {
	fs := &auditFailStore{}
	wp := &watchPortal{}
	e := newEnv(t, func(d *gateway.Deps) {
		fs.Store = d.Office
		d.Trail = audit.New(fs, d.Now)
		wp.Portal, wp.trail = d.Portal, d.Trail
		d.Portal = wp
	})
	// "w" is live on the portal before the failing step.
	e.put(released("w", 1, "已发布"))
	must(t, e.gw.CatchUp(e.ctx))
	if c, ok := e.copyOf("w"); !ok || c.Item.Status != item.StatusPublished {
		t.Fatalf("w not live: %+v", c)
	}
	before, err := e.gw.Status(e.ctx)
	must(t, err)
	entriesBefore := len(gatewayEntries(t, e))

	const n = 5
	for i := range n {
		e.put(released(fmt.Sprintf("ab-%d", i), 1, fmt.Sprintf("批量审计 %d", i)))
	}
	w := released("w", 1, "已发布")
	w.Classification = "秘密" // refused: its copy must go, but only after the refusal is audited
	e.put(w)

	fs.fail.Store(true)
	imports, withdraws := wp.imports.Load(), wp.withdraws.Load()
	if _, err := e.gw.Step(e.ctx); err == nil {
		t.Fatal("a step whose audit write failed succeeded")
	}
	if got := wp.imports.Load() - imports; got != 0 {
		t.Fatalf("%d imports in a step whose audit write failed", got)
	}
	if got := wp.withdraws.Load() - withdraws; got != 0 {
		t.Fatalf("%d withdrawals in a step whose audit write failed", got)
	}
	for i := range n {
		if _, ok := e.copyOf(fmt.Sprintf("ab-%d", i)); ok {
			t.Fatalf("ab-%d on the portal without its audit entry", i)
		}
	}
	if c, ok := e.copyOf("w"); !ok || c.Item.Status != item.StatusPublished {
		t.Fatalf("w changed by a step that failed before its effects: %+v", c)
	}
	st, err := e.gw.Status(e.ctx)
	must(t, err)
	if st.Checkpoint != before.Checkpoint || st.Crossed != before.Crossed || st.Refused != before.Refused {
		t.Fatalf("failed step moved the checkpoint or counters: before %+v, after %+v", before, st)
	}
	if got := len(gatewayEntries(t, e)); got != entriesBefore {
		t.Fatalf("%d audit entries written by a failed batch", got-entriesBefore)
	}

	fs.fail.Store(false)
	must(t, e.gw.CatchUp(e.ctx))
	crossed := map[string]bool{}
	var refusedW, withdrawnW int64
	for _, en := range gatewayEntries(t, e)[entriesBefore:] {
		switch {
		case en.Action == gateway.ActionCross:
			crossed[en.Target] = true
		case en.Action == gateway.ActionRefuse && en.Target == gateway.InfoCollection+"/w":
			refusedW = en.Seq
		case en.Action == gateway.ActionWithdraw && en.Target == gateway.InfoCollection+"/w":
			withdrawnW = en.Seq
		}
	}
	for i := range n {
		target := fmt.Sprintf("%s/ab-%d", gateway.InfoCollection, i)
		if !crossed[target] {
			t.Errorf("no %s entry for %s", gateway.ActionCross, target)
		}
		if c, ok := e.copyOf(fmt.Sprintf("ab-%d", i)); !ok || c.Item.Status != item.StatusPublished {
			t.Errorf("ab-%d not on the portal after the retry: %+v", i, c)
		}
	}
	if refusedW == 0 || withdrawnW == 0 || refusedW > withdrawnW {
		t.Errorf("w: refusal entry %d, withdrawal entry %d: want the refusal first", refusedW, withdrawnW)
	}
	if c, _ := e.copyOf("w"); c.Item.Status != item.StatusGone {
		t.Errorf("w still live after the retry: %+v", c.Item)
	}
	if len(wp.unlogged) > 0 {
		t.Errorf("imported before their crossing was audited: %v", wp.unlogged)
	}
	if rep, err := e.Trail.Verify(e.ctx); err != nil || !rep.OK {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

// Every import of a feed step finds its crossing already in the trail; an
// import the portal rejects gets a follow-up refusal after that entry.
func TestWriteAheadAuditPrecedesEveryImport(t *testing.T) {
	wp := &watchPortal{}
	e := newEnv(t, func(d *gateway.Deps) {
		wp.Portal, wp.trail = d.Portal, d.Trail
		d.Portal = wp
		d.BatchSize = 7 // several steps
	})
	const n = 20
	for i := range n {
		e.put(released(fmt.Sprintf("wa-%02d", i), 1, fmt.Sprintf("先审计 %d", i)))
	}
	bad := released("b", 1, "附件名为空")
	bad.Attachments[0].Name = "" // the portal rejects it
	e.put(bad)
	must(t, e.gw.CatchUp(e.ctx))
	for i := range n {
		e.put(released(fmt.Sprintf("wa-%02d", i), 2, fmt.Sprintf("再审计 %d", i)))
	}
	must(t, e.gw.CatchUp(e.ctx))
	if got := wp.imports.Load(); got != 2*n+1 {
		t.Fatalf("%d imports, want %d", got, 2*n+1)
	}
	if len(wp.unlogged) > 0 {
		t.Fatalf("imported before their crossing was audited: %v", wp.unlogged)
	}
	var crossB, refuseB int64
	for _, en := range gatewayEntries(t, e) {
		if en.Target != gateway.InfoCollection+"/b" {
			continue
		}
		switch en.Action {
		case gateway.ActionCross:
			crossB = en.Seq
		case gateway.ActionRefuse:
			if en.Reason != gateway.RuleRejectedByPortal || en.Outcome != audit.Failure {
				t.Fatalf("refusal of b: %+v", en)
			}
			refuseB = en.Seq
		}
	}
	if crossB == 0 || refuseB <= crossB {
		t.Fatalf("b: crossing entry %d, follow-up refusal %d: want the refusal after the crossing", crossB, refuseB)
	}
	if c, ok := e.copyOf("b"); ok && c.Item.Status == item.StatusPublished {
		t.Fatal("rejected item on the portal")
	}
	st, err := e.gw.Status(e.ctx)
	must(t, err)
	if st.Crossed != 2*n || st.Refused != 1 {
		t.Fatalf("status = %+v", st)
	}
}

// A step that fails after its audit write and before its imports (here a
// portal that is down; a crash there is the same) is replayed: the replay
// decides again and audits again, then imports. The trail then holds two
// crossing entries for the same revision, which is accepted: a duplicate
// entry is better than a missing one.
func TestWriteAheadReplayAuditsAgain(t *testing.T) {
	wp := &watchPortal{}
	e := newEnv(t, func(d *gateway.Deps) {
		wp.Portal, wp.trail = d.Portal, d.Trail
		d.Portal = wp
	})
	e.put(released("r", 1, "重放"))
	wp.failing.Store(true)
	if _, err := e.gw.Step(e.ctx); err == nil {
		t.Fatal("a step whose imports failed succeeded")
	}
	if !crossAudited(e.ctx, e.Trail, "r", 1) {
		t.Fatal("no crossing entry written ahead of the import")
	}
	if _, ok := e.copyOf("r"); ok {
		t.Fatal("r on the portal though its import failed")
	}
	if st, _ := e.gw.Status(e.ctx); st.Checkpoint != 0 || st.Crossed != 0 {
		t.Fatalf("failed step moved the checkpoint or counters: %+v", st)
	}
	wp.failing.Store(false)
	must(t, e.gw.CatchUp(e.ctx))
	if c, ok := e.copyOf("r"); !ok || c.Item.Status != item.StatusPublished {
		t.Fatalf("r not on the portal after the replay: %+v", c)
	}
	crosses := 0
	for _, en := range gatewayEntries(t, e) {
		if en.Action == gateway.ActionCross && en.Target == gateway.InfoCollection+"/r" {
			crosses++
		}
	}
	if crosses != 2 {
		t.Fatalf("%d crossing entries for r, want 2 (the failed step's and the replay's)", crosses)
	}
	if st, _ := e.gw.Status(e.ctx); st.Crossed != 1 {
		t.Fatalf("crossed = %d, want 1", st.Crossed)
	}
}
