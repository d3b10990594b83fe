package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"zhengwu/cms/channel"
	"zhengwu/cms/delivery"
	"zhengwu/cms/delivery/deliveryhttp"
	"zhengwu/cms/item"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store"
	"zhengwu/shared/store/traced"
	"zhengwu/shared/testkit"
	"zhengwu/shared/tracing"
)

// What tracing costs a portal GET, server side (the Fiber handler with
// the whole middleware stack): "before" is the app without the trace
// middleware, "off" the default (middleware in, tracing off: serve
// without --otlp-endpoint), "on-unsampled" tracing on with the request
// not sampled (--trace-sample 0: what most requests pay at 0.1),
// "on-sampled" every request recorded and batched to an exporter that
// drops them, with the store wrapped in spans as serve wraps it.
//
// cpu-ns/op is the process's CPU time per request (cpuTime).
//
//	go test -run XXX -bench BenchmarkTracing -benchmem -count 10 ./cms/delivery
func BenchmarkTracing(b *testing.B) {
	ctx := context.Background()
	k := testkit.New(b)
	tree, err := channel.Seed(ctx, k.Store)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	var writes []store.Write
	for i := range 2000 {
		at := now.Add(-time.Duration(2000-i) * 10 * time.Minute)
		it := item.Item{ID: fmt.Sprintf("it%06d", i), Type: channel.TypeArticle, Channel: "news", Department: "xinxi",
			Path: fmt.Sprintf("news/it%06d", i), Visibility: channel.Public, Title: fmt.Sprintf("政务要闻%06d", i),
			Summary: "摘要", Status: item.StatusPublished, Edition: 1, PublishedAt: at, UpdatedAt: at}
		data, _ := json.Marshal(it)
		writes = append(writes, store.Write{Collection: item.Collection, ID: it.ID, Data: data, ExpectVersion: store.AnyVersion})
	}
	if _, err := k.Store.PutAll(ctx, writes); err != nil {
		b.Fatal(err)
	}
	handler := func(st store.Store, name string, opt httpx.Options) fasthttp.RequestHandler {
		svc, err := delivery.New(delivery.Deps{Store: st, Channels: tree,
			IndexDir: filepath.Join(k.Dir, "index-"+name), Logger: k.Log, FeedBatchSize: 5000})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = svc.Close() })
		if err := svc.CatchUp(ctx); err != nil {
			b.Fatal(err)
		}
		opt.Logger, opt.Registry = k.Log, prometheus.NewRegistry()
		app := httpx.NewApp(opt)
		openapi.Mount(app.Group("/api/portal/v1"), deliveryhttp.Routes(svc, k.Tokens))
		return app.Handler()
	}
	plain := handler(k.Store, "plain", httpx.Options{})
	before := handler(k.Store, "before", httpx.Options{NoTracing: true})
	wrapped := handler(traced.Wrap(k.Store), "traced", httpx.Options{})
	provider := func(sampler sdktrace.Sampler) *sdktrace.TracerProvider {
		tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithBatcher(tracetest.NewNoopExporter()))
		b.Cleanup(func() { _ = tp.Shutdown(ctx) })
		return tp
	}
	unsampled, sampled := provider(sdktrace.NeverSample()), provider(sdktrace.AlwaysSample())
	// One count over every run, so that each list-miss request is a miss
	// in every variant and every -count repetition.
	miss := 0

	for _, path := range []struct{ name, path string }{
		{"item-cached", "/api/portal/v1/items/it001990"},
		{"list-miss", "/api/portal/v1/items?channel=news&size=20&fields="},
	} {
		for _, v := range []struct {
			name string
			h    fasthttp.RequestHandler
			tp   *sdktrace.TracerProvider
		}{{"before", before, nil}, {"off", plain, nil}, {"on-unsampled", wrapped, unsampled}, {"on-sampled", wrapped, sampled}} {
			b.Run(path.name+"/"+v.name, func(b *testing.B) {
				if v.tp != nil {
					defer tracing.Install(v.tp)()
				}
				var fctx fasthttp.RequestCtx
				cpu0 := cpuTime(b)
				for b.Loop() {
					p := path.path
					if p[len(p)-1] == '=' {
						miss++
						p += missFields(miss)
					}
					fctx.Request.Reset()
					fctx.Response.Reset()
					fctx.Request.SetRequestURI(p)
					v.h(&fctx)
					if code := fctx.Response.StatusCode(); code != 200 {
						b.Fatalf("%s: %d", p, code)
					}
				}
				b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// cpuTime is the CPU time the process has used (user and system, every
// goroutine's: the exporter's batching included). On a shared machine
// it is a steadier gauge than ns/op, which also counts the time spent
// waiting for a core.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
