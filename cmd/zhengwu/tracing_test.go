package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// collector is an OTLP/HTTP collector in the test: it keeps every span
// posted to /v1/traces, with its resource's service.name.
type collector struct {
	mu      sync.Mutex
	spans   []*tracepb.Span
	service []string
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		body = zr
	}
	data, _ := io.ReadAll(body)
	var req collectortrace.ExportTraceServiceRequest
	if r.URL.Path != "/v1/traces" || proto.Unmarshal(data, &req) != nil {
		http.Error(w, "bad export", 400)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for range ss.Spans {
				c.service = append(c.service, attr(rs.Resource.Attributes, "service.name"))
			}
			c.spans = append(c.spans, ss.Spans...)
		}
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(nil)
}

func attr(kvs []*commonpb.KeyValue, key string) string {
	for _, kv := range kvs {
		if kv.Key == key {
			switch v := kv.Value.Value.(type) {
			case *commonpb.AnyValue_StringValue:
				return v.StringValue
			case *commonpb.AnyValue_IntValue:
				return strconv.FormatInt(v.IntValue, 10)
			}
		}
	}
	return ""
}

// The real serve with --otlp-endpoint: a request's span reaches the
// collector named by its route, with its status and the request id the
// client got, and the store reads it made are its children carrying the
// same id; the feed steps of the process reach it too. serve flushes the
// spans as it stops.
func TestServeExportsTraces(t *testing.T) {
	col := &collector{}
	cs := httptest.NewServer(col)
	defer cs.Close()
	dir := t.TempDir()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--target", "cms", "--data", dir, "--addr", addr, "--log-level", "error",
			"--otlp-endpoint", cs.URL, "--trace-sample", "1", "--rate-limit", "0"}, nil, io.Discard, io.Discard, envOf(nil))
	}()
	base := "http://" + addr
	waitReady(t, base)
	resp, err := http.Get(base + "/api/portal/v1/items/no-such-item")
	if err != nil || resp.StatusCode != 404 {
		t.Fatalf("item: %v %v", err, resp)
	}
	resp.Body.Close()
	reqID := resp.Header.Get("X-Request-Id")
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}

	col.mu.Lock()
	defer col.mu.Unlock()
	var item *tracepb.Span
	names := map[string]int{}
	for i, s := range col.spans {
		names[s.Name]++
		if col.service[i] != "zhengwu" {
			t.Fatalf("span %s from service %q", s.Name, col.service[i])
		}
		if s.Name == "GET /api/portal/v1/items/:id" {
			item = s
		}
	}
	if item == nil {
		t.Fatalf("no item span; spans: %v", names)
	}
	if item.Kind != tracepb.Span_SPAN_KIND_SERVER || attr(item.Attributes, "http.response.status_code") != "404" ||
		attr(item.Attributes, "zhengwu.request_id") != reqID || reqID == "" {
		t.Fatalf("item span kind %v, request id %q (client got %q)", item.Kind, attr(item.Attributes, "zhengwu.request_id"), reqID)
	}
	var storeKids int
	for _, s := range col.spans {
		if bytes.Equal(s.ParentSpanId, item.SpanId) && strings.HasPrefix(s.Name, "store.") {
			storeKids++
			if attr(s.Attributes, "zhengwu.request_id") != reqID || !bytes.Equal(s.TraceId, item.TraceId) {
				t.Fatalf("%s under the item page: request id %q, trace %s", s.Name, attr(s.Attributes, "zhengwu.request_id"), hex.EncodeToString(s.TraceId))
			}
		}
	}
	if storeKids == 0 {
		t.Fatalf("no store span under the item page; spans: %v", names)
	}
	if names["feed.step"] == 0 {
		t.Fatalf("no feed.step span (the start's audit entry is a change the followers consume); spans: %v", names)
	}
}
