package docnumber_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"zhengwu/shared/store"
)

// BenchmarkRegister measures registrations per second on the embedded
// SQLite store, each one a full registration: the sequence step, the
// record, the subject's own write and the audit entry in one PutAll.
// "sequential" is one clerk after another; "parallel8" is eight at once
// on one prefix-year, where every number is contended and a loser retries.
func BenchmarkRegister(b *testing.B) {
	for _, workers := range []int{1, 8} {
		name := "sequential"
		if workers > 1 {
			name = fmt.Sprintf("parallel%d", workers)
		}
		b.Run(name, func(b *testing.B) {
			bk, _ := book(b)
			ctx := context.Background()
			var next atomic.Int64
			var failed atomic.Int64
			b.ResetTimer()
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						id := fmt.Sprintf("doc-%d", i)
						w := store.Write{Collection: docs, ID: id, Data: []byte(`{"title":"通知"}`), ExpectVersion: 0}
						if _, err := bk.Register(ctx, actor("clerk"), prefix, year, subject(id), w); err != nil {
							failed.Add(1)
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d of %d registrations failed", n, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
		})
	}
}
