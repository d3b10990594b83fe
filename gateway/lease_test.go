package gateway_test

import (
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/audit"
	"zhengwu/shared/lease"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// A gateway that holds its lease runs; a gateway that paused past its
// lease's expiry (it never got to renew) and wakes after another process
// took the lease over and moved the checkpoint cannot move it: its
// checkpoint write carries its old token and is fenced off, so its step
// fails and the new holder's position stands. (Its import went through
// before the checkpoint: imports are idempotent by source revision, which
// is why only the checkpoint needs the fence.)
func TestLeasedGatewayStaleHolderFenced(t *testing.T) {
	var holder *lease.Leases
	e := newEnv(t, func(d *gateway.Deps) {
		// Poll an hour: the holder never renews nor looks at its clock
		// again within the test, as if paused.
		holder = &lease.Leases{Store: d.Office, Holder: "a", TTL: 10 * time.Second, Poll: time.Hour, Now: d.Now}
		d.Leases = holder
	})
	e.runInBackground(t)
	e.put(released("lease-1", 1, "租约之内"))
	testkit.Eventually(t, 10*time.Second, "lease-1 published by the holder", func() bool {
		c, ok := e.copyOf("lease-1")
		return ok && c.Item.Status == item.StatusPublished
	})
	cur, err := holder.Current(e.ctx, gateway.LeaseName)
	if err != nil || cur.Holder != "a" || cur.Token != 1 {
		t.Fatalf("lease: %+v %v; want a with token 1", cur, err)
	}
	status := func() gateway.Status {
		st, err := e.gw.Status(e.ctx)
		must(t, err)
		return st
	}
	testkit.Eventually(t, 10*time.Second, "checkpoint written", func() bool { return status().Lag == 0 })

	// a is paused past its expiry; b takes the lease over and writes
	// under its token (its first checkpoint).
	e.Clock.Advance(11 * time.Second)
	b := &lease.Leases{Store: e.Store, Holder: "b", TTL: 10 * time.Second, Now: e.Clock.Now}
	lb, err := b.Acquire(e.ctx, gateway.LeaseName)
	if err != nil || !lb.TookOver() || lb.Token != 2 {
		t.Fatalf("b: %+v %v; want a takeover with token 2", lb, err)
	}
	fence, err := lease.Fence(e.ctx, e.Store, gateway.LeaseName, lb.Token)
	must(t, err)
	_, err = e.Store.PutAll(e.ctx, []store.Write{fence})
	must(t, err)
	before := status().Checkpoint

	// a wakes: it steps on a new release and cannot move the checkpoint.
	e.put(released("lease-2", 1, "租约之后"))
	testkit.Eventually(t, 10*time.Second, "a's step fails on the fence", func() bool {
		return failedSteps(t, e.gw) > 0
	})
	if got := status().Checkpoint; got != before {
		t.Fatalf("the stale holder moved the checkpoint from %d to %d", before, got)
	}
	if _, err := lease.Fence(e.ctx, e.Store, gateway.LeaseName, 1); !errors.Is(err, lease.ErrFenced) {
		t.Fatalf("token 1 after b wrote: %v, want ErrFenced", err)
	}
}

// failedSteps reads zhengwu_gateway_errors_total (failed steps) of g.
func failedSteps(t *testing.T, g *gateway.Gateway) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(g.Collectors()...)
	mfs, err := reg.Gather()
	must(t, err)
	for _, mf := range mfs {
		if mf.GetName() == "zhengwu_gateway_errors_total" {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

// A gateway that starts (or takes the lease over) replays the batch its
// predecessor applied without writing the checkpoint: the crossings the
// portal already shows are not audited a second time, a crossing the
// predecessor never carried out is.
func TestReplayAuditsNoCrossingTwice(t *testing.T) {
	e := newEnv(t)
	e.put(released("replay-1", 1, "已经发布"))
	_, err := e.gw.Step(e.ctx)
	must(t, err)
	// The predecessor "dies" before its checkpoint: put it back.
	_, err = e.Store.Put(e.ctx, gateway.StateCollection, "checkpoint", []byte(`{"seq":0,"gen":0}`), store.AnyVersion)
	must(t, err)
	e.put(released("replay-2", 1, "尚未发布"))
	svc, next, err := openGateway(e.Store, e.Trail, t.TempDir(), e.Clock.Now)
	must(t, err)
	defer svc.Close()
	_, err = next.Step(e.ctx)
	must(t, err)
	crossings := map[string]int{}
	for _, d := range scanAll(t, e.Store, audit.Collection) {
		var en audit.Entry
		must(t, d.Decode(&en))
		if en.Action == gateway.ActionCross {
			crossings[en.Target]++
		}
	}
	if crossings["info_items/replay-1"] != 1 || crossings["info_items/replay-2"] != 1 {
		t.Fatalf("crossings audited: %v; want each item once", crossings)
	}
	if c, ok := e.copyOf("replay-1"); !ok || c.Item.Edition != 1 {
		t.Fatalf("replay-1 on the portal: %+v %v; want edition 1", c.Item, ok)
	}
}
