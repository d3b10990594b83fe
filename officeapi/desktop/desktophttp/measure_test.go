package desktophttp_test

import (
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestMeasureStreams (ZHENGWU_MEASURE=1) reports what open streams cost
// one process: memory and goroutines per idle stream (client and server
// share the process: the figures are an upper bound for the server), and
// the CPU time and latency of one change told to 64 open streams, from
// the write to the last stream's event.
func TestMeasureStreams(t *testing.T) {
	if os.Getenv("ZHENGWU_MEASURE") == "" {
		t.Skip("a measurement: set ZHENGWU_MEASURE=1")
	}
	e, base := newEnv(t)
	token := e.TokenOf("chuzhang")
	n, _ := strconv.Atoi(os.Getenv("ZHENGWU_MEASURE_STREAMS"))
	if n == 0 {
		n = 1000
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	var streams []*stream
	for range n {
		s := open(t, base, token, "")
		if _, ok := s.next(); !ok {
			t.Fatal("no first event")
		}
		streams = append(streams, s)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("%d idle streams open: %.1f KiB heap and %.1f goroutines each (client and server)", n,
		float64(after.HeapInuse-before.HeapInuse)/1024/float64(n), float64(runtime.NumGoroutine()-g0)/float64(n))

	// One change concerning 64 of them: a leave request of 秘书二处 that
	// their head may approve (each stream is the head's).
	cpu := func() time.Duration {
		var u syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
		return time.Duration(u.Utime.Nano() + u.Stime.Nano())
	}
	for _, s := range streams {
		_ = s.res.Body.Close()
	}
	e, base = newEnv(t) // a process with only the 64 open
	token = e.TokenOf("chuzhang")
	var fan []*stream
	for range 64 {
		s := open(t, base, token, "")
		if _, ok := s.next(); !ok {
			t.Fatal("no first event")
		}
		fan = append(fan, s)
	}
	staff := e.TokenOf("staff")
	for round := range 5 {
		c0, t0 := cpu(), time.Now()
		r := e.Do("POST", "/api/office/v1/leave/requests", staff,
			map[string]any{"kind": "事假", "start": "2026-06-0" + strconv.Itoa(round+1), "end": "2026-06-0" + strconv.Itoa(round+1), "reason": "测量"})
		if r.Status != 201 {
			t.Fatalf("apply: %d %s", r.Status, r.Body)
		}
		c1 := cpu()
		for _, s := range fan {
			if _, ok := s.next(); !ok {
				t.Fatal("a stream ended")
			}
		}
		t.Logf("one change to 64 streams: %v from the write to the last event; CPU %v for the write, %v for the fan-out (client reads included)",
			time.Since(t0).Round(time.Microsecond), (c1 - c0).Round(time.Microsecond), (cpu() - c1).Round(time.Microsecond))
	}
}
