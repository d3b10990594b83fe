package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// /metrics is served on --metrics-addr only: the public address answers
// it with a 404 problem.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
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
}
