package index

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"zhengwu/shared/tracing"
)

// IndexKey names the index a span read or wrote.
const IndexKey = attribute.Key("zhengwu.index")

// startSpan starts op's span on the index under the span in ctx (see
// tracing.Start: off, it costs an atomic load). Only the index's name and
// counts go on it, never the query: what an office user searched for is
// theirs (docs/operations.md, 链路追踪).
func (ix *Index) startSpan(ctx context.Context, op string) (context.Context, trace.Span) {
	if !tracing.Enabled() {
		return ctx, noSpan
	}
	return tracing.Start(ctx, op, trace.WithAttributes(IndexKey.String(ix.name)))
}

var noSpan = trace.SpanFromContext(context.Background())

// endSpan ends span, with hits (total matches; negative: not known) and
// err's failure.
func endSpan(span trace.Span, hits int64, err error) {
	if !span.IsRecording() {
		return
	}
	if hits >= 0 {
		span.SetAttributes(attribute.Int64("zhengwu.index.hits", hits))
	}
	if err != nil {
		span.SetStatus(codes.Error, "index failure")
	}
	span.End()
}
