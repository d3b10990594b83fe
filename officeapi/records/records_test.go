package records_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// note is a document of every kind of field the kit maps.
type note struct {
	ID         string               `json:"id"`
	Department string               `json:"department"`
	Owner      string               `json:"owner"`
	Level      classification.Level `json:"classification"`
	Tags       []string             `json:"tags"`
	Count      int                  `json:"count"`
	Done       bool                 `json:"done"`
	CreatedAt  time.Time            `json:"createdAt"`
	DoneAt     *time.Time           `json:"doneAt,omitempty"`
	Meta       struct{ Pages int }  `json:"meta"` // not mapped: a nested object
}

// noteAccess: the owner and the department's members, at the note's 密级.
func noteAccess(n *note) auth.Access {
	return auth.Access{Classification: n.Level, Readers: []string{auth.User(n.Owner), auth.Member(n.Department)}}
}

const notes = "notes"

type env struct {
	*testkit.Env
	c *records.Collection[note]
}

func open(t *testing.T, edit ...func(*records.Config[note])) env {
	k := testkit.New(t)
	cfg := records.Config[note]{Deps: records.Deps{Store: k.Store, Trail: k.Trail, Now: k.Clock.Now, Log: k.Log,
		IndexDir: filepath.Join(k.Dir, "notes")}, Collection: notes, Noun: records.Noun{Zh: "便笺", En: "note"}, Access: noteAccess}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := records.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	k.Store.Subscribe(c.Notify)
	return env{Env: k, c: c}
}

func person(id string, clearance classification.Level, dept string) *auth.Principal {
	p := testkit.Principal(id, clearance, []string{dept})
	return &p
}

var (
	owner    = person("u-owner", classification.Mimi, "xinxi")
	member   = person("u-member", classification.Mimi, "xinxi")
	low      = person("u-low", classification.Feimi, "xinxi") // a member without the clearance for 秘密
	stranger = person("u-stranger", classification.Jimi, "ducha")
)

func (e env) create(t *testing.T, n note) (note, store.Doc) {
	t.Helper()
	n.Owner = owner.UserID
	v, doc, err := e.c.Create(context.Background(), records.Actor{P: owner, IP: "test"}, "note.create", n, map[string]any{"k": "v"})
	if err != nil {
		t.Fatal(err)
	}
	return v, doc
}

func (e env) entries(t *testing.T) []audit.Entry {
	t.Helper()
	all, err := e.Trail.List(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Status != 404 || p.Zh != "便笺不存在" || p.En != "no such note" {
		t.Fatalf("%s: %v, want the note's 404", what, err)
	}
}

func TestGetIsNotFoundForMissingAndUnreadableAlike(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	n, doc := e.create(t, note{Department: "xinxi", Level: classification.Mimi})
	if n.ID == "" || doc.Version != 1 || doc.Seq == 0 {
		t.Fatalf("created %+v %+v", n, doc)
	}
	got, gotDoc, err := e.c.Get(ctx, member, n.ID)
	if err != nil || !reflect.DeepEqual(got, n) || gotDoc.Version != 1 {
		t.Fatalf("the member's read: %+v %v", got, err)
	}
	for name, read := range map[string]func() error{
		"missing":          func() error { _, _, err := e.c.Get(ctx, owner, "no-such-id"); return err },
		"malformed id":     func() error { _, _, err := e.c.Get(ctx, owner, "../x"); return err },
		"another's":        func() error { _, _, err := e.c.Get(ctx, stranger, n.ID); return err },
		"above clearance":  func() error { _, _, err := e.c.Get(ctx, low, n.ID); return err },
		"nobody signed in": func() error { _, _, err := e.c.Get(ctx, nil, n.ID); return err },
	} {
		wantNotFound(t, read(), name)
	}
}

func TestCreateCommitsWithItsEntry(t *testing.T) {
	e := open(t)
	n, _ := e.create(t, note{ID: "chosen", Department: "xinxi", Level: classification.Feimi})
	if n.ID != "chosen" {
		t.Fatalf("an id given was replaced: %q", n.ID)
	}
	last := e.entries(t)[len(e.entries(t))-1]
	if last.Action != "note.create" || last.Target != "notes/chosen" || last.Outcome != audit.Success ||
		last.Actor != owner.UserID || last.ActorIP != "test" || last.Details["k"] != "v" {
		t.Fatalf("entry %+v", last)
	}
	_, _, err := e.c.Create(context.Background(), records.Actor{P: owner}, "note.create", note{ID: "chosen"}, nil)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a second create of one id: %v", err)
	}
}

func TestStep(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	n, _ := e.create(t, note{Department: "xinxi", Level: classification.Feimi})
	as := func(p *auth.Principal) records.Actor { return records.Actor{P: p, IP: "10.0.0.1"} }
	done := e.Clock.Now()
	got, doc, err := e.c.Step(ctx, as(member), "note.done", n.ID, func(n *note) (map[string]any, error) {
		n.Done, n.DoneAt = true, &done
		return map[string]any{"done": true}, nil
	})
	if err != nil || !got.Done || doc.Version != 2 {
		t.Fatalf("step: %+v %+v %v", got, doc, err)
	}
	entries := e.entries(t)
	if last := entries[len(entries)-1]; last.Action != "note.done" || last.Target != "notes/"+n.ID || last.Outcome != audit.Success || last.Details["done"] != true {
		t.Fatalf("the step's entry: %+v", last)
	}

	// A refusal writes nothing and is recorded with its code.
	_, _, err = e.c.Step(ctx, as(member), "note.reopen", n.ID, func(n *note) (map[string]any, error) {
		n.Done = false
		return nil, problem.InvalidState("已完成", "done")
	})
	if p := problem.As(err); p == nil || p.Code != problem.CodeInvalidState {
		t.Fatalf("refused step: %v", err)
	}
	if now, _, _ := e.c.Get(ctx, member, n.ID); !now.Done {
		t.Fatal("a refused step was written")
	}
	entries = e.entries(t)
	if last := entries[len(entries)-1]; last.Action != "note.reopen" || last.Outcome != audit.Failure ||
		last.Reason != problem.CodeInvalidState || last.Details["message"] == "" {
		t.Fatalf("the refusal's entry: %+v", last)
	}

	// Someone who may not read it is told it does not exist; change never
	// runs, nothing is recorded.
	before := len(e.entries(t))
	_, _, err = e.c.Step(ctx, as(stranger), "note.done", n.ID, func(*note) (map[string]any, error) {
		t.Fatal("change ran for a reader who may not see the note")
		return nil, nil
	})
	wantNotFound(t, err, "a stranger's step")
	_, _, err = e.c.Step(ctx, as(member), "note.done", "no-such-id", func(*note) (map[string]any, error) { return nil, nil })
	wantNotFound(t, err, "a step on nothing")
	if len(e.entries(t)) != before {
		t.Fatal("a step on what the actor cannot see was recorded")
	}
}

// Concurrent steps on one document each decide on what the last left:
// none is lost.
func TestConcurrentStepsAreNotLost(t *testing.T) {
	e := open(t)
	n, _ := e.create(t, note{Department: "xinxi", Level: classification.Feimi})
	const writers = 8
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			if _, _, err := e.c.Step(context.Background(), records.Actor{P: member}, "note.count", n.ID,
				func(n *note) (map[string]any, error) { n.Count++; return nil, nil }); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got, _, _ := e.c.Get(context.Background(), member, n.ID); got.Count != writers {
		t.Fatalf("count %d after %d steps", got.Count, writers)
	}
}

func TestRefusedRecordsProblemsButNotFound(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	a := records.Actor{P: member, IP: "test"}
	before := len(e.entries(t))
	for _, err := range []error{problem.NotFound("x", "x"), errors.New("disk full")} {
		if got := e.c.Refused(ctx, a, "note.x", "notes/1", err); got != err {
			t.Fatalf("Refused returned %v, want %v", got, err)
		}
	}
	if len(e.entries(t)) != before {
		t.Fatal("a 404 or an internal error was recorded as a refusal")
	}
	forbidden := problem.Forbidden()
	if got := e.c.Refused(ctx, a, "note.create", "notes/ducha", forbidden); got != error(forbidden) {
		t.Fatalf("Refused returned %v", got)
	}
	entries := e.entries(t)
	if last := entries[len(entries)-1]; last.Target != "notes/ducha" || last.Reason != "forbidden" || last.Outcome != audit.Failure {
		t.Fatalf("entry %+v", last)
	}
}

// Writes commit with every change: here a second document per note.
func TestWritesCommitWithTheChange(t *testing.T) {
	e := open(t, func(c *records.Config[note]) {
		c.Writes = func(n *note) []store.Write {
			return []store.Write{{Collection: "note_refs", ID: n.ID, Data: []byte(`{}`), ExpectVersion: store.AnyVersion}}
		}
	})
	n, _ := e.create(t, note{Department: "xinxi", Level: classification.Feimi})
	if _, err := e.Store.Get(context.Background(), "note_refs", n.ID); err != nil {
		t.Fatalf("the further write of a create: %v", err)
	}
}

func (e env) list(t *testing.T, p *auth.Principal, q records.Query, f ...index.Filter) records.Page[note] {
	t.Helper()
	pg, err := e.c.List(context.Background(), p, q, f...)
	if err != nil {
		t.Fatal(err)
	}
	return pg
}

func ids(p records.Page[note]) []string {
	out := []string{}
	for _, n := range p.Items {
		out = append(out, n.ID)
	}
	return out
}

func TestListHidesWhatGetRefuses(t *testing.T) {
	e := open(t)
	ctx := context.Background()
	open, _ := e.create(t, note{ID: "a-open", Department: "xinxi", Level: classification.Feimi})
	secret, _ := e.create(t, note{ID: "b-secret", Department: "xinxi", Level: classification.Mimi})
	e.create(t, note{ID: "c-ducha", Department: "ducha", Level: classification.Feimi})
	// Stored behind the kit's back with a 密级 that is no level: never listed.
	if _, err := e.Store.Put(ctx, notes, "d-bad", []byte(`{"id":"d-bad","department":"xinxi","classification":"内部"}`), 0); err != nil {
		t.Fatal(err)
	}
	seq, err := e.Store.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q := records.Query{Sort: "_id", ConsistentWith: strconv.FormatInt(seq, 10)}
	for _, c := range []struct {
		who  *auth.Principal
		want []string
	}{
		{owner, []string{open.ID, secret.ID, "c-ducha"}}, // all three are the owner's
		{member, []string{open.ID, secret.ID}},
		{low, []string{open.ID}},
		{stranger, []string{"c-ducha"}},
		{nil, []string{}},
	} {
		if got := ids(e.list(t, c.who, q)); !slices.Equal(got, c.want) {
			t.Errorf("%v lists %v, want %v", c.who, got, c.want)
		}
	}
}

func TestListDecodesWhatWasStored(t *testing.T) {
	e := open(t)
	at := e.Clock.Now().UTC()
	one, _ := e.create(t, note{ID: "one", Department: "xinxi", Level: classification.Feimi, Tags: []string{"急"}, Count: 3,
		Done: true, CreatedAt: at, DoneAt: &at})
	two, doc := e.create(t, note{ID: "two", Department: "xinxi", Level: classification.Feimi, Tags: []string{"甲", "乙"},
		CreatedAt: at.Add(time.Hour)})
	one.Meta, two.Meta = struct{ Pages int }{}, struct{ Pages int }{} // not in the index
	pg := e.list(t, member, records.Query{Sort: "-createdAt", ConsistentWith: strconv.FormatInt(doc.Seq, 10)})
	if pg.Total != 2 || len(pg.Items) != 2 || !reflect.DeepEqual(pg.Items[0], two) || !reflect.DeepEqual(pg.Items[1], one) {
		t.Fatalf("listed %+v\nwant %+v and %+v", pg.Items, two, one)
	}
	// The same, a page at a time, filtered on a mapped field.
	q := records.Query{Sort: "-createdAt", Size: 1}
	first := e.list(t, member, q, index.Term("department", "xinxi"))
	q.Cursor = first.Next
	second := e.list(t, member, q, index.Term("department", "xinxi"))
	if ids(first)[0] != "two" || ids(second)[0] != "one" || second.Next != "" {
		t.Fatalf("pages %v %v (next %q)", ids(first), ids(second), second.Next)
	}
}

// A summary type decodes from the same index (info.Summary for info.Item).
func TestListAs(t *testing.T) {
	e := open(t)
	_, doc := e.create(t, note{ID: "one", Department: "xinxi", Level: classification.Feimi, Count: 2})
	type summary struct {
		ID    string `json:"id"`
		Count int    `json:"count"`
	}
	pg, err := records.ListAs[summary](context.Background(), e.c, member, records.Query{ConsistentWith: strconv.FormatInt(doc.Seq, 10)})
	if err != nil || len(pg.Items) != 1 || pg.Items[0] != (summary{ID: "one", Count: 2}) {
		t.Fatalf("%+v %v", pg, err)
	}
}

func TestListErrorsAreProblems(t *testing.T) {
	e := open(t)
	for _, c := range []struct {
		q      records.Query
		f      []index.Filter
		status int
		field  string
	}{
		{records.Query{ConsistentWith: "x"}, nil, 400, "consistentWith"},
		{records.Query{ConsistentWith: "99999999"}, nil, 400, "consistentWith"},
		{records.Query{Cursor: "%%%"}, nil, 400, "cursor"},
		{records.Query{}, []index.Filter{index.Term("nosuch", "x")}, 400, "nosuch"},
	} {
		_, err := e.c.List(context.Background(), member, c.q, c.f...)
		p := problem.As(err)
		if p == nil || p.Status != c.status || len(p.Fields) != 1 || p.Fields[0].Field != c.field {
			t.Errorf("%+v: %v, want %d naming %s", c.q, err, c.status, c.field)
		}
	}
	if p := problem.As(e.c.Wait(context.Background(), "-1")); p == nil || p.Status != 400 {
		t.Errorf("Wait for -1: %v", p)
	}
	if err := e.c.Wait(context.Background(), ""); err != nil {
		t.Errorf("Wait for nothing: %v", err)
	}
}

func TestMappingOf(t *testing.T) {
	m := records.MappingOf[note]("owner")
	for field, want := range map[string]index.Kind{"department": index.Keyword, "classification": index.Keyword,
		"tags": index.Keyword, "count": index.Numeric, "done": index.Bool, "createdAt": index.Datetime, "doneAt": index.Datetime} {
		if got, _ := m.KindOf(field); got != want {
			t.Errorf("%s: %v, want %v", field, got, want)
		}
	}
	for _, field := range []string{"id", "owner", "meta"} {
		if _, ok := m.KindOf(field); ok {
			t.Errorf("%s is mapped", field)
		}
	}
}

func TestOpenWantsAnID(t *testing.T) {
	k := testkit.New(t)
	type noID struct {
		Name string `json:"name"`
	}
	_, err := records.Open(records.Config[noID]{Deps: records.Deps{Store: k.Store, Trail: k.Trail, IndexDir: k.Dir},
		Collection: "x", Noun: records.Noun{Zh: "某", En: "x"}, Access: func(*noID) auth.Access { return auth.Access{} }})
	if err == nil {
		t.Fatal("a type without an id opened")
	}
}
