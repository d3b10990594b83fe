package lease

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are one process's lease gauges and counters, shared by its
// Leases (one per singleton) and registered once:
//
//	zhengwu_lease_held{name}              1 while this process runs the singleton, else 0
//	zhengwu_lease_acquisitions_total{name} acquisitions by this process
//	zhengwu_lease_takeovers_total{name}   acquisitions from a holder whose lease ran out
//	                                      without a release (it died or hung): failovers
//
// Summed over the processes, zhengwu_lease_held of a name is 1 in a
// healthy deployment; 0 for longer than TTL + Poll means the singleton is
// not running anywhere.
type Metrics struct {
	held         *prometheus.GaugeVec
	acquisitions *prometheus.CounterVec
	takeovers    *prometheus.CounterVec
}

// NewMetrics returns the process's lease metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		held: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zhengwu_lease_held",
			Help: "1 while this process holds the lease and runs its singleton, else 0."}, []string{"name"}),
		acquisitions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhengwu_lease_acquisitions_total",
			Help: "Leases this process acquired (each with a new fencing token)."}, []string{"name"}),
		takeovers: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhengwu_lease_takeovers_total",
			Help: "Leases this process took from a holder whose lease ran out without a release (a failover)."}, []string{"name"}),
	}
}

// Collectors are the metrics to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.held, m.acquisitions, m.takeovers}
}

// standing exports a standby's series (held 0, no takeovers), so that
// the sum over processes and the rates are defined before any change.
func (m *Leases) standing(name string) {
	if mt := m.Metrics; mt != nil {
		mt.held.WithLabelValues(name).Set(0)
		mt.acquisitions.WithLabelValues(name)
		mt.takeovers.WithLabelValues(name)
	}
}

// acquired counts an acquisition by Run and logs a takeover.
func (m *Leases) acquired(name string, l Lease) {
	if mt := m.Metrics; mt != nil {
		mt.held.WithLabelValues(name).Set(1)
		mt.acquisitions.WithLabelValues(name).Inc()
		if l.TookOver() {
			mt.takeovers.WithLabelValues(name).Inc()
		}
	}
	switch {
	case l.TookOver():
		// Warn: the holder before stopped renewing; if that was not a
		// planned stop (a kill, a crash, a hang), it deserves a look.
		m.logger().Warn("lease taken over: the previous holder stopped renewing", "lease", name,
			"holder", m.Holder, "token", l.Token, "previous", l.before.Holder,
			"expiredFor", m.now().Sub(l.before.Expires).Round(time.Millisecond))
	case l.before.Holder != m.Holder:
		m.logger().Info("lease acquired", "lease", name, "holder", m.Holder, "token", l.Token, "previous", l.before.Holder)
	}
}

// left records that Run no longer holds name.
func (m *Leases) left(name string) {
	if mt := m.Metrics; mt != nil {
		mt.held.WithLabelValues(name).Set(0)
	}
}
