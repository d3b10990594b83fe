//go:build load

package mixedload

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSoak runs the mixed workload at a steady SOAK_RATE for SOAK and
// samples the server every SOAK_SAMPLE. It passes when no request had an
// unexpected answer and the server is flat over the last two thirds of the
// run (the first third is warm-up: caches, SQLite's page cache, the
// indexes' segments fill): PSS grows less than SOAK_SLOPE_MB per 10
// minutes (least-squares slope), goroutines less than 20 and open files
// less than 10 per 10 minutes. SOAK_OUT, when set, receives the series;
// SOAK_RECONCILE reconciles the search indexes that often (startServer),
// so that a short soak judges reconciliation too.
//
// The soak's office finishes the 公文 it starts (SOAK_WORKFLOW=finish, the
// default): an office's running documents stay level while its finished
// ones accumulate, so memory that grows with the running set (the
// reminders' due index, the 待办) must level off and memory that grows
// with every document must stay small. SOAK_WORKFLOW=sign leaves each
// after 签发, as the runs before did: a running set growing by ~10,000 an
// hour, far beyond any office's.
func TestSoak(t *testing.T) {
	dur := envDuration(t, "SOAK", "30m")
	// A sample every 5 s, logged every 30 s: anonymous memory swings by
	// tens of MB with the collector's cycle, and the slope is fitted to
	// every sample (its standard error is printed beside it: run 6's 40
	// samples, 30 s apart, gave +12.0 ± 1.8 MB per 10 minutes).
	every := envDuration(t, "SOAK_SAMPLE", "5s")
	const logEvery = 30 * time.Second
	rate := envInt(t, "SOAK_RATE", "30")
	limitMB, err := strconv.ParseFloat(env("SOAK_SLOPE_MB", "10"), 64)
	if err != nil {
		t.Fatal(err)
	}
	const conns = 8
	srv := startServer(t, buildBinary(t), freePort(t, 7605, 2), freePort(t, 7607, 2))
	l := newLoad(t, srv.base, conns, users)
	switch wf := env("SOAK_WORKFLOW", "finish"); wf {
	case "finish":
		l.finish = true
	case "sign":
	default:
		t.Fatalf("SOAK_WORKFLOW=%q: finish (each 公文 to 办结) or sign (left after 签发)", wf)
	}
	t.Logf("soak: %s at %d actions/s, %d workers, a sample every %s (logged every %s); load average %s", dur, rate, conns, every, logEvery, loadAvg())

	var (
		mu      sync.Mutex
		series  []sample
		logged  []sample // one every logEvery, for the log and SOAK_OUT
		sampErr error
	)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	start := time.Now()
	take := func() {
		s, err := srv.sample(time.Since(start))
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			sampErr = err
			return
		}
		series = append(series, s)
		saveHeapProfile(t, srv, s.At)
		// Half a sample's slack: ticks come a little late, and a strict
		// 30 s would log every 35 s.
		if len(logged) > 0 && s.At-logged[len(logged)-1].At < logEvery-every/2 && ctx.Err() == nil {
			return
		}
		logged = append(logged, s)
		n, _ := l.rec.errors()
		t.Logf("%6s  PSS %6.1f MB (anon %6.1f, files %6.1f)  RSS %6.1f MB  live heap %6.1f MB  held by the Go heap %6.1f, the rest %5.1f MB  goroutines %4d  fds %4d  data %7.1f MB  errors %d  load %s",
			s.At.Round(time.Second), mb(s.PSS), mb(s.AnonPSS), mb(s.FilePSS), mb(s.RSS), mb(s.LiveHeap), mb(s.HeapHeld), mb(s.AnonPSS-s.HeapHeld),
			s.Goroutines, s.FDs, mb(s.DataBytes), n, loadAvg())
	}
	take()
	wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				take()
			}
		}
	})
	elapsed := l.runFor(dur, conns, rate)
	cancel()
	wg.Wait()
	take()
	if sampErr != nil {
		t.Errorf("sampling: %v", sampErr)
	}
	checkReconciled(t, srv)

	rows, total := l.rec.rows(elapsed)
	window := series[len(series)/3:]
	pss := slopePer10m(window, func(s sample) float64 { return mb(s.PSS) })
	anon, anonErr := fitPer10m(window, func(s sample) float64 { return mb(s.AnonPSS) })
	file := slopePer10m(window, func(s sample) float64 { return mb(s.FilePSS) })
	heap := slopePer10m(window, func(s sample) float64 { return mb(s.LiveHeap) })
	held := slopePer10m(window, func(s sample) float64 { return mb(s.HeapHeld) })
	rest := slopePer10m(window, func(s sample) float64 { return mb(s.AnonPSS - s.HeapHeld) })
	gor := slopePer10m(window, func(s sample) float64 { return float64(s.Goroutines) })
	fds := slopePer10m(window, func(s sample) float64 { return float64(s.FDs) })
	data := slopePer10m(window, func(s sample) float64 { return mb(s.DataBytes) })
	summary := fmt.Sprintf("soak %s at %d actions/s (%.1f req/s), %s: over the last two thirds, per 10 minutes: PSS %+.2f MB (anonymous %+.2f ± %.2f MB, mapped files %+.2f MB), "+
		"live heap %+.2f MB, held by the Go heap and stacks %+.2f MB, the rest of the anonymous memory (the runtime's own, SQLite's) %+.2f MB, goroutines %+.1f, open files %+.1f, data %+.1f MB",
		elapsed.Round(time.Second), rate, total.PerSec, l.workflowKind(), pss, anon, anonErr, file, heap, held, rest, gor, fds, data)
	t.Logf("%s\n%s", summary, table(rows, total, row{Kind: "(no bare run in the soak)"}))
	if out := os.Getenv("SOAK_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(summary+"\n\n"+seriesTable(logged)+"\n"+table(rows, total, row{Kind: "-"})), 0o644); err != nil {
			t.Error(err)
		}
	}

	if p := srv.logProblems(); len(p) > 0 {
		t.Errorf("the server logged %d errors or index repairs; the first:\n%s", len(p), strings.Join(p[:min(len(p), 10)], "\n"))
	}
	if n, first := l.rec.errors(); n > 0 {
		t.Errorf("%d unexpected answers; the first:\n%s", n, strings.Join(first, "\n"))
	}
	if len(window) < 4 {
		t.Logf("only %d samples in the window: too few to judge flatness", len(window))
		return
	}
	if anon > limitMB {
		t.Errorf("anonymous PSS grows %.2f ± %.2f MB per 10 minutes (limit %.0f)", anon, anonErr, limitMB)
	}
	if gor > 20 {
		t.Errorf("goroutines grow %.1f per 10 minutes", gor)
	}
	if fds > 10 {
		t.Errorf("open files grow %.1f per 10 minutes", fds)
	}
}

// checkReconciled logs how many reconciliation passes each search index
// made and repaired, and fails when SOAK_RECONCILE asked for passes and
// none came: a soak that never reconciled has not judged the indexes.
func checkReconciled(t *testing.T, srv *server) {
	var names []string
	for _, ix := range []string{"search-portal", "search-office"} {
		for _, m := range []string{"passes", "repaired"} {
			names = append(names, fmt.Sprintf(`zhengwu_search_feed_reconcile_%s_total{index="%s"}`, m, ix))
		}
	}
	got, err := srv.scrape(names...)
	if err != nil {
		t.Errorf("reconciliation metrics: %v", err)
		return
	}
	for i := 0; i < len(names); i += 2 {
		t.Logf("%s %.0f, %s %.0f", names[i], got[names[i]], names[i+1], got[names[i+1]])
		if os.Getenv("SOAK_RECONCILE") != "" && got[names[i]] == 0 {
			t.Errorf("SOAK_RECONCILE is set but %s is 0", names[i])
		}
	}
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// slopePer10m is the least-squares slope of f over the samples, per 10 minutes.
func slopePer10m(ss []sample, f func(sample) float64) float64 {
	slope, _ := fitPer10m(ss, f)
	return slope
}

// fitPer10m is the least-squares slope of f over the samples, per 10
// minutes, and its standard error: how far the noise around the line
// alone could move it. Samples 5 s apart of a series that swings with the
// collector's cycle are not independent noise: the error is widened by
// √((1+ρ)/(1−ρ)), ρ the residuals' lag-1 autocorrelation (an AR(1)
// series' effective sample size), so that it is not overstated precision.
// An approximation: Santer et al. (2000) also divide by n_eff − 2 instead
// of n − 2, which widens it a little more when ρ is high; it is printed,
// not judged. The error needs three samples; the slope two.
func fitPer10m(ss []sample, f func(sample) float64) (slope, stdErr float64) {
	if len(ss) < 2 {
		return 0, 0
	}
	var sx, sy float64
	for _, s := range ss {
		sx, sy = sx+s.At.Minutes()/10, sy+f(s)
	}
	n := float64(len(ss))
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for _, s := range ss {
		dx := s.At.Minutes()/10 - mx
		sxx, sxy = sxx+dx*dx, sxy+dx*(f(s)-my)
	}
	if sxx == 0 {
		return 0, 0
	}
	slope = sxy / sxx
	if len(ss) < 3 {
		return slope, 0
	}
	var rss, lag, prev float64
	for i, s := range ss {
		r := f(s) - my - slope*(s.At.Minutes()/10-mx)
		rss += r * r
		if i > 0 {
			lag += r * prev
		}
		prev = r
	}
	stdErr = math.Sqrt(rss / (n - 2) / sxx)
	if rss > 0 {
		rho := min(max(lag/rss, 0), 0.99)
		stdErr *= math.Sqrt((1 + rho) / (1 - rho))
	}
	return slope, stdErr
}

func seriesTable(ss []sample) string {
	var b strings.Builder
	b.WriteString("| t | PSS MB | anon PSS MB | file PSS MB | RSS MB | live heap MB | Go heap held MB | rest of anon MB | goroutines | open files | data MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range ss {
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %.1f |\n", s.At.Round(time.Second), mb(s.PSS), mb(s.AnonPSS),
			mb(s.FilePSS), mb(s.RSS), mb(s.LiveHeap), mb(s.HeapHeld), mb(s.AnonPSS-s.HeapHeld), s.Goroutines, s.FDs, mb(s.DataBytes))
	}
	return b.String()
}

// saveHeapProfile writes the server's heap profile as heap-<minute>m.pb.gz
// into SOAK_PPROF's directory, once a minute at most, so that a slope can
// be explained by diffing two of them (go tool pprof -diff_base).
func saveHeapProfile(t *testing.T, srv *server, at time.Duration) {
	dir := os.Getenv("SOAK_PPROF")
	if dir == "" {
		return
	}
	name := filepath.Join(dir, fmt.Sprintf("heap-%02dm.pb.gz", int(at.Minutes())))
	if _, err := os.Stat(name); err == nil {
		return
	}
	resp, err := http.Get(strings.TrimSuffix(srv.metrics, "/metrics") + "/debug/pprof/heap")
	if err != nil {
		t.Logf("heap profile: %v", err)
		return
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode == http.StatusOK {
		err = os.WriteFile(name, b, 0o644)
	}
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Logf("heap profile: %v (HTTP %d)", err, resp.StatusCode)
	}
}
