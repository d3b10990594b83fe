package notify_test

import (
	"context"
	"fmt"
	"testing"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// everyone exists, enabled and 非密: the benchmarks measure the inbox,
// not the organisation.
func everyone(_ context.Context, ids []string) (map[string]notify.Recipient, error) {
	out := make(map[string]notify.Recipient, len(ids))
	for _, id := range ids {
		out[id] = notify.Recipient{Clearance: classification.Feimi}
	}
	return out, nil
}

func newInbox(b *testing.B) (*officetest.Env, *notify.Service) {
	e := officetest.New(b)
	svc, err := notify.New(notify.Deps{Deps: e.Deps("notify"), Recipients: everyone})
	if err != nil {
		b.Fatal(err)
	}
	e.Mount(svc, nil)
	return e, svc
}

func people(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("u%04d", i)
	}
	return out
}

// BenchmarkSend is a meeting notice to 300 people, per recipient, beside
// the baseline: one records Create of a document of the same size (one
// notification, with its audit entry).
func BenchmarkSend(b *testing.B) {
	ctx := context.Background()
	// A meeting notice reads each recipient's preferences; a task notice
	// (which cannot be switched off) reads none.
	for _, kind := range []string{notify.KindMeeting, notify.KindTask} {
		b.Run("send-300-"+kind+"/per-recipient", func(b *testing.B) {
			_, svc := newInbox(b)
			to := people(300)
			b.ResetTimer()
			for i := range b.N {
				if err := svc.Send(ctx, notify.Notice{Recipients: to, Kind: kind, Title: "会议通知：全省政务公开工作会议",
					Body: "12月8日 09:00，第一会议室", Link: "/office/meetings/m1", Key: fmt.Sprintf("meeting:%d", i)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(to)), "ns/recipient")
		})
	}
	b.Run("baseline-records-create", func(b *testing.B) {
		e := officetest.New(b)
		c, err := records.Open(records.Config[notify.Notification]{Deps: e.Deps("baseline"), Collection: "bench_notes",
			Noun: records.Noun{Zh: "消息", En: "notification"}, Access: notify.AccessOf})
		if err != nil {
			b.Fatal(err)
		}
		e.Mount(c, nil)
		a := records.Actor{P: &auth.Principal{UserID: "u0000"}}
		b.ResetTimer()
		for range b.N {
			if _, _, err := c.Create(ctx, a, "bench.create", notify.Notification{Recipient: "u0001", Kind: notify.KindMeeting,
				Title: "会议通知：全省政务公开工作会议", Body: "12月8日 09:00，第一会议室", Link: "/office/meetings/m1",
				Key: "meeting:x", Classification: classification.Feimi}, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/recipient")
	})
}

// BenchmarkUnread is the bell's count on an inbox of 5,000 notices (the
// meeting notices, a seventh, read), beside the baseline: the first page
// of that inbox.
func BenchmarkUnread(b *testing.B) {
	ctx := context.Background()
	_, svc := newInbox(b)
	me := &auth.Principal{UserID: "u0001", Clearance: classification.Feimi}
	others := people(10)
	for i := range 5000 {
		// Each notice also goes to 9 others: the index holds 50,000.
		if err := svc.Send(ctx, notify.Notice{Recipients: others, Kind: notify.Kinds[i%len(notify.Kinds)], Title: "通知",
			Key: fmt.Sprintf("k%d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := svc.ReadAll(ctx, records.Actor{P: me}, notify.KindQuery{Kind: notify.KindMeeting}); err != nil {
		b.Fatal(err)
	}
	if err := svc.CatchUp(ctx); err != nil {
		b.Fatal(err)
	}
	b.Run("unread-count-5000", func(b *testing.B) {
		for range b.N {
			u, err := svc.UnreadCount(ctx, me, "")
			if err != nil || u.Total == 0 {
				b.Fatal(u, err)
			}
		}
	})
	b.Run("baseline-first-page", func(b *testing.B) {
		for range b.N {
			if _, err := svc.List(ctx, me, notify.ListQuery{Size: 20}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
