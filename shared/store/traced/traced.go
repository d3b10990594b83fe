// Package traced wraps a store.Store so that every call is a span (when
// tracing is on): store.get, store.put, … with the collection and, where
// it says something, a count or a sequence. Never the id of a document
// (ids can be personal: an account's login name) nor its contents.
package traced

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"zhengwu/shared/store"
	"zhengwu/shared/tracing"
)

// Store is the traced store.
type Store struct{ next store.Store }

// Wrap returns s with spans. serve wraps its store only when tracing is
// on; a wrapped store with tracing off costs one atomic load a call.
func Wrap(s store.Store) *Store { return &Store{next: s} }

// Unwrap returns the store underneath.
func (s *Store) Unwrap() store.Store { return s.next }

// start starts a client span for op, with the collection when there is
// one, under the span in ctx. With no span in ctx there is none: a store
// call outside a request or a traced step (the followers' polls of the
// feed, four a second each) would be a one-span trace of its own, noise
// that buries the traces worth reading.
func start(ctx context.Context, op, collection string) (context.Context, trace.Span) {
	if !tracing.Enabled() || !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx, noSpan
	}
	opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}
	if collection != "" {
		opts = append(opts, trace.WithAttributes(tracing.CollectionKey.String(collection)))
	}
	return tracing.Start(ctx, op, opts...)
}

// noSpan is the span of a call that is not traced: it does nothing.
var noSpan = trace.SpanFromContext(context.Background())

// end records an error that is a failure (not-found and conflicts are
// answers the callers expect, so they are attributes, not errors).
func end(span trace.Span, err error) {
	switch {
	case err == nil:
	case errors.Is(err, store.ErrNotFound):
		span.SetAttributes(attribute.String("zhengwu.store.outcome", "not_found"))
	case errors.Is(err, store.ErrConflict):
		span.SetAttributes(attribute.String("zhengwu.store.outcome", "conflict"))
	default:
		// Not err's text: a driver's message may quote a key or a value.
		span.SetStatus(codes.Error, "store failure")
	}
	span.End()
}

func (s *Store) Get(ctx context.Context, collection, id string) (store.Doc, error) {
	ctx, span := start(ctx, "store.get", collection)
	d, err := s.next.Get(ctx, collection, id)
	end(span, err)
	return d, err
}

func (s *Store) Put(ctx context.Context, collection, id string, data []byte, expect int64) (store.Doc, error) {
	ctx, span := start(ctx, "store.put", collection)
	d, err := s.next.Put(ctx, collection, id, data, expect)
	if err == nil && span.IsRecording() {
		span.SetAttributes(attribute.Int64("zhengwu.store.seq", d.Seq))
	}
	end(span, err)
	return d, err
}

func (s *Store) PutAll(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	ctx, span := start(ctx, "store.put_all", "")
	if span.IsRecording() {
		span.SetAttributes(attribute.Int("zhengwu.store.writes", len(writes)),
			attribute.StringSlice("zhengwu.store.collections", collections(writes)))
	}
	docs, err := s.next.PutAll(ctx, writes)
	end(span, err)
	return docs, err
}

// collections are the distinct collections of writes, in first-seen order.
func collections(writes []store.Write) []string {
	var out []string
	for _, w := range writes {
		seen := false
		for _, c := range out {
			if c == w.Collection {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, w.Collection)
		}
	}
	return out
}

func (s *Store) Delete(ctx context.Context, collection, id string, expect int64) (int64, error) {
	ctx, span := start(ctx, "store.delete", collection)
	seq, err := s.next.Delete(ctx, collection, id, expect)
	end(span, err)
	return seq, err
}

func (s *Store) Incr(ctx context.Context, counter string, delta int64) (int64, error) {
	// The counter's name is the collection's equivalent (gateway counts,
	// number sequences): no personal data.
	ctx, span := start(ctx, "store.incr", "")
	if span.IsRecording() {
		span.SetAttributes(attribute.String("zhengwu.store.counter", counter))
	}
	n, err := s.next.Incr(ctx, counter, delta)
	end(span, err)
	return n, err
}

func (s *Store) Scan(ctx context.Context, collection, afterID string, limit int) ([]store.Doc, error) {
	ctx, span := start(ctx, "store.scan", collection)
	docs, err := s.next.Scan(ctx, collection, afterID, limit)
	if span.IsRecording() {
		span.SetAttributes(attribute.Int("zhengwu.store.limit", limit), attribute.Int("zhengwu.store.docs", len(docs)))
	}
	end(span, err)
	return docs, err
}

func (s *Store) Feed(ctx context.Context, afterSeq int64, limit int) ([]store.Change, error) {
	ctx, span := start(ctx, "store.feed", "")
	changes, err := s.next.Feed(ctx, afterSeq, limit)
	if span.IsRecording() {
		span.SetAttributes(attribute.Int64("zhengwu.feed.after", afterSeq), attribute.Int("zhengwu.feed.changes", len(changes)))
	}
	end(span, err)
	return changes, err
}

func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	ctx, span := start(ctx, "store.last_seq", "")
	n, err := s.next.LastSeq(ctx)
	end(span, err)
	return n, err
}

// Ping is not traced: /readyz calls it every few seconds, and a span per
// probe would drown the traces worth reading.
func (s *Store) Ping(ctx context.Context) error { return s.next.Ping(ctx) }

func (s *Store) Close() error { return s.next.Close() }

var _ store.Store = (*Store)(nil)
