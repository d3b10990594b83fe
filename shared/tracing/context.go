package tracing

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
)

type requestIDKey struct{}

// WithRequestID carries the request id in ctx, so that every span started
// under it names the request (Start sets RequestIDKey).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the request id WithRequestID put in ctx ("" if none).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Extract returns ctx with the remote span context of an incoming
// traceparent header (ctx unchanged when there is none, or it is
// malformed: a bad header starts a new trace rather than fail a request).
func Extract(ctx context.Context, carrier propagation.TextMapCarrier) context.Context {
	return propagator.Extract(ctx, carrier)
}

// Inject writes the traceparent of the span in ctx into carrier: what a
// call to another service sends (none exists today: the services share
// the store, not HTTP; docs/operations.md).
func Inject(ctx context.Context, carrier propagation.TextMapCarrier) {
	propagator.Inject(ctx, carrier)
}
