package desktop_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/testkit"
)

// BenchmarkHubFanOut is one change told to open streams: 64 of them, the
// change concerning every one (named users) or one. An op is the change's
// write, the hub's step over it (one store read, the audience, 64 lookups)
// and the concerned streams' events taken; BenchmarkStoreWrite is the
// write alone, to subtract.
func BenchmarkHubFanOut(b *testing.B) {
	for _, concerned := range []int{64, 1} {
		b.Run(fmt.Sprintf("64 streams, %d concerned", concerned), func(b *testing.B) {
			e := testkit.New(b)
			h := &desktop.Hub{Store: e.Store, Logger: e.Log, Buffer: 4,
				Sources: func() []desktop.Source { return []desktop.Source{notes{}} }}
			if err := h.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(h.Stop)
			var subs []*desktop.Subscription
			var users []string
			for i := range 64 {
				u := "u-" + strconv.Itoa(i)
				users = append(users, u)
				s, err := h.Subscribe(&auth.Principal{UserID: u}, strconv.FormatInt(h.Seq(), 10))
				if err != nil {
					b.Fatal(err)
				}
				subs = append(subs, s)
			}
			n := note{Users: users[:concerned]}
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				put(b, e, "n"+strconv.Itoa(i%16), n)
				if err := h.CatchUp(ctx); err != nil {
					b.Fatal(err)
				}
				for _, s := range subs[:concerned] {
					<-s.Events
				}
			}
		})
	}
}

func BenchmarkStoreWrite(b *testing.B) {
	e := testkit.New(b)
	n := note{Users: []string{"u-1"}}
	for i := range b.N {
		put(b, e, "n"+strconv.Itoa(i%16), n)
	}
}
