package feed

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metricDescs carry the index name as a constant label, so that the
// consumers of several indexes can be registered side by side.
type metricDescs struct {
	lag, checkpoint, applied, repaired, passes, failures *prometheus.Desc
}

func newMetricDescs(indexName string) metricDescs {
	labels := prometheus.Labels{"index": indexName}
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("zhengwu_search_feed_"+name, help, nil, labels)
	}
	return metricDescs{
		lag:        d("lag", "Feed sequences the index is behind the store (store last seq minus index checkpoint)."),
		checkpoint: d("checkpoint", "Feed sequence the index has applied."),
		applied:    d("applied_total", "Feed entries applied to the index by this process."),
		repaired:   d("reconcile_repaired_total", "Index documents repaired by reconciliation (missing, stale or orphaned)."),
		passes:     d("reconcile_passes_total", "Reconciliation passes completed (repairing or not): a pass that never comes is a safety net that is not there."),
		failures:   d("errors_total", "Consumer steps that failed and were retried."),
	}
}

// Describe implements prometheus.Collector: register the Consumer with a
// registry (reg.MustRegister(c)) to export its metrics. Nothing is
// registered globally.
func (c *Consumer) Describe(ch chan<- *prometheus.Desc) {
	c.init()
	m := c.metrics
	for _, d := range []*prometheus.Desc{m.lag, m.checkpoint, m.applied, m.repaired, m.passes, m.failures} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. The lag is measured at scrape
// time, against the store's last sequence; if the store does not answer
// quickly, the lag is left out of that scrape.
func (c *Consumer) Collect(ch chan<- prometheus.Metric) {
	c.init()
	m := c.metrics
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if lag, err := c.Lag(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(m.lag, prometheus.GaugeValue, float64(lag))
	} else {
		c.Logger.Warn("feed lag metric: store did not answer", "index", c.Index.Name(), "err", err)
	}
	ch <- prometheus.MustNewConstMetric(m.checkpoint, prometheus.GaugeValue, float64(c.Index.Checkpoint()))
	ch <- prometheus.MustNewConstMetric(m.applied, prometheus.CounterValue, float64(c.applied.Load()))
	ch <- prometheus.MustNewConstMetric(m.repaired, prometheus.CounterValue, float64(c.repaired.Load()))
	ch <- prometheus.MustNewConstMetric(m.passes, prometheus.CounterValue, float64(c.passes.Load()))
	ch <- prometheus.MustNewConstMetric(m.failures, prometheus.CounterValue, float64(c.follow.Failures()))
}
