package gateway_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/testkit"
)

// Run (woken by the store's notifications) moves an approval to the
// portal in milliseconds; Collectors export lag and counts; Resync from
// another gateway on the same store (the CLI) is picked up by the
// running one.
func TestRunMetricsAndResync(t *testing.T) {
	e := newEnv(t)
	e.runInBackground(t)
	e.put(released("run-1", 1, "运行中"))
	testkit.Eventually(t, 10*time.Second, "run-1 published on the portal", func() bool {
		c, ok := e.copyOf("run-1")
		return ok && c.Item.Status == item.StatusPublished
	})

	reg := prometheus.NewRegistry()
	reg.MustRegister(e.gw.Collectors()...)
	mfs, err := reg.Gather()
	must(t, err)
	got := map[string]bool{}
	for _, mf := range mfs {
		got[mf.GetName()] = true
	}
	for _, n := range []string{"zhengwu_gateway_lag", "zhengwu_gateway_checkpoint", "zhengwu_gateway_items_total", "zhengwu_gateway_errors_total"} {
		if !got[n] {
			t.Errorf("metric %s missing (have %v)", n, got)
		}
	}

	// A second gateway on the same store, as `zhengwu gateway resync`
	// builds it (no Portal): Status and Resync only.
	cli, err := gateway.New(gateway.Deps{Office: e.Store, Trail: e.Trail, Channels: mustTree(t, e), Logger: quiet})
	must(t, err)
	must(t, cli.Resync(e.ctx, 0))
	testkit.Eventually(t, 10*time.Second, "caught up after the resync", func() bool {
		st, err := cli.Status(e.ctx)
		return err == nil && st.Checkpoint > 0 && st.Lag == 0
	})
	if c, _ := e.copyOf("run-1"); c.Item.Edition != 1 {
		t.Fatalf("resync replay made edition %d", c.Item.Edition)
	}
	if _, err := cli.Step(e.ctx); err == nil {
		t.Fatal("a gateway without a Portal stepped")
	}
}
