package reminder

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"zhengwu/officeapi/workflow"
	"zhengwu/shared/store"
)

// Tasks yields the open tasks of running flows, each with its instance.
type Tasks interface {
	Open(ctx context.Context, fn func(in *workflow.Instance, t workflow.TaskItem) error) error
}

// DueTasks is Tasks that can also yield only the open tasks with a
// deadline (Due or EscalateAt) passed by now and not yet handed out since
// it passed: what a pass needs, without reading every task. Pass uses it
// when Tasks has it.
type DueTasks interface {
	Tasks
	// Due calls fn for each open task a deadline of which has passed by
	// now, earliest deadline first, unless an earlier call handed it out
	// for that deadline and fn returned nil. A task fn fails on is handed
	// out again by the next call.
	Due(ctx context.Context, now time.Time, fn func(in *workflow.Instance, t workflow.TaskItem) error) error
}

// StoreTasks reads open tasks from the workflow engine's stored instances.
type StoreTasks struct{ Store store.Store }

// Open calls fn for every open task of every running instance, in
// instance id order.
func (s StoreTasks) Open(ctx context.Context, fn func(in *workflow.Instance, t workflow.TaskItem) error) error {
	for d, err := range store.ScanAll(ctx, s.Store, workflow.InstanceCollection, "") {
		if err != nil {
			return err
		}
		var in workflow.Instance
		if err := d.Decode(&in); err != nil {
			return fmt.Errorf("reminder: decode instance %s: %w", d.ID, err)
		}
		if in.State != workflow.Running {
			continue
		}
		for _, t := range in.Tasks {
			if err := fn(&in, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// DueIndex is the open tasks of running instances held in memory by their
// next deadline (a heap), kept from the store's change feed: a pass reads
// the deadlines that have passed instead of every instance. It loads on
// first use with one scan of the instances, and then catches up with the
// feed at each call, so it answers from every step committed before the
// call, by any process. What it remembers (which tasks it handed out) only
// saves work: the notices' create-only ids keep them exactly once.
type DueIndex struct {
	Store store.Store // required

	mu     sync.Mutex // one call at a time
	loaded bool
	seq    int64
	open   map[string]*dueInstance // running instances with open tasks, by id
	queue  dueQueue
	gen    uint64 // the last generation given
}

// dueInstance is a running instance as a notice needs it (no history),
// with a generation that tells its queue entries from older ones.
type dueInstance struct {
	in  workflow.Instance
	gen uint64
}

// dueEntry is a task's next deadline in the queue.
type dueEntry struct {
	at       time.Time
	instance string
	task     string
	gen      uint64
}

type dueQueue []dueEntry

func (q dueQueue) Len() int           { return len(q) }
func (q dueQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q dueQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *dueQueue) Push(x any)        { *q = append(*q, x.(dueEntry)) }
func (q *dueQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// nextDeadline is the task's earliest deadline after (or at, with
// inclusive) t; zero when it has none.
func nextDeadline(task workflow.TaskItem, after time.Time) time.Time {
	var next time.Time
	for _, d := range []time.Time{task.Due, task.EscalateAt} {
		if !d.IsZero() && d.After(after) && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	return next
}

// Open calls fn for every open task of every running instance, in
// instance id order, from memory.
func (x *DueIndex) Open(ctx context.Context, fn func(in *workflow.Instance, t workflow.TaskItem) error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.catchUp(ctx); err != nil {
		return err
	}
	ids := make([]string, 0, len(x.open))
	for id := range x.open {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		in := x.open[id].in
		for _, t := range in.Tasks {
			if err := fn(&in, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// Due is DueTasks.Due.
func (x *DueIndex) Due(ctx context.Context, now time.Time, fn func(in *workflow.Instance, t workflow.TaskItem) error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.catchUp(ctx); err != nil {
		return err
	}
	for len(x.queue) > 0 && !x.queue[0].at.After(now) {
		e := heap.Pop(&x.queue).(dueEntry)
		di := x.open[e.instance]
		if di == nil || di.gen != e.gen {
			continue // the instance moved on since: its entries are newer
		}
		i := slices.IndexFunc(di.in.Tasks, func(t workflow.TaskItem) bool { return t.ID == e.task })
		if i < 0 {
			continue
		}
		t := di.in.Tasks[i]
		in := di.in
		if err := fn(&in, t); err != nil {
			heap.Push(&x.queue, e) // the next call tries again
			return err
		}
		if next := nextDeadline(t, now); !next.IsZero() {
			heap.Push(&x.queue, dueEntry{at: next, instance: e.instance, task: e.task, gen: e.gen})
		}
	}
	return nil
}

// catchUp loads the index on first use, then applies the feed up to the
// store's last sequence. Called under mu.
func (x *DueIndex) catchUp(ctx context.Context) error {
	if !x.loaded {
		if err := x.load(ctx); err != nil {
			return err
		}
	}
	f := &store.Follower{Store: x.Store, Name: "reminder due index",
		Checkpoint: func(context.Context) (int64, error) { return x.seq, nil },
		Apply:      x.apply}
	if err := f.CatchUp(ctx); err != nil {
		return err
	}
	// Entries of instances that moved on are dropped when they come up;
	// rebuild the queue before they outnumber the live ones twice over.
	if live := x.live(); len(x.queue) > 2*live+1024 {
		x.rebuild()
	}
	return nil
}

// load scans every instance once. The sequence is taken first: what
// changes during the scan is read again from the feed, harmlessly.
func (x *DueIndex) load(ctx context.Context) error {
	seq, err := x.Store.LastSeq(ctx)
	if err != nil {
		return err
	}
	x.open, x.queue = map[string]*dueInstance{}, nil
	for d, err := range store.ScanAll(ctx, x.Store, workflow.InstanceCollection, "") {
		if err != nil {
			return err
		}
		if err := x.put(d); err != nil {
			return err
		}
	}
	x.seq, x.loaded = seq, true
	return nil
}

// apply reads the instances the changes name as they are now.
func (x *DueIndex) apply(ctx context.Context, changes []store.Change) error {
	for _, ch := range changes {
		if ch.Collection != workflow.InstanceCollection {
			continue
		}
		d, err := x.Store.Get(ctx, workflow.InstanceCollection, ch.ID)
		if errors.Is(err, store.ErrNotFound) {
			delete(x.open, ch.ID)
			continue
		}
		if err != nil {
			return err
		}
		if err := x.put(d); err != nil {
			return err
		}
	}
	x.seq = changes[len(changes)-1].Seq
	return nil
}

// put replaces what the index holds of the stored instance: its open
// tasks, each queued at its earliest deadline (one that has passed
// included: the next Due hands it out, and a notice recorded before is
// found as such).
func (x *DueIndex) put(d store.Doc) error {
	var in workflow.Instance
	if err := d.Decode(&in); err != nil {
		return fmt.Errorf("reminder: decode instance %s: %w", d.ID, err)
	}
	delete(x.open, d.ID)
	if in.State != workflow.Running || len(in.Tasks) == 0 {
		return nil
	}
	in.History, in.Undo, in.Queues = nil, nil, nil
	x.gen++
	di := &dueInstance{in: in, gen: x.gen}
	x.open[d.ID] = di
	x.queueTasks(d.ID, di)
	return nil
}

func (x *DueIndex) queueTasks(id string, di *dueInstance) {
	for _, t := range di.in.Tasks {
		if first := nextDeadline(t, time.Time{}); !first.IsZero() {
			heap.Push(&x.queue, dueEntry{at: first, instance: id, task: t.ID, gen: di.gen})
		}
	}
}

func (x *DueIndex) live() int {
	n := 0
	for _, di := range x.open {
		n += len(di.in.Tasks)
	}
	return n
}

// rebuild queues every open task afresh at its earliest deadline (one
// handed out before comes again once: its notice is found recorded).
func (x *DueIndex) rebuild() {
	x.queue = nil
	for id, di := range x.open {
		x.queueTasks(id, di)
	}
}
