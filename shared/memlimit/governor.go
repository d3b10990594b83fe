// Package memlimit keeps the Go runtime's soft memory limit
// (debug.SetMemoryLimit) a little above what the process holds live, so
// that a serving process holds neither the garbage GOGC=100 lets pile up
// (up to the live heap again) nor the idle heap the scavenger keeps below
// that goal (issue 16 item 7: ~120 MB of a 425 MB footprint at 100k
// portal items).
//
// A fixed limit does not fit: the live heap grows with the portal, and
// bulk work (a new index catching up a whole store, a force merge, a
// backlog after a bulk import) passes a gigabyte for minutes, which a
// limit near the steady state throttles threefold (the collector at its
// CPU cap). So the governor is off until the start's catch-up is done
// (Start), follows the live heap after every collection, and is lifted
// while anyone holds Bulk.
//
// The runtime has one limit per process, so there is one governor per
// process: Default, which serve starts. An operator's limit
// (--memory-limit, GOMEMLIMIT) wins: Start then leaves the governor off
// (see Start).
package memlimit

import (
	"cmp"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// The headroom above the live heap is the heap the program may allocate
// before the next collection: max(MinHeadroom, min(live, rate ×
// Runway)), rate the recent allocation rate. The collector's work per
// allocated byte is live/headroom (GOGC=100: 1), so a fixed share of the
// live heap (a quarter, tried first) made the mixed load's collector
// twice as busy and cost it a quarter of its throughput
// (docs/benchmarks.md, memgov). Sized by the allocation rate instead, a
// quiet process (most of a portal's day) holds its live heap and
// MinHeadroom, and a busy one gets back up to GOGC=100's runway: never a
// collection more often than every Runway, unless GOGC=100 itself would
// collect more often. The floor keeps a small heap (a demo, a test
// server) from collecting every few hundred kilobytes.
const (
	MinHeadroom = 32 << 20
	Runway      = 2 * time.Second
	// rateWindow is the time constant over which a fall in the
	// allocation rate narrows the headroom (a rise widens it at once).
	rateWindow = 10 * time.Second
	// tick is how often the governor re-evaluates between collections:
	// a quiet process collects rarely, and its limit must still come
	// down once the traffic has gone.
	tick = time.Second
)

// none is the runtime's "no limit".
const none = math.MaxInt64

// Default is the process's governor (serve starts it; bulk work anywhere
// in the process takes Bulk on it).
var Default = &Governor{}

// Bulk lifts Default's limit until release is called (see Governor.Bulk).
func Bulk() (release func()) { return Default.Bulk() }

// Governor sets the runtime's soft memory limit. The zero value is off.
type Governor struct {
	mu     sync.Mutex
	on     bool
	starts int    // successful Starts not yet stopped
	gen    uint64 // a GC hook of an older Start finds another gen and stops
	bulk   int    // holders of Bulk
	limit  int64  // the limit the governor set last; none when lifted or off

	// The allocation rate (bytes a second): rate decays over rateWindow,
	// and the headroom follows the larger of it and the rate since the
	// last evaluation.
	allocs uint64 // /gc/heap/allocs:bytes at the last evaluation
	at     time.Time
	rate   float64

	// For tests: shorter periods than tick and rateWindow (0: those).
	tickEvery, window time.Duration

	live        atomic.Uint64 // live heap at the last evaluation
	adjustments atomic.Int64
	bulks       atomic.Int64
}

// Start turns the governor on and sets the limit at once (the caller has
// just finished its bulk start-up; serve calls it after the catch-up). It
// reports false and stays off when a limit is already in force: an
// operator's limit is the container's size, chosen for this deployment,
// and two policies over one runtime knob would leave neither predictable
// (docs/operations.md, Sizing).
//
// Starts are counted (two servers in one process, as tests run them):
// each successful Start is matched by a Stop, and the last Stop turns the
// governor off. A Start that finds a limit the governor did not set (a
// second server's --memory-limit) is refused like a first one.
func (g *Governor) Start() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.on {
		if debug.SetMemoryLimit(-1) != g.limit {
			return false
		}
		g.starts++
		return true
	}
	if debug.SetMemoryLimit(-1) != none {
		return false
	}
	g.starts = 1
	g.on = true
	g.gen++
	g.limit = none
	g.at, g.allocs, g.rate = time.Time{}, 0, 0
	g.evaluateLocked()
	g.armLocked()
	go g.tickLoop(g.gen)
	return true
}

// tickLoop re-evaluates every tick until the governor is stopped or
// restarted.
func (g *Governor) tickLoop(gen uint64) {
	every := cmp.Or(g.tickEvery, tick)
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		g.mu.Lock()
		if !g.on || g.gen != gen {
			g.mu.Unlock()
			return
		}
		g.evaluateLocked()
		g.mu.Unlock()
	}
}

// Stop undoes one Start; the last turns the governor off and removes the
// limit it set.
func (g *Governor) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.on {
		return
	}
	if g.starts--; g.starts > 0 {
		return
	}
	g.on = false
	g.gen++
	if g.limit != none {
		debug.SetMemoryLimit(none)
		g.limit = none
	}
}

// On reports whether the governor is on (started, not stopped).
func (g *Governor) On() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.on
}

// Bulk lifts the limit until the returned release is called (once;
// further calls do nothing). Holders are counted: the limit comes back
// when the last one releases, set from the live heap as it then stands.
// Off, it only counts, so bulk work that began before Start (the start's
// background merge) still lifts the limit when the governor comes on.
func (g *Governor) Bulk() (release func()) {
	g.mu.Lock()
	g.bulk++
	g.bulks.Add(1)
	if g.on && g.limit != none {
		debug.SetMemoryLimit(none)
		g.limit = none
	}
	g.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.bulk--
			g.evaluateLocked()
		})
	}
}

// Holding is how many holders of Bulk have not released yet.
func (g *Governor) Holding() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.bulk
}

// Limit is the limit the governor has set (0: none, off or lifted).
func (g *Governor) Limit() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.limit == none {
		return 0
	}
	return g.limit
}

// armLocked registers a cleanup that runs after the next collection
// frees its sentinel: it re-evaluates the limit and arms itself again,
// until the governor is stopped or restarted (another gen).
func (g *Governor) armLocked() {
	// Pointer-holding, so that it is never one of the tiny allocator's
	// shared blocks (whose cleanups may never run).
	sentinel := &struct{ _ *int }{}
	runtime.AddCleanup(sentinel, g.afterGC, g.gen)
}

func (g *Governor) afterGC(gen uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.on || g.gen != gen {
		return
	}
	g.evaluateLocked()
	g.armLocked()
}

// evaluateLocked sets the limit from the runtime's figures, or lifts it
// while bulk work runs.
func (g *Governor) evaluateLocked() {
	if !g.on {
		return
	}
	s := read()
	g.live.Store(s.live)
	recent := g.observeLocked(s.allocs, time.Now())
	want := int64(none)
	if g.bulk == 0 {
		want = Target(s, recent)
	}
	if want == g.limit {
		return
	}
	// Small moves are not worth a call (each recomputes the collector's
	// pacing); moves down are taken at 1/32, moves up at once.
	if want != none && g.limit != none && want < g.limit && g.limit-want < g.limit/32 {
		return
	}
	debug.SetMemoryLimit(want)
	g.limit = want
	g.adjustments.Add(1)
}

// observeLocked folds the allocations since the last evaluation into the
// rate and returns the rate the headroom follows: the larger of the
// decayed rate and the one since then (a burst widens the headroom at
// once; its end narrows it over the window).
func (g *Governor) observeLocked(allocs uint64, now time.Time) float64 {
	if g.at.IsZero() || allocs < g.allocs {
		g.allocs, g.at = allocs, now
		return g.rate
	}
	dt := now.Sub(g.at)
	if dt < 10*time.Millisecond {
		return g.rate // collections in a burst: too short to measure
	}
	recent := float64(allocs-g.allocs) / dt.Seconds()
	keep := math.Exp(-dt.Seconds() / cmp.Or(g.window, rateWindow).Seconds())
	g.rate = keep*g.rate + (1-keep)*recent
	g.allocs, g.at = allocs, now
	return max(g.rate, recent)
}

// Target is the limit for the runtime's state s at an allocation rate
// (bytes a second): what the runtime holds besides the heap's objects
// (stacks, its own structures, the unused parts of its spans), plus the
// heap it should let grow to, live heap and headroom, grossed up by the
// margin the runtime keeps below a limit. That margin (mgcpacer.go,
// memoryLimitHeapGoal: 3 % of the heap goal, at least 1 MiB) would
// otherwise eat the headroom: at 1 GB live, all of MinHeadroom, and the
// collector would run without pause (found in review, probed at 1.1 GB).
// So the heap goal the runtime derives is never below live + headroom.
func Target(s Sample, rate float64) int64 {
	heap := s.live + Headroom(s.live, rate)
	return int64(s.nonHeap + heap*100/runtimeMarginPercent + runtimeMarginMin)
}

// The runtime's own margin below a memory limit (see Target).
const (
	runtimeMarginPercent = 97 // the goal is at most 97 % of what the limit leaves the heap
	runtimeMarginMin     = 1 << 20
)

// Headroom is the heap allowed above the live heap at an allocation rate:
// max(MinHeadroom, min(live, rate × Runway)).
func Headroom(live uint64, rate float64) uint64 {
	return max(MinHeadroom, min(live, uint64(rate*Runway.Seconds())))
}

// Sample is the runtime's memory as the governor reads it.
type Sample struct {
	live    uint64 // /gc/heap/live:bytes, marked at the last collection
	nonHeap uint64 // what the limit counts besides the heap's objects
	allocs  uint64 // /gc/heap/allocs:bytes, allocated since the start
}

// Live is the live heap the sample read.
func (s Sample) Live() uint64 { return s.live }

var sampleNames = []string{
	"/gc/heap/live:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/objects:bytes",
	"/gc/heap/allocs:bytes",
}

// Read samples the runtime now.
func Read() Sample { return read() }

func read() Sample {
	ms := make([]metrics.Sample, len(sampleNames))
	for i, n := range sampleNames {
		ms[i].Name = n
	}
	metrics.Read(ms)
	v := func(i int) uint64 { return ms[i].Value.Uint64() }
	// The limit counts total minus released. The runtime's heap goal
	// under it subtracts all but the free spans and the objects
	// (memoryLimitHeapGoal): stacks, its own structures and the unused
	// parts of in-use spans, which grow with goroutines and
	// fragmentation, not with garbage.
	heap := v(3) + v(4)
	held := v(1) - v(2)
	var nonHeap uint64
	if held > heap {
		nonHeap = held - heap
	}
	return Sample{live: v(0), nonHeap: nonHeap, allocs: v(5)}
}
