//go:build load

package mixedload

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// recorder keeps every request's latency and outcome per kind.
type recorder struct {
	mu     sync.Mutex
	kinds  map[string]*kindStats
	failed []string // the first unexpected answers, for the log
}

type kindStats struct {
	lat    []time.Duration
	errors int
}

func newRecorder() *recorder { return &recorder{kinds: map[string]*kindStats{}} }

func (r *recorder) add(kind string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := r.stats(kind)
	k.lat = append(k.lat, d)
	if err != nil {
		r.failure(k, kind, err)
	}
}

// fail records an error of kind that is not a request's (no latency).
func (r *recorder) fail(kind string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failure(r.stats(kind), kind, err)
}

// stats is kind's figures, made at its first use; r.mu held.
func (r *recorder) stats(kind string) *kindStats {
	k := r.kinds[kind]
	if k == nil {
		k = &kindStats{}
		r.kinds[kind] = k
	}
	return k
}

// failure counts an error of kind and keeps the first ones; r.mu held.
func (r *recorder) failure(k *kindStats, kind string, err error) {
	k.errors++
	if len(r.failed) < 20 {
		r.failed = append(r.failed, fmt.Sprintf("%s: %v", kind, err))
	}
}

// row is one kind's figures over a run.
type row struct {
	Kind     string
	N        int
	Errors   int
	PerSec   float64
	P50, P99 time.Duration
}

func (r *recorder) rows(elapsed time.Duration) (rows []row, total row) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var all []time.Duration
	for name, k := range r.kinds {
		rows = append(rows, summarise(name, k.lat, k.errors, elapsed))
		all = append(all, k.lat...)
		total.Errors += k.errors
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Kind < rows[j].Kind })
	total = summarise("total", all, total.Errors, elapsed)
	return rows, total
}

func (r *recorder) errors() (n int, first []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range r.kinds {
		n += k.errors
	}
	return n, slices.Clone(r.failed)
}

func summarise(name string, lat []time.Duration, errs int, elapsed time.Duration) row {
	lat = slices.Clone(lat)
	slices.Sort(lat)
	return row{Kind: name, N: len(lat), Errors: errs, PerSec: float64(len(lat)) / elapsed.Seconds(),
		P50: quantile(lat, 0.50), P99: quantile(lat, 0.99)}
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// table renders rows as a Markdown table (docs/benchmarks.md takes it as is).
func table(rows []row, total row, bare row) string {
	var b strings.Builder
	b.WriteString("| kind | requests | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|\n")
	for _, r := range append(append(rows, total), bare) {
		fmt.Fprintf(&b, "| %s | %d | %.1f | %.2f | %.2f | %d |\n", r.Kind, r.N, r.PerSec, ms(r.P50), ms(r.P99), r.Errors)
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
