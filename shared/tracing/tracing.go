// Package tracing is Zhengwu's OpenTelemetry tracing: off by default, on
// when serve is given an OTLP endpoint (--otlp-endpoint). The HTTP
// middleware (shared/httpx), the store decorator (shared/store/traced),
// the feed follower (shared/store) and the search index start their spans
// through Start, which costs one atomic load and nothing else while
// tracing is off: no exporter, no goroutine, no allocation.
//
// What spans carry is decided here once: names of routes, collections,
// indexes and followers, counts, sequence numbers and the request id —
// never a document's contents, a token, or what a signed-in user typed
// (docs/operations.md, 链路追踪).
package tracing

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName names the instrumentation scope of every Zhengwu span.
const ScopeName = "zhengwu"

// Attribute keys Zhengwu sets beside the OpenTelemetry conventions.
const (
	// RequestIDKey is the request id (X-Request-Id, the access log's
	// requestId): on the HTTP span and on every span under it, so that a
	// trace and a log line find each other.
	RequestIDKey = attribute.Key("zhengwu.request_id")
	// CollectionKey is the store collection a store span touched.
	CollectionKey = attribute.Key("zhengwu.store.collection")
)

// tracer is the tracer in force; nil while tracing is off.
var tracer atomic.Pointer[trace.Tracer]

// propagator reads and writes the W3C traceparent/tracestate headers.
var propagator = propagation.TraceContext{}

// Enabled reports whether spans are being made.
func Enabled() bool { return tracer.Load() != nil }

// noopSpan is what Start returns while tracing is off: a span whose
// methods do nothing (the API's non-recording span).
var noopSpan = trace.SpanFromContext(context.Background())

// Start starts a span under the one in ctx (or a root span) when tracing
// is on; off, it returns ctx and a span that does nothing, at the cost of
// one atomic load. Callers that would build attributes to pass should
// check Enabled first (a variadic list is built before the call).
func Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	t := tracer.Load()
	if t == nil {
		return ctx, noopSpan
	}
	ctx, span := (*t).Start(ctx, name, opts...)
	if span.IsRecording() { // an unsampled span would drop it anyway
		if id := RequestID(ctx); id != "" {
			span.SetAttributes(RequestIDKey.String(id))
		}
	}
	return ctx, span
}

// Install makes tp the provider of every span from now on (serve's Setup;
// a test's in-memory provider) and returns what puts tracing off again.
func Install(tp trace.TracerProvider) (uninstall func()) {
	t := tp.Tracer(ScopeName)
	tracer.Store(&t)
	return func() { tracer.Store(nil) }
}

// CheckEndpoint accepts an http:// or https:// URL with a host (the
// --otlp-endpoint check, shared with the configuration).
func CheckEndpoint(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http:// or https:// URL of an OTLP/HTTP collector, such as http://otel-collector:4318")
	}
	if u.User != nil || strings.ContainsAny(v, "\r\n") {
		return fmt.Errorf("the URL must not carry credentials (give the collector's TLS or network the trust)")
	}
	return nil
}
