package docnumber_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhengwu/officeapi/docnumber"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// conflicts counts the writes the store refused with a version conflict:
// each is a registration attempt that lost and had to retry.
type conflicts struct {
	store.Store
	n atomic.Int64
}

func (c *conflicts) PutAll(ctx context.Context, ws []store.Write) ([]store.Doc, error) {
	docs, err := c.Store.PutAll(ctx, ws)
	if errors.Is(err, store.ErrConflict) {
		c.n.Add(1)
	}
	return docs, err
}

// Clerks registering without pause in one process queue for the sequence
// instead of racing for it: no attempt loses, so none can lose
// store.MaxAttempts times in a row and fail (which, unqueued, about one
// registration in 10,000 did at eight clerks).
func TestRegistrationsOfOneProcessQueueInsteadOfRacing(t *testing.T) {
	env := testkit.New(t)
	counted := &conflicts{Store: env.Store}
	b, err := docnumber.New(docnumber.Deps{Store: counted, Trail: audit.New(counted, env.Clock.Now), Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const clerks, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, clerks*each)
	for c := range clerks {
		wg.Go(func() {
			for i := range each {
				_, err := b.Register(ctx, actor(fmt.Sprintf("clerk-%d", c)), prefix, year, subject(fmt.Sprintf("d-%d-%d", c, i)))
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := counted.n.Load(); n != 0 {
		t.Errorf("%d registration attempts conflicted and retried; want none within one process", n)
	}
	wantRegister(t, b, repeat(docnumber.Registered, clerks*each)...)
}

func TestLockWaitsForItsTurnOrTheContext(t *testing.T) {
	b, _ := book(t)
	unlock, err := b.Lock(context.Background(), prefix, year)
	if err != nil {
		t.Fatal(err)
	}
	// Another sequence is not held up.
	other, err := b.Lock(context.Background(), prefix, year+1)
	if err != nil {
		t.Fatal(err)
	}
	other()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.Register(ctx, actor("wang"), prefix, year, subject("d1")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("registration while the sequence is held: %v, want the context's deadline", err)
	}
	unlock()
	unlock() // releasing twice is harmless
	if r, err := b.Register(context.Background(), actor("wang"), prefix, year, subject("d1")); err != nil || r.Number.Seq != 1 {
		t.Fatalf("after the release: %+v, %v", r, err)
	}
	_, err = b.Lock(context.Background(), "x", year)
	wantField(t, err, "prefix")
}
