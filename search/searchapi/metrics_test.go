package searchapi_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestCollectors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("a", newPage("通知", "正文"))
	e.open(nil, nil)
	e.sync()
	reg := prometheus.NewRegistry()
	for _, c := range e.svc.Collectors() {
		reg.MustRegister(c)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	lagIndexes := map[string]bool{}
	for _, mf := range mfs {
		names = append(names, mf.GetName())
		if mf.GetName() == "zhengwu_search_feed_lag" {
			for _, m := range mf.GetMetric() {
				for _, l := range m.GetLabel() {
					lagIndexes[l.GetValue()] = true
				}
				if m.GetGauge().GetValue() != 0 {
					t.Fatalf("lag %v after sync", m.GetGauge().GetValue())
				}
			}
		}
	}
	if !lagIndexes["search-portal"] || !lagIndexes["search-office"] {
		t.Fatalf("metrics %v, lag of %v", strings.Join(names, " "), lagIndexes)
	}
}
