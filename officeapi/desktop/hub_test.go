package desktop_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// notes is a watching source over the collection "notes": a note is on
// the desktops of its users, and of anyone in its department.
type notes struct{ source }

type note struct {
	Users      []string `json:"users"`
	Department string   `json:"department,omitempty"`
}

func (notes) Watches() []string { return []string{"notes"} }

func (notes) Audience(_ context.Context, doc store.Doc, found bool) (desktop.Audience, error) {
	if !found {
		return desktop.Audience{}, nil
	}
	var n note
	if err := doc.Decode(&n); err != nil {
		return desktop.Audience{}, err
	}
	a := desktop.Audience{Users: n.Users}
	if n.Department != "" {
		a.Anyone = func(p *auth.Principal) bool { return slices.Contains(p.Departments, n.Department) }
	}
	return a, nil
}

func hub(t *testing.T, e *testkit.Env, buffer int) *desktop.Hub {
	t.Helper()
	h := &desktop.Hub{Store: e.Store, Buffer: buffer, Logger: e.Log, Interval: time.Hour, // Notify wakes it, not the poll
		Sources: func() []desktop.Source { return []desktop.Source{notes{}} }}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Stop)
	e.Store.Subscribe(h.Notify)
	return h
}

func put(t testing.TB, e *testkit.Env, id string, n note) int64 {
	t.Helper()
	d, err := store.Save(context.Background(), e.Store, "notes", id, n, store.AnyVersion)
	if err != nil {
		t.Fatal(err)
	}
	return d.Seq
}

// next is the subscription's next event, waited for (the test fails after
// a long wait, not a guessed short one).
func next(t *testing.T, s *desktop.Subscription) desktop.Event {
	t.Helper()
	select {
	case ev, ok := <-s.Events:
		if !ok {
			t.Fatal("the subscription ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	return desktop.Event{}
}

func subscribe(t *testing.T, h *desktop.Hub, user, last string, depts ...string) *desktop.Subscription {
	t.Helper()
	s, err := h.Subscribe(&auth.Principal{UserID: user, Departments: depts}, last)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// A change is told to the desktops it concerns, with its feed sequence as
// the id, and to no one else; a task that leaves someone tells them too.
func TestHubTellsWhomAChangeConcerns(t *testing.T) {
	e := testkit.New(t)
	h := hub(t, e, 0)
	a, b := subscribe(t, h, "u-a", ""), subscribe(t, h, "u-b", "", "xinxi")
	for _, s := range []*desktop.Subscription{a, b} {
		if ev := next(t, s); !ev.Resync || ev.Seq != h.Seq() {
			t.Fatalf("a new stream starts with a resync at the hub's sequence %d: %+v", h.Seq(), ev)
		}
	}
	seq := put(t, e, "n1", note{Users: []string{"u-a"}})
	if ev := next(t, a); ev.Seq != seq || ev.Resync || len(ev.Sources) != 1 || ev.Sources[0] != "notes" {
		t.Fatalf("u-a's note: %+v, want seq %d from notes", ev, seq)
	}
	// The note moves from u-a to u-b: both are told (u-a from memory);
	// u-b's first event is this one, so it was not told of the first.
	seq = put(t, e, "n1", note{Users: []string{"u-b"}})
	if ev := next(t, b); ev.Seq != seq {
		t.Fatalf("u-b: %+v, want seq %d (and nothing before it)", ev, seq)
	}
	if ev := next(t, a); ev.Seq != seq {
		t.Fatalf("the note left u-a, who is not told: %+v", ev)
	}
	// A department-wide note reaches u-b (in xinxi) by the audience's
	// predicate, not u-a.
	seq = put(t, e, "n2", note{Department: "xinxi"})
	if ev := next(t, b); ev.Seq != seq {
		t.Fatalf("department note: %+v", ev)
	}
	seq = put(t, e, "n3", note{Users: []string{"u-a"}})
	if ev := next(t, a); ev.Seq != seq {
		t.Fatalf("u-a was told of a note for another department: %+v, want seq %d", ev, seq)
	}
}

// Ids are the store's sequences, so a stream resumes across a reconnection
// and a restart: from the hub's own sequence nothing is missed and nothing
// is sent; from an older one (or a stranger id) the first event is a
// resync.
func TestHubResumesFromLastEventID(t *testing.T) {
	e := testkit.New(t)
	h := hub(t, e, 0)
	put(t, e, "n1", note{Users: []string{"u-a"}})
	if err := h.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	last := strconv.FormatInt(h.Seq(), 10)
	now := subscribe(t, h, "u-a", last)
	seq := put(t, e, "n1", note{Users: []string{"u-a"}})
	if ev := next(t, now); ev.Resync || ev.Seq != seq {
		t.Fatalf("resumed at the hub's sequence: %+v, want the next change %d and no resync", ev, seq)
	}
	for _, id := range []string{"1", "x", ""} {
		if ev := next(t, subscribe(t, h, "u-a", id)); !ev.Resync || ev.Seq != seq {
			t.Fatalf("Last-Event-ID %q: %+v, want a resync at %d", id, ev, seq)
		}
	}

	// A restarted process starts at the store's last sequence: the id the
	// stream last had resumes without a resync.
	e2 := e.Restart()
	h2 := hub(t, e2, 0)
	s := subscribe(t, h2, "u-a", strconv.FormatInt(seq, 10))
	seq = put(t, e2, "n1", note{Users: []string{"u-a"}})
	if ev := next(t, s); ev.Resync || ev.Seq != seq {
		t.Fatalf("after a restart: %+v, want %d", ev, seq)
	}
}

// A stream that falls Buffer events behind is ended rather than holding
// the feed: its channel closes (the client reconnects and resyncs).
func TestHubEndsAStreamThatFallsBehind(t *testing.T) {
	e := testkit.New(t)
	h := hub(t, e, 2)
	slow := subscribe(t, h, "u-a", strconv.FormatInt(h.Seq(), 10))
	for i := range 3 {
		put(t, e, "n"+strconv.Itoa(i), note{Users: []string{"u-a"}})
		if err := h.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	got := 0
	for range slow.Events {
		got++
	}
	if got != 2 || h.Connections() != 0 {
		t.Fatalf("a stream 2 behind: %d events before it ended, %d connections left", got, h.Connections())
	}
}

// A revocation written to the store asks every stream to check its token
// again, after the hub's Revoked hook has run.
func TestHubAsksForARecheckOnRevocation(t *testing.T) {
	e := testkit.New(t)
	synced := make(chan struct{}, 4)
	h := &desktop.Hub{Store: e.Store, Logger: e.Log, Revoked: func(context.Context) error {
		synced <- struct{}{}
		return nil
	}}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Stop)
	e.Store.Subscribe(h.Notify)
	s := subscribe(t, h, "u-a", "")
	if err := e.Tokens.Revocations().Attach(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}
	if err := e.Tokens.Revocations().RevokeUser(context.Background(), "u-a"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Recheck:
	case <-time.After(10 * time.Second):
		t.Fatal("no recheck after a revocation")
	}
	if len(synced) == 0 {
		t.Fatal("the recheck came before the Revoked hook")
	}
}

// Stop ends every stream.
func TestHubStopEndsStreams(t *testing.T) {
	e := testkit.New(t)
	h := hub(t, e, 0)
	s := subscribe(t, h, "u-a", strconv.FormatInt(h.Seq(), 10))
	h.Stop()
	if _, ok := <-s.Events; ok {
		t.Fatal("an event after Stop")
	}
	if _, err := h.Subscribe(&auth.Principal{UserID: "u-a"}, ""); err == nil {
		t.Fatal("a stopped hub took a subscription")
	}
}
