package testkit

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// HeapPeak samples the heap in use every few milliseconds until stop is
// called, and stop returns the largest growth above the level at the
// start: a test that streams a large body checks with it that the body
// was never held in memory.
func HeapPeak(t testing.TB) (stop func() uint64) {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond) // the sampling rate, not a wait
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > base && ms.HeapInuse-base > peak.Load() {
				peak.Store(ms.HeapInuse - base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}
