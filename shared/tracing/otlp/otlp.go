// Package otlp starts Zhengwu's tracing with the OpenTelemetry SDK and an
// OTLP/HTTP exporter. It is apart from package tracing so that the
// modules that only make spans do not link the SDK and the exporter.
package otlp

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"

	"zhengwu/shared/tracing"
)

// Options configure Setup.
type Options struct {
	// Endpoint is the collector's OTLP/HTTP URL, such as
	// http://otel-collector:4318: the base URL, as OpenTelemetry's
	// OTEL_EXPORTER_OTLP_ENDPOINT is (spans go to TracesURL of it); empty =
	// tracing off.
	Endpoint string
	// SampleRatio is the share of new traces kept (0 to 1). A request
	// that arrives with a sampled traceparent is kept whatever the ratio
	// (the caller's decision stands, as the W3C model wants).
	SampleRatio float64
	// Service names the process in the collector (service.name); Version
	// and Targets (the --target list) describe it.
	Service string
	Version string
	Targets []string
	// Logger receives the exporter's failures (a collector that does not
	// answer: one line per failed export, every few seconds at most);
	// nil = slog.Default().
	Logger *slog.Logger
}

// Setup starts tracing as opt says and returns what flushes the spans
// still buffered and stops the exporter (call it at shutdown). With no
// endpoint it does nothing and tracing stays off.
func Setup(ctx context.Context, opt Options) (shutdown func(context.Context) error, err error) {
	if opt.Endpoint == "" {
		return func(context.Context) error { return nil }, nil
	}
	if err := tracing.CheckEndpoint(opt.Endpoint); err != nil {
		return nil, err
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(TracesURL(opt.Endpoint)),
		otlptracehttp.WithCompression(otlptracehttp.GzipCompression))
	if err != nil {
		return nil, fmt.Errorf("tracing: OTLP exporter: %w", err)
	}
	res := resource.NewSchemaless(semconv.ServiceName(opt.Service), semconv.ServiceVersion(opt.Version),
		attribute.StringSlice("zhengwu.targets", opt.Targets))
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(opt.SampleRatio))),
	)
	log := opt.Logger
	if log == nil {
		log = slog.Default()
	}
	// The SDK reports failed exports through OpenTelemetry's global error
	// handler, which would print them with the standard logger, apart
	// from the structured log.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("tracing: export to the collector failed", "err", err)
	}))
	uninstall := tracing.Install(tp)
	return func(ctx context.Context) error {
		uninstall()
		return tp.Shutdown(ctx)
	}, nil
}

// TracesURL is where spans are posted: the endpoint's path with
// /v1/traces appended, as for OTEL_EXPORTER_OTLP_ENDPOINT (a collector
// behind a proxy at https://apm.example.gov.cn/otlp receives them at
// /otlp/v1/traces).
func TracesURL(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint // CheckEndpoint refuses it first
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/traces"
	return u.String()
}
