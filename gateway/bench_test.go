package gateway_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// BenchmarkBulkSync: 2,000 released items written to the office store,
// then one CatchUp; reports items/s (goal ≥ 1,000/s on the embedded
// default).
func BenchmarkBulkSync(b *testing.B) {
	const n = 2000
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := wallEnv(testkit.New(b))
		for j := range n {
			e.put(released(fmt.Sprintf("bulk-%05d", j), 1, fmt.Sprintf("批量 %d", j)))
		}
		b.StartTimer()
		start := time.Now()
		if err := e.gw.CatchUp(e.ctx); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		b.StopTimer()
		if st, _ := e.gw.Status(e.ctx); st.Crossed != n {
			b.Fatalf("crossed %d of %d", st.Crossed, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "items/s")
}

// BenchmarkApprovalToPortal: with the gateway running (woken by the
// store's notifications, as in `zhengwu serve`), the time from the office
// writing a portal approval to the portal item being readable (written to
// portal_items, what the delivery API serves). Reports p50 and p99
// (goal p99 ≤ 1 s).
func BenchmarkApprovalToPortal(b *testing.B) {
	e := wallEnv(testkit.New(b))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = e.gw.Run(ctx) }()
	defer func() { cancel(); <-done }()
	// Some background items so the store is not empty.
	for j := range 500 {
		e.put(released(fmt.Sprintf("bg-%04d", j), 1, "背景"))
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("lat-%06d", i)
		it := released(id, 1, "待审")
		it.Portal.Approved = false
		e.put(it)
		it.Portal.Approved = true // the approval
		start := time.Now()
		e.put(it)
		for {
			if docID, _ := e.svc.ImportedDocID(e.ctx, id); docID != "" {
				if pi, _, err := store.Load[item.Item](e.ctx, e.Store, item.Collection, docID); err == nil && pi.Status == item.StatusPublished {
					break
				}
			}
			if time.Since(start) > 10*time.Second {
				b.Fatalf("%s not on the portal after 10 s", id)
			}
			time.Sleep(200 * time.Microsecond) // the measurement's resolution: Eventually's backoff would blur it
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	_ = content.ImportStep
}
