package memlimit

import (
	"runtime/debug"
	"runtime/metrics"

	"github.com/prometheus/client_golang/prometheus"
)

// Collectors are the governor's gauges for the metrics endpoint.
func (g *Governor) Collectors() []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "zhengwu_memory_limit_bytes",
			Help: "the Go runtime's soft memory limit in force (the governor's, --memory-limit's or GOMEMLIMIT's); 0 = none"},
			func() float64 {
				if l := debug.SetMemoryLimit(-1); l != none {
					return float64(l)
				}
				return 0
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "zhengwu_memory_governor_state",
			Help: "the memory governor: 0 off (not started, switched off, or an operator's limit), 1 following the live heap, 2 lifted for bulk work"},
			func() float64 {
				g.mu.Lock()
				defer g.mu.Unlock()
				switch {
				case !g.on:
					return 0
				case g.bulk > 0:
					return 2
				}
				return 1
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "zhengwu_memory_live_heap_bytes",
			Help: "the Go heap marked live by the last collection"},
			func() float64 { return float64(read().live) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "zhengwu_memory_governor_adjustments_total",
			Help: "times the memory governor set the runtime's limit"},
			func() float64 { return float64(g.adjustments.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "zhengwu_memory_bulk_total",
			Help: "bulk work that lifted (or would have lifted) the memory governor's limit"},
			func() float64 { return float64(g.bulks.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "zhengwu_go_gc_cpu_seconds_total",
			Help: "CPU time the Go garbage collector has used (runtime/metrics /cpu/classes/gc/total:cpu-seconds, an estimate): what a tighter limit costs"},
			func() float64 { return GCCPUSeconds() }),
	}
}

// GCCPUSeconds is the runtime's estimate of the CPU time its collector has
// used since the start.
func GCCPUSeconds() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	return s[0].Value.Float64()
}
