package officialdoc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// TaskEntry is one of a person's open tasks with what the list shows of
// its document.
type TaskEntry struct {
	Task
	Title          string               `json:"title"`
	DocType        string               `json:"docType"`
	Classification classification.Level `json:"classification"`
	Urgency        string               `json:"urgency,omitempty"`
	Overdue        bool                 `json:"overdue"`
}

// TaskList is a person's open tasks (待办), overdue first, then urged,
// then by due time and arrival: the first maxTasks of them, and how many
// there are.
type TaskList struct {
	Items []TaskEntry `json:"items"`
	Total uint64      `json:"total"`
}

// TaskQuery asks for a person's tasks.
type TaskQuery struct {
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// maxTasks bounds the items of one answer of Tasks; Total counts them all.
const maxTasks = 100

// Tasks lists p's open tasks on the documents p may read, from the open
// tasks held in memory (taskBook), caught up with the store first: every
// step committed before the call is in the answer, whichever process
// made it.
func (s *Service) Tasks(ctx context.Context, p *auth.Principal, q TaskQuery) (TaskList, error) {
	// ?consistentWith= keeps its meaning (a sequence never written is a
	// 400); the book itself is caught up with the store below.
	if err := s.docs.Wait(ctx, q.ConsistentWith); err != nil {
		return TaskList{}, err
	}
	out := TaskList{Items: []TaskEntry{}}
	if p == nil {
		return out, nil
	}
	if err := s.tasks.catchUp(ctx, s); err != nil {
		return TaskList{}, err
	}
	return s.tasks.of(p, s.now()), nil
}

// taskBook is the open tasks of every document in memory, by holder, kept
// from the change feed. A read catches up with every write committed
// before it began (one feed query when nothing changed, shared by the
// reads waiting meanwhile), so a task list is never older than its
// request. It loads on first use: the documents the list index has as
// processing at its checkpoint, read from the store, then the feed from
// that checkpoint on.
type taskBook struct {
	store store.Store

	// sync serialises catching up; fresh is when the last catch-up began:
	// a read that arrived before it is covered by it.
	sync  sync.Mutex
	fresh time.Time

	mu     sync.RWMutex
	loaded bool
	seq    int64
	byUser map[string]map[string]*held // holder → document id → its open tasks
	docs   map[string]*held            // document id → its open tasks
}

// held is a document with open tasks, as a task list shows it. It is never
// changed once made (a change of the document makes a new one), so a
// reader may keep it after letting go of the lock.
type held struct {
	access         auth.Access
	title, docType string
	urgency        string
	classification classification.Level
	tasks          []Task
}

func heldOf(d *Document) *held {
	return &held{access: AccessOf(d), title: d.Title, docType: d.DocType, urgency: d.Urgency,
		classification: d.Classification, tasks: slices.Clone(d.Tasks)}
}

// of is p's task list at now.
func (b *taskBook) of(p *auth.Principal, now time.Time) TaskList {
	type ref struct {
		h       *held
		t       *Task
		overdue bool
	}
	b.mu.RLock()
	docs := make([]*held, 0, len(b.byUser[p.UserID]))
	for _, h := range b.byUser[p.UserID] {
		docs = append(docs, h)
	}
	b.mu.RUnlock()
	// A holder reads the document through its holders (AccessOf), so the
	// principal's own reader token and clearance decide almost always; the
	// whole principal is asked only when they do not.
	self := &auth.Principal{UserID: p.UserID, Clearance: p.Clearance}
	var refs []ref
	for _, h := range docs {
		if !h.access.Allows(self) && !h.access.Allows(p) {
			continue
		}
		for i := range h.tasks {
			if t := &h.tasks[i]; t.Assignee == p.UserID {
				refs = append(refs, ref{h: h, t: t, overdue: !t.Due.IsZero() && now.After(t.Due)})
			}
		}
	}
	slices.SortFunc(refs, func(a, b ref) int {
		switch {
		case a.overdue != b.overdue:
			if a.overdue {
				return -1
			}
			return 1
		case a.t.Urged != b.t.Urged:
			return b.t.Urged - a.t.Urged
		}
		if c := compareTimes(orFar(a.t.Due), orFar(b.t.Due), a.t.OpenedAt, b.t.OpenedAt); c != 0 {
			return c
		}
		return strings.Compare(a.t.ID, b.t.ID)
	})
	out := TaskList{Items: make([]TaskEntry, 0, min(len(refs), maxTasks)), Total: uint64(len(refs))}
	for _, r := range refs[:min(len(refs), maxTasks)] {
		out.Items = append(out.Items, TaskEntry{Task: *r.t, Title: r.h.title, DocType: r.h.docType,
			Classification: r.h.classification, Urgency: r.h.urgency, Overdue: r.overdue})
	}
	return out
}

// catchUp loads the book on first use, then applies the feed up to the
// store's last sequence as of now, unless a catch-up that began after
// this call did has done so.
func (b *taskBook) catchUp(ctx context.Context, s *Service) error {
	arrived := time.Now()
	b.sync.Lock()
	defer b.sync.Unlock()
	if b.fresh.After(arrived) {
		return nil
	}
	began := time.Now()
	b.mu.RLock()
	loaded := b.loaded
	b.mu.RUnlock()
	if !loaded {
		if err := b.load(ctx, s); err != nil {
			return err
		}
	}
	f := &store.Follower{Store: b.store, Name: "officialdoc tasks",
		Checkpoint: func(context.Context) (int64, error) {
			b.mu.RLock()
			defer b.mu.RUnlock()
			return b.seq, nil
		},
		Apply: b.apply}
	if err := f.CatchUp(ctx); err != nil {
		return err
	}
	b.fresh = began
	return nil
}

// load reads the documents with open tasks: those the list index has as
// processing, at the index's checkpoint, which the feed then runs on from
// (a document that changed since is read again then). A document only has
// open tasks while it is processing.
func (b *taskBook) load(ctx context.Context, s *Service) error {
	seq := s.Index().Checkpoint()
	b.mu.Lock()
	b.byUser, b.docs = map[string]map[string]*held{}, map[string]*held{}
	b.mu.Unlock()
	var after string
	for {
		res, err := s.Index().List(ctx, index.Query{Filters: []index.Filter{index.Term("state", StateProcessing)},
			Size: index.MaxSize, After: after})
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			if err := b.read(ctx, h.ID); err != nil {
				return err
			}
		}
		if res.Next == "" || len(res.Hits) == 0 {
			break
		}
		after = res.Next
	}
	b.mu.Lock()
	b.seq, b.loaded = seq, true
	b.mu.Unlock()
	return nil
}

// apply reads the documents the changes name as they are now.
func (b *taskBook) apply(ctx context.Context, changes []store.Change) error {
	for _, ch := range changes {
		if ch.Collection != Collection {
			continue
		}
		if err := b.read(ctx, ch.ID); err != nil {
			return err
		}
	}
	b.mu.Lock()
	b.seq = changes[len(changes)-1].Seq
	b.mu.Unlock()
	return nil
}

// read puts the document's open tasks in the book as the store has them
// now (none if it is gone).
func (b *taskBook) read(ctx context.Context, id string) error {
	var h *held
	d, _, err := store.Load[Document](ctx, b.store, Collection, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	case len(d.Tasks) > 0:
		h = heldOf(&d)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if old := b.docs[id]; old != nil {
		for _, t := range old.tasks {
			delete(b.byUser[t.Assignee], id)
			if len(b.byUser[t.Assignee]) == 0 {
				delete(b.byUser, t.Assignee)
			}
		}
		delete(b.docs, id)
	}
	if h == nil {
		return nil
	}
	b.docs[id] = h
	for _, t := range h.tasks {
		if b.byUser[t.Assignee] == nil {
			b.byUser[t.Assignee] = map[string]*held{}
		}
		b.byUser[t.Assignee][id] = h
	}
	return nil
}

// orFar puts a task without a limit after every one with a limit.
func orFar(t time.Time) time.Time {
	if t.IsZero() {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func compareTimes(a, b, a2, b2 time.Time) int {
	if c := a.Compare(b); c != 0 {
		return c
	}
	return a2.Compare(b2)
}
