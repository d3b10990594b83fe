package audit_test

import (
	"context"
	"sync"
	"testing"

	"zhengwu/shared/audit"
	"zhengwu/shared/store/storetest"
)

// Two trails on one store stand for two processes (the server and the
// CLI): their appends interleave, and the chain stays whole.
func TestConcurrentWritersKeepTheChain(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	a, b := audit.New(st, nil), audit.New(st, nil)
	var wg sync.WaitGroup
	for _, tr := range []*audit.Trail{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if _, err := tr.Record(ctx, audit.Event{Actor: "u1", Action: "auth.login", Outcome: audit.Success}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	r, err := audit.New(st, nil).Verify(ctx)
	if err != nil || !r.OK || r.Entries != 100 {
		t.Fatalf("verify: %+v %v", r, err)
	}
	// A trail opened later continues the chain.
	c := audit.New(st, nil)
	e, err := c.Record(ctx, audit.Event{Actor: "u2", Action: "user.create", Outcome: audit.Success})
	if err != nil || e.Seq != 101 {
		t.Fatalf("append after reopen: %+v %v", e, err)
	}
	if r, _ := c.Verify(ctx); !r.OK || r.Entries != 101 {
		t.Fatalf("verify after reopen: %+v", r)
	}
	list, err := c.List(ctx, 99, 10)
	if err != nil || len(list) != 2 || list[1].Actor != "u2" || list[1].PrevHash != list[0].Hash {
		t.Fatalf("list: %+v %v", list, err)
	}
}

func TestEmptyTrailVerifies(t *testing.T) {
	r, err := audit.New(storetest.NewSQLite(t), nil).Verify(context.Background())
	if err != nil || !r.OK || r.Entries != 0 {
		t.Fatalf("%+v %v", r, err)
	}
}
