// Package tracingtest records the spans a test makes: an SDK provider
// that samples everything into an in-memory recorder, installed for the
// test and removed after it.
package tracingtest

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"zhengwu/shared/tracing"
)

// Recorder holds the spans ended since Record.
type Recorder struct {
	*tracetest.SpanRecorder
	stop func()
}

// Stop turns tracing off before the test ends (what a process without
// --otlp-endpoint runs with); the recorder keeps what it has.
func (r *Recorder) Stop() { r.stop() }

// Record turns tracing on for the rest of the test (every span kept) and
// off again at its end. Tracing is process-wide: a test that records must
// not run in parallel with another that does.
func Record(t testing.TB) *Recorder {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	uninstall := tracing.Install(tp)
	t.Cleanup(uninstall)
	return &Recorder{SpanRecorder: rec, stop: uninstall}
}

// Named are the ended spans called name, in the order they ended.
func (r *Recorder) Named(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range r.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// Children are the ended spans whose parent is parent.
func (r *Recorder) Children(parent sdktrace.ReadOnlySpan) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range r.Ended() {
		if s.Parent().SpanID() == parent.SpanContext().SpanID() && s.Parent().TraceID() == parent.SpanContext().TraceID() {
			out = append(out, s)
		}
	}
	return out
}

// Attr is the value of the span's attribute key ("" when absent), as
// text.
func Attr(s sdktrace.ReadOnlySpan, key string) string {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.Emit()
		}
	}
	return ""
}
