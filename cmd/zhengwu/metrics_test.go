package main

import (
	"context"
	"io"
	"math"
	"net/http"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// /metrics is served on --metrics-addr only: the public address answers
// it with a 404 problem.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	// No limit in force before (none of the parallel tests runs yet):
	// the memory governor comes on after the start.
	unlimited := debug.SetMemoryLimit(-1) == math.MaxInt64
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", t.TempDir(), "--addr", addr, "--metrics-addr", metricsAddr,
			"--log-level", "warn"}, nil, io.Discard, io.Discard, envOf(nil))
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	}()
	waitReady(t, "http://"+addr)

	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("/metrics on the public address: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, err = http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `zhengwu_http_requests_total{method="GET",route="/readyz",status="200"}`) {
		t.Fatalf("/metrics on --metrics-addr: %d %.500s", resp.StatusCode, body)
	}
	if unlimited && (!strings.Contains(string(body), "\nzhengwu_memory_governor_state 1\n") ||
		strings.Contains(string(body), "\nzhengwu_memory_limit_bytes 0\n")) {
		t.Fatalf("the memory governor is not on after the start: %s", grepLines(string(body), "zhengwu_memory_"))
	}
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// --pprof serves Go's profiles on --metrics-addr (and never on the
// public address); without it there are none. --pprof alone, with no
// metrics address to serve them on, stops the start.
func TestProfilesOnlyWhenAsked(t *testing.T) {
	// profile reports whether u answers with a profile (a gzipped
	// protocol buffer, not a page or a problem).
	profile := func(u string) bool {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode == 200 && resp.Header.Get("Content-Type") == "application/octet-stream"
	}
	for _, profiling := range []bool{false, true} {
		addr, metricsAddr := freeAddr(t), freeAddr(t)
		args := []string{"serve", "--data", t.TempDir(), "--addr", addr, "--metrics-addr", metricsAddr, "--log-level", "warn"}
		if profiling {
			args = append(args, "--pprof", "--memory-limit=512MiB")
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		go func() { done <- run(ctx, args, nil, io.Discard, io.Discard, envOf(nil)) }()
		waitReady(t, "http://"+addr)
		if got := profile("http://" + metricsAddr + "/debug/pprof/heap"); got != profiling {
			t.Errorf("pprof=%v: heap profile on --metrics-addr: %v", profiling, got)
		}
		if profile("http://" + addr + "/debug/pprof/heap") {
			t.Errorf("pprof=%v: heap profile on the public address", profiling)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not shut down")
		}
	}
	var stderr strings.Builder
	if code := run(context.Background(), []string{"serve", "--data", t.TempDir(), "--pprof"}, nil, io.Discard, &stderr, envOf(nil)); code == 0 || !strings.Contains(stderr.String(), "--metrics-addr") {
		t.Fatalf("--pprof without --metrics-addr: exit %d, %s", code, stderr.String())
	}
}
