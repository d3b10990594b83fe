package memlimit

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// The tests drive the real runtime's one limit: none runs in parallel,
// and each leaves the runtime without a limit.
func startGovernor(t *testing.T) *Governor {
	t.Helper()
	if l := debug.SetMemoryLimit(-1); l != none {
		t.Skipf("a memory limit is in force (GOMEMLIMIT?): %d", l)
	}
	g := &Governor{tickEvery: 50 * time.Millisecond, window: 200 * time.Millisecond}
	if !g.Start() {
		t.Fatal("Start refused without a limit in force")
	}
	t.Cleanup(func() {
		g.Stop()
		debug.SetMemoryLimit(none)
	})
	return g
}

// settled collects until the governor's limit is what the runtime's
// state asks for at some allocation rate: the live heap, the runtime's
// own, and a headroom from MinHeadroom to the live heap (within the
// governor's 1/32 dead band).
func settled(t *testing.T, g *Governor) (limit int64, s Sample) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		time.Sleep(60 * time.Millisecond) // the hook and the ticker run on their own goroutines
		limit, s = g.Limit(), Read()
		lo, hi := Target(s, 0), Target(s, float64(s.live))
		if limit >= lo-lo/32 && limit <= hi+hi/32 {
			return limit, s
		}
		if time.Now().After(deadline) {
			t.Fatalf("limit %d did not follow the runtime: want %d to %d (live %d)", limit, lo, hi, s.live)
		}
	}
}

var held [][]byte

// heapGoal is the heap size at which the runtime starts its next
// collection, as it now stands.
func heapGoal() int64 {
	m := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(m)
	return int64(m[0].Value.Uint64())
}

func hold(mb int) {
	for range mb {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1 // touched: resident, as a real heap is
		}
		held = append(held, b)
	}
}

func TestLimitFollowsLiveHeap(t *testing.T) {
	g := startGovernor(t)
	base, s0 := settled(t, g)
	if rt := debug.SetMemoryLimit(-1); rt != base {
		t.Fatalf("runtime's limit %d, governor says %d", rt, base)
	}
	if base < int64(s0.live)+MinHeadroom {
		t.Fatalf("limit %d below live %d plus the floor", base, s0.live)
	}

	hold(128)
	grown, s1 := settled(t, g)
	if s1.live < s0.live+120<<20 {
		t.Fatalf("live heap %d after holding 128 MB (was %d)", s1.live, s0.live)
	}
	if want := int64(s1.live + MinHeadroom); grown < want {
		t.Fatalf("limit %d below live %d plus the floor", grown, s1.live)
	}

	held = nil
	dropped, s2 := settled(t, g)
	if dropped >= grown-100<<20 {
		t.Fatalf("limit %d did not come down after the heap dropped (was %d; live %d)", dropped, grown, s2.live)
	}
	if g.adjustments.Load() < 3 {
		t.Fatalf("%d adjustments, want the start's, the growth's and the drop's", g.adjustments.Load())
	}
}

// What counts is the heap goal the runtime derives from a limit, which
// keeps 3 % of it back: at a quiet process's Target the heap may still
// grow by the whole floor before a collection (at 1 GB live it once could
// not grow at all, and the collector ran without pause).
func TestTargetLeavesTheHeadroomToTheRuntime(t *testing.T) {
	if l := debug.SetMemoryLimit(-1); l != none {
		t.Skipf("a memory limit is in force (GOMEMLIMIT?): %d", l)
	}
	defer debug.SetMemoryLimit(none)
	hold(192)
	defer func() { held = nil }()
	runtime.GC()
	s := Read()
	debug.SetMemoryLimit(Target(s, 0))
	if room := heapGoal() - int64(s.live); room < MinHeadroom {
		t.Fatalf("at Target the runtime's heap goal leaves %d above live %d, want at least %d", room, s.live, MinHeadroom)
	}
}

// The limit is never at or below what the process holds live: checked
// after every collection while the live heap climbs in steps.
func TestNeverBelowLive(t *testing.T) {
	g := startGovernor(t)
	defer func() { held = nil }()
	for range 8 {
		hold(16)
		limit, s := settled(t, g)
		if limit <= int64(s.live+s.nonHeap) {
			t.Fatalf("limit %d at or below live %d plus the runtime's own %d", limit, s.live, s.nonHeap)
		}
		if limit-int64(s.live+s.nonHeap) < MinHeadroom-MinHeadroom/32 {
			t.Fatalf("limit %d leaves less than the floor above live %d", limit, s.live)
		}
	}
}

func TestBulkLiftsAndRestores(t *testing.T) {
	g := startGovernor(t)
	before, _ := settled(t, g)
	first, second := g.Bulk(), g.Bulk()
	if rt := debug.SetMemoryLimit(-1); rt != none || g.Limit() != 0 {
		t.Fatalf("limit %d during bulk work, want none", rt)
	}
	// Collections during bulk work leave it lifted.
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	first()
	first() // a second release of the same holder is nothing
	if rt := debug.SetMemoryLimit(-1); rt != none || g.Holding() != 1 {
		t.Fatalf("limit %d with one of two holders left (holding %d), want none", rt, g.Holding())
	}
	second()
	after, _ := settled(t, g)
	if rt := debug.SetMemoryLimit(-1); rt != after || after == 0 || after > 2*before {
		t.Fatalf("limit %d (runtime %d) after bulk work, was %d", after, rt, before)
	}
}

// Bulk work begun before Start (the start's background merge) keeps the
// limit lifted when the governor comes on.
func TestBulkBeforeStart(t *testing.T) {
	g := &Governor{tickEvery: 50 * time.Millisecond, window: 200 * time.Millisecond}
	release := g.Bulk()
	if !g.Start() {
		t.Fatal("Start refused")
	}
	t.Cleanup(func() { g.Stop(); debug.SetMemoryLimit(none) })
	if rt := debug.SetMemoryLimit(-1); rt != none {
		t.Fatalf("limit %d while the early bulk work runs", rt)
	}
	release()
	if limit, _ := settled(t, g); limit == 0 {
		t.Fatal("no limit after the early bulk work")
	}
}

func TestOffWithOperatorLimit(t *testing.T) {
	const operator = 3 << 30
	prev := debug.SetMemoryLimit(operator)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	g := &Governor{}
	if g.Start() {
		g.Stop()
		t.Fatal("Start took over an operator's limit")
	}
	release := g.Bulk()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if rt := debug.SetMemoryLimit(-1); rt != operator {
		t.Fatalf("limit %d during bulk work, want the operator's %d", rt, operator)
	}
	release()
	if rt := debug.SetMemoryLimit(-1); rt != operator || g.On() {
		t.Fatalf("limit %d after, want the operator's %d (on: %v)", rt, operator, g.On())
	}
}

func TestStopRemovesLimit(t *testing.T) {
	g := startGovernor(t)
	settled(t, g)
	g.Stop()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if rt := debug.SetMemoryLimit(-1); rt != none {
		t.Fatalf("limit %d after Stop, want none", rt)
	}
}

// The headroom widens while the program allocates fast (a busy server
// collects no more often than GOGC=100 would) and narrows to the floor
// once it has gone quiet.
func TestHeadroomFollowsAllocationRate(t *testing.T) {
	g := startGovernor(t)
	defer func() { held = nil }()
	hold(96)
	headroom := func() int64 {
		s := Read()
		return g.Limit() - int64(s.live+s.nonHeap)
	}
	quiet := func() int64 {
		deadline := time.Now().Add(5 * time.Second)
		for {
			time.Sleep(100 * time.Millisecond)
			runtime.GC()
			if h := headroom(); h < 48<<20 || time.Now().After(deadline) {
				return h
			}
		}
	}
	if h := quiet(); h >= 48<<20 {
		t.Fatalf("headroom %d MB when quiet, want near the floor (%d MB)", h>>20, MinHeadroom>>20)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var sink []byte
		for {
			select {
			case <-stop:
				_ = sink
				return
			default:
				sink = make([]byte, 256<<10) // garbage at once
			}
		}
	}()
	var widest int64
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && widest < 80<<20; {
		time.Sleep(50 * time.Millisecond)
		widest = max(widest, headroom())
	}
	close(stop)
	<-done
	if widest < 80<<20 {
		t.Fatalf("headroom at most %d MB while allocating fast, want up to the live heap (~96 MB)", widest>>20)
	}
	if h := quiet(); h >= 48<<20 {
		t.Fatalf("headroom %d MB after the allocations stopped, want near the floor", h>>20)
	}
}

// Two servers in one process: the second Start is counted, and the
// governor stays on until both have stopped; a Start that finds another's
// limit in force is refused and leaves that limit alone.
func TestStartsAreCounted(t *testing.T) {
	g := startGovernor(t)
	if !g.Start() {
		t.Fatal("a second Start refused while the governor's own limit is in force")
	}
	g.Stop()
	if !g.On() || debug.SetMemoryLimit(-1) == none {
		t.Fatal("the first Stop of two turned the governor off")
	}
	g.Stop()
	if g.On() || debug.SetMemoryLimit(-1) != none {
		t.Fatal("the last Stop left the governor on or its limit in force")
	}

	if !g.Start() {
		t.Fatal("Start refused after the last Stop")
	}
	const operator = 3 << 30
	debug.SetMemoryLimit(operator) // a second server's --memory-limit
	if g.Start() {
		t.Fatal("Start accepted while another's limit is in force")
	}
}
