package reminder

import (
	"context"
	"errors"
	"sync"
	"time"

	"zhengwu/officeapi/workflow"
	"zhengwu/shared/store"
)

// book is the notices that still stand, by recipient, in memory: a notice
// stands while its task is open with the deadline it was about. It follows
// the change feed of the notices and of the workflow instances: a new
// notice is added; a changed instance re-checks its notices, and those
// whose task closed or whose deadline moved leave for good (a task id is
// never reused, and a moved deadline makes a new notice). The 提醒 panel
// then reads memory only, however many notices a leader has collected.
//
// Like identity's holder directory, it is brought up to date on each read
// (one feed query when nothing changed, shared by the reads that arrive
// while one runs), so a panel never shows what was true before the call.
type book struct {
	store store.Store

	sync  sync.Mutex // serialises catching up
	fresh time.Time  // when the last catch-up began

	mu          sync.Mutex
	loaded      bool
	seq         int64
	byRecipient map[string]map[string]Notice // recipient → notice id → notice
	byInstance  map[string]map[string]string // instance → notice id → recipient
}

// standing returns the standing notices of recipient, caught up first.
func (b *book) standing(ctx context.Context, recipient string) ([]Notice, error) {
	if err := b.catchUp(ctx); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Notice, 0, len(b.byRecipient[recipient]))
	for _, n := range b.byRecipient[recipient] {
		out = append(out, n)
	}
	return out, nil
}

func (b *book) catchUp(ctx context.Context) error {
	arrived := time.Now()
	b.sync.Lock()
	defer b.sync.Unlock()
	if b.fresh.After(arrived) {
		return nil // a catch-up that began after this call covered it
	}
	began := time.Now()
	if !b.loaded {
		if err := b.load(ctx); err != nil {
			return err
		}
	}
	f := &store.Follower{Store: b.store, Name: "reminder notices",
		Checkpoint: func(context.Context) (int64, error) {
			b.mu.Lock()
			defer b.mu.Unlock()
			return b.seq, nil
		},
		Apply: b.apply}
	if err := f.CatchUp(ctx); err != nil {
		return err
	}
	b.fresh = began
	return nil
}

// load reads every notice and the instances they are about. The sequence
// is taken first: a change made during the reads is applied again after.
func (b *book) load(ctx context.Context) error {
	seq, err := b.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	all, err := All(ctx, b.store)
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.byRecipient, b.byInstance = map[string]map[string]Notice{}, map[string]map[string]string{}
	b.mu.Unlock()
	seen := map[string]*workflow.Instance{}
	for _, n := range all {
		if err := b.add(ctx, seen, n); err != nil {
			return err
		}
	}
	b.mu.Lock()
	b.seq, b.loaded = seq, true
	b.mu.Unlock()
	return nil
}

// apply adds the new notices and re-checks the notices of the changed
// instances, then moves past the changes.
func (b *book) apply(ctx context.Context, changes []store.Change) error {
	seen := map[string]*workflow.Instance{}
	for _, ch := range changes {
		switch ch.Collection {
		case Collection:
			n, _, err := store.Load[Notice](ctx, b.store, Collection, ch.ID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if err := b.add(ctx, seen, n); err != nil {
				return err
			}
		case workflow.InstanceCollection:
			if err := b.recheck(ctx, seen, ch.ID); err != nil {
				return err
			}
		}
	}
	b.mu.Lock()
	b.seq = changes[len(changes)-1].Seq
	b.mu.Unlock()
	return nil
}

// add keeps n if it stands.
func (b *book) add(ctx context.Context, seen map[string]*workflow.Instance, n Notice) error {
	if n.Recipient == "" {
		return nil
	}
	in, err := instance(ctx, b.store, seen, n.Instance)
	if err != nil || !stands(in, n) {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.byRecipient[n.Recipient] == nil {
		b.byRecipient[n.Recipient] = map[string]Notice{}
	}
	if b.byInstance[n.Instance] == nil {
		b.byInstance[n.Instance] = map[string]string{}
	}
	b.byRecipient[n.Recipient][n.ID] = n
	b.byInstance[n.Instance][n.ID] = n.Recipient
	return nil
}

// recheck drops the notices of instance id that no longer stand.
func (b *book) recheck(ctx context.Context, seen map[string]*workflow.Instance, id string) error {
	b.mu.Lock()
	_, any := b.byInstance[id]
	b.mu.Unlock()
	if !any {
		return nil
	}
	delete(seen, id) // read it as it is now
	in, err := instance(ctx, b.store, seen, id)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for nid, recipient := range b.byInstance[id] {
		if n := b.byRecipient[recipient][nid]; !stands(in, n) {
			delete(b.byRecipient[recipient], nid)
			delete(b.byInstance[id], nid)
		}
	}
	if len(b.byInstance[id]) == 0 {
		delete(b.byInstance, id)
	}
	return nil
}

// stands reports whether n's task is open in in with n's deadline.
func stands(in *workflow.Instance, n Notice) bool {
	if in == nil {
		return false
	}
	t := in.Task(n.Task)
	return t != nil && deadline(n.Kind, *t).Equal(n.Deadline)
}

// instance reads a running instance once per pass (nil: gone or ended).
func instance(ctx context.Context, st store.Store, seen map[string]*workflow.Instance, id string) (*workflow.Instance, error) {
	if in, ok := seen[id]; ok {
		return in, nil
	}
	in, _, err := store.Load[workflow.Instance](ctx, st, workflow.InstanceCollection, id)
	var out *workflow.Instance
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, err
	case in.State == workflow.Running:
		out = &in
	}
	seen[id] = out
	return out, nil
}
