package feed_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"zhengwu/search/feed"
	"zhengwu/shared/store/storetest"
)

// BenchmarkFeedLag measures read-your-writes with a running consumer: one
// op is a Put followed by WaitFor on the sequence it returned. lag-ms/op
// is the time from the Put's return to WaitFor's. "notify": the writer
// calls Notify (same process); "poll": it does not, and the consumer finds
// the write on its next poll (DefaultInterval). In this lock-step loop
// each write lands just after a poll, so "poll" shows the worst case.
func BenchmarkFeedLag(b *testing.B) {
	for _, notify := range []bool{true, false} {
		name := map[bool]string{true: "notify", false: "poll"}[notify]
		b.Run(name, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := storetest.NewSQLite(b)
			c := newConsumer(b, s)
			c.Interval = feed.DefaultInterval
			if notify {
				c.Interval = time.Minute
			}
			go func() { _ = c.Run(ctx) }()
			var lag time.Duration
			b.ResetTimer()
			for i := range b.N {
				d := put(b, s, articles, fmt.Sprintf("a%d", i%100), article{Title: "x", N: i})
				start := time.Now()
				if notify {
					c.Notify()
				}
				if err := c.Index.WaitFor(ctx, d.Seq, 10*time.Second); err != nil {
					b.Fatal(err)
				}
				lag += time.Since(start)
			}
			b.ReportMetric(float64(lag.Microseconds())/1000/float64(b.N), "lag-ms/op")
		})
	}
}
