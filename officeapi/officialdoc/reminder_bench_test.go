package officialdoc_test

import (
	"context"
	"testing"
	"time"

	"zhengwu/officeapi/reminder"
	"zhengwu/officeapi/workflow"
)

// BenchmarkReminderScan is what a reminder pass reads to find the tasks
// whose deadlines have passed, on the seeded store, without the sending:
// "scan" reads every instance (reminder.StoreTasks, each pass); "due" asks
// the due index, loaded once (its load reported as load-ms), a minute
// later each time, as the scheduler's passes come.
func BenchmarkReminderScan(b *testing.B) {
	bn := office(b)
	ctx := context.Background()
	b.Run("scan", func(b *testing.B) {
		for range b.N {
			n := 0
			if err := (reminder.StoreTasks{Store: bn.store}).Open(ctx, func(_ *workflow.Instance, t workflow.TaskItem) error {
				if !t.Due.IsZero() && !benchNow.Before(t.Due) || !t.EscalateAt.IsZero() && !benchNow.Before(t.EscalateAt) {
					n++
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(n), "passed")
		}
	})
	b.Run("due", func(b *testing.B) {
		idx := &reminder.DueIndex{Store: bn.store}
		start := time.Now()
		n := 0
		count := func(*workflow.Instance, workflow.TaskItem) error { n++; return nil }
		if err := idx.Due(ctx, benchNow, count); err != nil {
			b.Fatal(err)
		}
		load := time.Since(start)
		b.ResetTimer()
		for i := range b.N {
			if err := idx.Due(ctx, benchNow.Add(time.Duration(i+1)*time.Minute), count); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(load.Milliseconds()), "load-ms")
		b.ReportMetric(float64(n), "handed-out")
	})
}
