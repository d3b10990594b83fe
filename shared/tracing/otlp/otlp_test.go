package otlp_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"zhengwu/shared/tracing"
	"zhengwu/shared/tracing/otlp"
)

// No endpoint: nothing starts (no exporter, no goroutine) and tracing
// stays off.
func TestSetupOffStartsNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	stop, err := otlp.Setup(context.Background(), otlp.Options{SampleRatio: 1})
	if err != nil {
		t.Fatal(err)
	}
	if tracing.Enabled() {
		t.Fatal("tracing on without an endpoint")
	}
	if after := runtime.NumGoroutine(); after != before {
		t.Fatalf("goroutines %d → %d with tracing off", before, after)
	}
	if err := stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// An endpoint: spans reach the collector as OTLP/HTTP protobuf at
// /v1/traces by the time shutdown returns, and tracing is off after it.
func TestSetupExportsToCollector(t *testing.T) {
	var posts atomic.Int64
	var bytes atomic.Int64
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" && r.Header.Get("Content-Type") == "application/x-protobuf" {
			n, _ := io.Copy(io.Discard, r.Body)
			bytes.Add(n)
			posts.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()
	stop, err := otlp.Setup(context.Background(), otlp.Options{Endpoint: collector.URL, SampleRatio: 1,
		Service: "zhengwu", Version: "test", Targets: []string{"all"}})
	if err != nil {
		t.Fatal(err)
	}
	if !tracing.Enabled() {
		t.Fatal("tracing off with an endpoint")
	}
	_, span := tracing.Start(context.Background(), "GET /api/portal/v1/items")
	span.End()
	if err := stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if posts.Load() == 0 || bytes.Load() == 0 {
		t.Fatal("the collector received no spans")
	}
	if tracing.Enabled() {
		t.Fatal("tracing still on after shutdown")
	}
}

// Ratio 0: new traces are dropped at the source.
func TestSampleRatioZeroRecordsNothing(t *testing.T) {
	stop, err := otlp.Setup(context.Background(), otlp.Options{Endpoint: "http://127.0.0.1:9", SampleRatio: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())
	_, span := tracing.Start(context.Background(), "x")
	defer span.End()
	if span.IsRecording() || span.SpanContext().IsSampled() {
		t.Fatal("ratio 0 kept a new trace")
	}
}

func TestTracesURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://otel-collector:4318":       "http://otel-collector:4318/v1/traces",
		"http://otel-collector:4318/":      "http://otel-collector:4318/v1/traces",
		"https://apm.example.gov.cn/otlp":  "https://apm.example.gov.cn/otlp/v1/traces",
		"https://apm.example.gov.cn/otlp/": "https://apm.example.gov.cn/otlp/v1/traces",
	} {
		if got := otlp.TracesURL(in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
}

// A collector that refuses the spans is a warning in the structured log,
// not a line on the standard logger.
func TestExportFailureIsLogged(t *testing.T) {
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer collector.Close()
	var logged bytes.Buffer
	stop, err := otlp.Setup(context.Background(), otlp.Options{Endpoint: collector.URL, SampleRatio: 1,
		Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	_, span := tracing.Start(context.Background(), "x")
	span.End()
	_ = stop(context.Background())
	if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), "export to the collector failed") {
		t.Fatalf("log: %q", logged.String())
	}
}
