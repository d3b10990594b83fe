package officialdoc

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
// then by due time and arrival: one window of them (TaskQuery's offset
// and size), and how many there are.
type TaskList struct {
	Items []TaskEntry `json:"items"`
	Total uint64      `json:"total"`
}

// TaskQuery asks for a person's tasks.
type TaskQuery struct {
	Offset         int    `query:"offset" validate:"min=0,max=100000" doc:"跳过前若干条（分页，默认 0）"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 100）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// maxTasks bounds the items of one answer of Tasks; Total counts them all.
const maxTasks = 100

// window is the part of a list one answer holds.
type window struct{ offset, size int }

func windowOf(q TaskQuery) window {
	if q.Size == 0 {
		q.Size = maxTasks
	}
	return window{offset: max(q.Offset, 0), size: min(q.Size, maxTasks)}
}

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
	want, _ := strconv.ParseInt(q.ConsistentWith, 10, 64) // valid, or "" (0): Wait said so
	switch must, due := s.tasks.stale(want); {
	case must:
		if err := s.tasks.catchUp(ctx, s); err != nil {
			return TaskList{}, err
		}
	case due:
		s.tasks.refresh(s) // for the lists after this one
	}
	return s.tasks.of(p, s.now(), windowOf(q)), nil
}

// Notify is the list index's Notify, which the module table subscribes to
// the store's writes in this process, and marks the open tasks as behind:
// the next task list catches up first, so a step's holder sees it at once.
func (s *Service) Notify() {
	s.ListIndex.Notify()
	s.tasks.behind.Store(true)
}

// maxStale is how long a task list may go without reading the feed when
// this process has written nothing: what another process wrote shows
// within it, as in the lists that poll the feed (store.DefaultFollowInterval),
// or at once with ?consistentWith=.
const maxStale = store.DefaultFollowInterval

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
	// behind is set by a write in this process (Service.Notify) and
	// cleared when a catch-up begins; checked is when the last one began.
	behind  atomic.Bool
	checked atomic.Int64 // Unix nanoseconds

	mu      sync.RWMutex
	loaded  bool
	seq     int64
	shelves map[string]*shelf // by holder
	docs    map[string]*held  // by document id
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

// slot is one open task on a holder's shelf.
type slot struct {
	h *held
	t *Task
	// due (far in the future without a limit) and opened, in Unix
	// nanoseconds: the order of a list without urged tasks.
	due, opened int64
	// byHolder: the document lists its holders among its readers
	// (AccessOf), so whether the holder may read it is their clearance
	// alone. Otherwise the whole access rule is asked at each read.
	byHolder bool
}

// compare is the order of slots without urging: by due time (none last),
// arrival, id. Overdue tasks (due before now) come first in it of
// themselves.
func (a *slot) compare(b *slot) int {
	if c := cmp.Compare(a.due, b.due); c != 0 {
		return c
	}
	if c := cmp.Compare(a.opened, b.opened); c != 0 {
		return c
	}
	return strings.Compare(a.t.ID, b.t.ID)
}

// shelf is one holder's open tasks in the order of slot.compare, with
// counts that answer Total without looking at each.
type shelf struct {
	order   []*slot
	byLevel map[classification.Level]int // slots readable by clearance alone, by 密级
	special int                          // slots urged or not byHolder: the list sorts them all
}

func (sh *shelf) add(s *slot) {
	i, _ := slices.BinarySearchFunc(sh.order, s, (*slot).compare)
	sh.order = slices.Insert(sh.order, i, s)
	sh.count(s, 1)
}

func (sh *shelf) remove(s *slot) {
	i, found := slices.BinarySearchFunc(sh.order, s, (*slot).compare)
	if found {
		sh.order = slices.Delete(sh.order, i, i+1)
		sh.count(s, -1)
	}
}

func (sh *shelf) count(s *slot, n int) {
	if s.byHolder && s.t.Urged == 0 {
		sh.byLevel[s.h.classification] += n
	} else {
		sh.special += n
	}
}

var farDue = int64(math.MaxInt64)

func slotOf(h *held, t *Task) *slot {
	s := &slot{h: h, t: t, due: farDue, opened: t.OpenedAt.UnixNano(),
		byHolder: slices.Contains(h.access.Readers, auth.User(t.Assignee))}
	if !t.Due.IsZero() {
		s.due = t.Due.UnixNano()
	}
	return s
}

// of is p's task list at now.
func (b *taskBook) of(p *auth.Principal, now time.Time, w window) TaskList {
	b.mu.RLock()
	defer b.mu.RUnlock()
	sh := b.shelves[p.UserID]
	if sh == nil {
		return TaskList{Items: []TaskEntry{}}
	}
	if sh.special > 0 {
		return sorted(sh.order, p, now, w)
	}
	// The common case: the shelf's order is the list's (no urging), and
	// whether p reads each is p's clearance of its 密级.
	var out TaskList
	for level, n := range sh.byLevel {
		if p.MayRead(level) {
			out.Total += uint64(n)
		}
	}
	out.Items = make([]TaskEntry, 0, min(out.Total, uint64(w.size)))
	skip := w.offset
	for _, s := range sh.order {
		if len(out.Items) == w.size {
			break
		}
		if !p.MayRead(s.h.classification) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out.Items = append(out.Items, s.entry(now))
	}
	return out
}

func (s *slot) entry(now time.Time) TaskEntry {
	return TaskEntry{Task: *s.t, Title: s.h.title, DocType: s.h.docType, Classification: s.h.classification,
		Urgency: s.h.urgency, Overdue: s.due != farDue && now.After(s.t.Due)}
}

// sorted is the list made the long way, from every slot: those p may read
// (AccessOf), overdue first, then urged, then in the shelf's order.
func sorted(order []*slot, p *auth.Principal, now time.Time, w window) TaskList {
	type ref struct {
		s       *slot
		overdue bool
	}
	refs := make([]ref, 0, len(order))
	for _, s := range order {
		if s.byHolder && p.MayRead(s.h.classification) || !s.byHolder && s.h.access.Allows(p) {
			refs = append(refs, ref{s: s, overdue: s.due != farDue && now.After(s.t.Due)})
		}
	}
	slices.SortStableFunc(refs, func(a, b ref) int {
		switch {
		case a.overdue != b.overdue:
			if a.overdue {
				return -1
			}
			return 1
		}
		return b.s.t.Urged - a.s.t.Urged
	})
	from := min(w.offset, len(refs))
	page := refs[from:min(from+w.size, len(refs))]
	out := TaskList{Items: make([]TaskEntry, 0, len(page)), Total: uint64(len(refs))}
	for _, r := range page {
		out.Items = append(out.Items, r.s.entry(now))
	}
	return out
}

// stale reports whether the book must catch up before answering (never
// loaded, written to by this process since, behind the sequence the
// client waits for), or is due to look at the feed again for what other
// processes wrote (not checked for maxStale).
func (b *taskBook) stale(want int64) (must, due bool) {
	due = time.Since(time.Unix(0, b.checked.Load())) >= maxStale
	if b.behind.Load() {
		return true, due
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	return !b.loaded || b.seq < want, due
}

// refresh catches up in the background unless a catch-up is under way:
// the list that found the book due answers at once, and the ones after it
// see what other processes wrote.
func (b *taskBook) refresh(s *Service) {
	if !b.sync.TryLock() {
		return
	}
	go func() {
		defer b.sync.Unlock()
		_ = b.catchUpLocked(context.Background(), s, time.Now()) // an error leaves it due: the next list tries again
	}()
}

// catchUp loads the book on first use, then applies the feed up to the
// store's last sequence as of now, unless a catch-up that began after
// this call did has done so.
func (b *taskBook) catchUp(ctx context.Context, s *Service) error {
	arrived := time.Now()
	b.sync.Lock()
	defer b.sync.Unlock()
	return b.catchUpLocked(ctx, s, arrived)
}

// catchUpLocked is catchUp with sync held, for a read that arrived then.
func (b *taskBook) catchUpLocked(ctx context.Context, s *Service, arrived time.Time) error {
	if b.fresh.After(arrived) {
		return nil
	}
	began := time.Now()
	b.behind.Store(false) // a write from now on marks it again
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
		b.behind.Store(true)
		return err
	}
	b.fresh = began
	b.checked.Store(began.UnixNano())
	return nil
}

// load reads the documents with open tasks: those the list index has as
// processing, at the index's checkpoint, which the feed then runs on from
// (a document that changed since is read again then). A document only has
// open tasks while it is processing.
func (b *taskBook) load(ctx context.Context, s *Service) error {
	seq := s.Index().Checkpoint()
	b.mu.Lock()
	b.shelves, b.docs = map[string]*shelf{}, map[string]*held{}
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
		for i := range old.tasks {
			t := &old.tasks[i]
			sh := b.shelves[t.Assignee]
			sh.remove(slotOf(old, t))
			if len(sh.order) == 0 {
				delete(b.shelves, t.Assignee)
			}
		}
		delete(b.docs, id)
	}
	if h == nil {
		return nil
	}
	b.docs[id] = h
	for i := range h.tasks {
		t := &h.tasks[i]
		sh := b.shelves[t.Assignee]
		if sh == nil {
			sh = &shelf{byLevel: map[classification.Level]int{}}
			b.shelves[t.Assignee] = sh
		}
		sh.add(slotOf(h, t))
	}
	return nil
}
