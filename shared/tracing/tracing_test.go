package tracing_test

import (
	"context"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/propagation"

	"zhengwu/shared/tracing"
	"zhengwu/shared/tracing/tracingtest"
)

// Off (the default): Start hands back the caller's context and a span
// that records nothing, and nothing is made.
func TestOffMakesNothing(t *testing.T) {
	if tracing.Enabled() {
		t.Fatal("tracing on by default")
	}
	ctx := tracing.WithRequestID(context.Background(), "r1")
	got, span := tracing.Start(ctx, "x")
	if got != ctx || span.IsRecording() || span.SpanContext().IsValid() {
		t.Fatalf("off: context changed or a live span: recording=%v valid=%v", span.IsRecording(), span.SpanContext().IsValid())
	}
	span.End()
	if n := testing.AllocsPerRun(100, func() { _, s := tracing.Start(ctx, "x"); s.End() }); n != 0 {
		t.Fatalf("off: %v allocations a span, want 0", n)
	}
}

// On: spans nest through the context and carry the request id; Install's
// undo puts tracing off again.
func TestOnNestsAndCarriesRequestID(t *testing.T) {
	rec := tracingtest.Record(t)
	ctx := tracing.WithRequestID(context.Background(), "req-42")
	ctx, parent := tracing.Start(ctx, "parent")
	_, child := tracing.Start(ctx, "child")
	child.End()
	parent.End()
	p, c := rec.Named("parent"), rec.Named("child")
	if len(p) != 1 || len(c) != 1 {
		t.Fatalf("spans: %d parent, %d child", len(p), len(c))
	}
	if c[0].Parent().SpanID() != p[0].SpanContext().SpanID() {
		t.Fatal("child not under parent")
	}
	for _, s := range []string{"parent", "child"} {
		if got := tracingtest.Attr(rec.Named(s)[0], string(tracing.RequestIDKey)); got != "req-42" {
			t.Fatalf("%s: request id %q", s, got)
		}
	}
}

// A traceparent comes in and goes out unchanged; a malformed one is
// ignored (a new trace), never an error.
func TestPropagation(t *testing.T) {
	tracingtest.Record(t)
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	in := http.Header{}
	in.Set("traceparent", tp)
	ctx := tracing.Extract(context.Background(), propagation.HeaderCarrier(in))
	ctx, span := tracing.Start(ctx, "server")
	defer span.End()
	if got := span.SpanContext().TraceID().String(); got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("trace id %s, want the caller's", got)
	}
	out := http.Header{}
	tracing.Inject(ctx, propagation.HeaderCarrier(out))
	if got := out.Get("traceparent"); len(got) != len(tp) || got[3:35] != tp[3:35] || got[36:52] == tp[36:52] {
		t.Fatalf("outgoing traceparent %q: want the same trace, this span as parent", got)
	}
	bad := http.Header{}
	bad.Set("traceparent", "00-zz-00-01")
	_, s2 := tracing.Start(tracing.Extract(context.Background(), propagation.HeaderCarrier(bad)), "server")
	defer s2.End()
	if !s2.SpanContext().IsValid() || s2.SpanContext().TraceID().String() == "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatal("a malformed traceparent did not start a new trace")
	}
}

func TestCheckEndpoint(t *testing.T) {
	for _, ok := range []string{"http://otel-collector:4318", "https://apm.example.gov.cn/otlp/v1/traces"} {
		if err := tracing.CheckEndpoint(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"otel-collector:4318", "grpc://c:4317", "http://", "http://u:p@c:4318", "ftp://c"} {
		if err := tracing.CheckEndpoint(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
