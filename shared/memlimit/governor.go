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
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// The headroom above the live heap: max(live/HeadroomDivisor,
// MinHeadroom). The collector runs each time the program has allocated
// about the headroom, so its work per allocated byte is live/headroom
// (GOGC=100: 1; a quarter: 4). Chosen by measurement (docs/benchmarks.md,
// memgov): the mixed load's throughput and latency did not move beyond
// the run-to-run noise while the anonymous memory fell by the garbage and
// the idle heap. The floor keeps a small heap (a demo, a test server)
// from collecting every few hundred kilobytes.
const (
	HeadroomDivisor = 4
	MinHeadroom     = 32 << 20
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
	mu    sync.Mutex
	on    bool
	gen   uint64 // a GC hook of an older Start finds another gen and stops
	bulk  int    // holders of Bulk
	limit int64  // the limit the governor set last; none when lifted or off

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
func (g *Governor) Start() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.on {
		return true
	}
	if debug.SetMemoryLimit(-1) != none {
		return false
	}
	g.on = true
	g.gen++
	g.limit = none
	g.evaluateLocked()
	g.armLocked()
	return true
}

// Stop turns the governor off and removes the limit it set.
func (g *Governor) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.on {
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
	want := int64(none)
	if g.bulk == 0 {
		s := read()
		g.live.Store(s.live)
		want = Target(s)
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

// Target is the limit for the runtime's state s: what the runtime holds
// besides the heap's objects (stacks, its own structures), plus the live
// heap, plus the headroom. It is never below what is live: the limit
// counts the runtime's whole memory, so a limit at or under it would
// keep the collector running.
func Target(s Sample) int64 {
	headroom := max(s.live/HeadroomDivisor, MinHeadroom)
	return int64(s.nonHeap + s.live + headroom)
}

// Sample is the runtime's memory as the governor reads it.
type Sample struct {
	live    uint64 // /gc/heap/live:bytes, marked at the last collection
	nonHeap uint64 // what the limit counts besides the heap's spans
}

// Live is the live heap the sample read.
func (s Sample) Live() uint64 { return s.live }

var sampleNames = []string{
	"/gc/heap/live:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
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
	// The limit counts total minus released; of that, free, objects and
	// unused are the heap's spans: the rest is stacks and the runtime's
	// own (metadata, profiling buckets, other), which grows with
	// goroutines, not with garbage.
	heap := v(3) + v(4) + v(5)
	held := v(1) - v(2)
	var nonHeap uint64
	if held > heap {
		nonHeap = held - heap
	}
	return Sample{live: v(0), nonHeap: nonHeap}
}
