package docnumber_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi/docnumber"
	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

const (
	prefix = "皖政办"
	year   = 2026
	docs   = "officialdoc_test" // the subjects' collection
)

// outgoing is a stand-in for an outgoing document carrying its number.
type outgoing struct {
	Title  string `json:"title"`
	Number string `json:"number,omitempty"`
}

func book(t testing.TB) (*docnumber.Book, *testkit.Env) {
	t.Helper()
	env := testkit.New(t)
	b, err := docnumber.New(docnumber.Deps{Store: env.Store, Trail: env.Trail, Now: env.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return b, env
}

func actor(id string) records.Actor {
	p := testkit.Principal(id, classification.Feimi, []string{"mishu1"})
	return records.Actor{P: &p, IP: "10.0.0.8"}
}

func subject(id string) docnumber.Subject { return docnumber.Subject{Collection: docs, ID: id} }

// create writes a draft the way its capability would, and returns the
// version a registration's extra write expects.
func create(t *testing.T, env *testkit.Env, id string) int64 {
	t.Helper()
	d, err := env.Store.Put(context.Background(), docs, id, []byte(`{"title":"关于做好防汛工作的通知"}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	return d.Version
}

func numbered(id, number string, expect int64) store.Write {
	data := fmt.Appendf(nil, `{"title":"关于做好防汛工作的通知","number":%q}`, number)
	return store.Write{Collection: docs, ID: id, Data: data, ExpectVersion: expect}
}

func wantLast(t *testing.T, env *testkit.Env, want int64) {
	t.Helper()
	last, err := store.LastNumber(context.Background(), env.Store, docnumber.SequenceName(prefix, year))
	if err != nil || last != want {
		t.Fatalf("last number taken = %d, %v; want %d", last, err, want)
	}
}

func wantRegister(t *testing.T, b *docnumber.Book, want ...docnumber.State) []docnumber.Registration {
	t.Helper()
	page, err := b.List(context.Background(), prefix, year, 0, docnumber.MaxPage)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != len(want) {
		t.Fatalf("register has %d lines, want %d: %+v", len(page), len(want), page)
	}
	for i, r := range page {
		if r.Number.Seq != int64(i+1) || r.State != want[i] || r.Text != r.Number.String() {
			t.Fatalf("line %d: %+v, want number %d %s", i, r, i+1, want[i])
		}
	}
	return page
}

// The acceptance case: 64 concurrent registrations on the real
// SQLite store give exactly 1..64, each recorded with its subject, its
// document written with it, its audit entry in the chain.
func TestConcurrentRegistrationsGetOneTo64(t *testing.T) {
	b, env := book(t)
	ctx := context.Background()
	const n = 64
	regs := make([]docnumber.Registration, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			id := fmt.Sprintf("doc-%02d", i)
			write := store.Write{Collection: docs, ID: id, Data: []byte(`{"title":"通知"}`), ExpectVersion: 0}
			regs[i], errs[i] = b.Register(ctx, actor(fmt.Sprintf("clerk-%d", i%4)), prefix, year, subject(id), write)
		})
	}
	wg.Wait()
	seen := map[int64]string{}
	for i, r := range regs {
		if errs[i] != nil {
			t.Fatalf("registration %d: %v", i, errs[i])
		}
		if other, dup := seen[r.Number.Seq]; dup {
			t.Fatalf("number %d given to %s and %s", r.Number.Seq, other, r.Subject.ID)
		}
		seen[r.Number.Seq] = r.Subject.ID
		if _, err := env.Store.Get(ctx, docs, r.Subject.ID); err != nil {
			t.Fatalf("the extra write of %s: %v", r.Subject.ID, err)
		}
	}
	page := wantRegister(t, b, repeat(docnumber.Registered, n)...)
	for _, r := range page {
		if seen[r.Number.Seq] != r.Subject.ID || r.Subject.Collection != docs {
			t.Fatalf("register line %d names %+v, registration gave it to %s", r.Number.Seq, r.Subject, seen[r.Number.Seq])
		}
		if got := env.Audited(docnumber.ActionRegister, docnumber.Collection+"/"+r.ID); len(got) != 1 ||
			got[0].Details["number"] != r.Text {
			t.Fatalf("audit of %s: %+v", r.Text, got)
		}
	}
	wantLast(t, env, n)
	if rep, err := env.Trail.Verify(ctx); err != nil || !rep.OK || rep.Entries != n {
		t.Fatalf("audit chain: %+v, %v", rep, err)
	}
}

func repeat(s docnumber.State, n int) []docnumber.State {
	out := make([]docnumber.State, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestRegistrationRecordsWhoWhenWhat(t *testing.T) {
	b, env := book(t)
	v := create(t, env, "d1")
	r, err := b.Register(context.Background(), actor("wang"), prefix, year, subject("d1"), numbered("d1", "皖政办〔2026〕1号", v))
	if err != nil {
		t.Fatal(err)
	}
	want := docnumber.Registration{ID: "皖政办/2026/000001", Number: docnumber.Number{Prefix: prefix, Year: year, Seq: 1},
		Text: "皖政办〔2026〕1号", Subject: subject("d1"), State: docnumber.Registered, RegisteredBy: "wang",
		RegisteredAt: env.Clock.Now().UTC()}
	got, err := b.Get(context.Background(), want.Number)
	if err != nil || !equal(got, want) || !equal(r, want) {
		t.Fatalf("registration %+v / stored %+v (%v), want %+v", r, got, err, want)
	}
	d, _ := env.Store.Get(context.Background(), docs, "d1")
	var doc outgoing
	if d.Decode(&doc) != nil || doc.Number != "皖政办〔2026〕1号" || d.Version != v+1 {
		t.Fatalf("the subject's own write: %+v at version %d", doc, d.Version)
	}
	ev := env.Audited(docnumber.ActionRegister, docnumber.Collection+"/"+want.ID)
	if len(ev) != 1 || ev[0].Actor != "wang" || ev[0].ActorIP != "10.0.0.8" || ev[0].Details["subject"] != docs+"/d1" {
		t.Fatalf("audit entry: %+v", ev)
	}
}

func equal(a, b docnumber.Registration) bool {
	return a.ID == b.ID && a.Number == b.Number && a.Text == b.Text && a.Subject == b.Subject && a.State == b.State &&
		a.RegisteredBy == b.RegisteredBy && a.RegisteredAt.Equal(b.RegisteredAt) && (a.Voiding == nil) == (b.Voiding == nil)
}

// A registration that fails takes no number: the next one gets the
// number the failed one would have had.
func TestFailedRegistrationTakesNoNumber(t *testing.T) {
	b, env := book(t)
	ctx := context.Background()
	v := create(t, env, "d1")
	if _, err := b.Register(ctx, actor("wang"), prefix, year, subject("d1")); err != nil {
		t.Fatal(err)
	}
	// Someone edits d2 after the caller read it: its write is stale.
	v2 := create(t, env, "d2")
	if _, err := env.Store.Put(ctx, docs, "d2", []byte(`{"title":"改"}`), v2); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	_, err := b.Register(ctx, actor("wang"), prefix, year, subject("d2"), numbered("d2", "皖政办〔2026〕2号", v2))
	if p := problem.As(err); p == nil || p.Code != problem.CodeConflict {
		t.Fatalf("stale extra write: %v, want a 409 conflict", err)
	}
	if took := time.Since(started); took > 250*time.Millisecond {
		t.Errorf("a stale extra write took %v to refuse: it was retried", took)
	}
	// Creating a document that exists is stale in the same way.
	_, err = b.Register(ctx, actor("wang"), prefix, year, subject("d1"), numbered("d1", "x", 0))
	if p := problem.As(err); p == nil || p.Code != problem.CodeConflict {
		t.Fatalf("create of an existing document: %v, want a 409 conflict", err)
	}
	for name, call := range map[string]func() error{
		"bad prefix": func() error {
			_, err := b.Register(ctx, actor("wang"), "WZB", year, subject("d2"))
			wantField(t, err, "prefix")
			return err
		},
		"bad year": func() error {
			_, err := b.Register(ctx, actor("wang"), prefix, 26, subject("d2"))
			wantField(t, err, "year")
			return err
		},
		"no subject": func() error {
			_, err := b.Register(ctx, actor("wang"), prefix, year, docnumber.Subject{})
			wantField(t, err, "subject")
			return err
		},
		"no actor": func() error {
			_, err := b.Register(ctx, records.Actor{}, prefix, year, subject("d2"))
			return err
		},
		"extra write to the register": func() error {
			_, err := b.Register(ctx, actor("wang"), prefix, year, subject("d2"),
				store.Write{Collection: docnumber.Collection, ID: "皖政办/2026/000002", Data: []byte(`{}`), ExpectVersion: 0})
			return err
		},
		"extra write to the sequence": func() error {
			_, err := b.Register(ctx, actor("wang"), prefix, year, subject("d2"),
				store.Write{Collection: store.SequencesCollection, ID: docnumber.SequenceName(prefix, year),
					Data: []byte(`{"last":0}`), ExpectVersion: store.AnyVersion})
			return err
		},
	} {
		if err := call(); err == nil {
			t.Fatalf("%s: registered", name)
		}
	}
	wantLast(t, env, 1)
	d, _ := env.Store.Get(ctx, docs, "d1")
	if d.Version != v {
		t.Fatalf("d1 was written by a refused registration: version %d", d.Version)
	}
	d2, _ := env.Store.Get(ctx, docs, "d2")
	r, err := b.Register(ctx, actor("wang"), prefix, year, subject("d2"), numbered("d2", "皖政办〔2026〕2号", d2.Version))
	if err != nil || r.Number.Seq != 2 {
		t.Fatalf("after the refusals: %+v, %v; want number 2", r, err)
	}
	wantRegister(t, b, docnumber.Registered, docnumber.Registered)
	if rep, err := env.Trail.Verify(ctx); err != nil || !rep.OK || rep.Entries != 2 {
		t.Fatalf("audit trail after two registrations and the refusals: %+v, %v; want 2 entries", rep, err)
	}
}

// A capability registers inside its own step: it reads its document,
// takes the number, writes the number into the document, and all of it
// commits together with both audit entries; a step that gives up after
// taking a number uses none.
func TestTakeInsideACapabilityStep(t *testing.T) {
	b, env := book(t)
	ctx := context.Background()
	create(t, env, "d1")
	step := func(abort error) (docnumber.Registration, error) {
		var reg docnumber.Registration
		_, err := audit.UpdateAll(ctx, env.Trail, func(ctx context.Context, batch *store.Batch) ([]audit.Event, error) {
			var doc outgoing
			if _, err := batch.Load(ctx, docs, "d1", &doc); err != nil {
				return nil, err
			}
			r, ev, err := b.Take(ctx, batch, actor("li"), prefix, year, subject("d1"))
			if err != nil {
				return nil, err
			}
			if abort != nil {
				return nil, abort
			}
			doc.Number, reg = r.Text, r
			if err := batch.Save(docs, "d1", doc); err != nil {
				return nil, err
			}
			return []audit.Event{ev, {Actor: "li", Action: "officialdoc.register", Target: docs + "/d1", Outcome: audit.Success}}, nil
		})
		return reg, err
	}
	refusal := problem.Invalid(problem.Field("mainTo", "请填写主送机关", "main recipient required"))
	if _, err := step(refusal); !errors.Is(err, refusal) {
		t.Fatalf("aborted step: %v", err)
	}
	wantLast(t, env, 0)
	wantRegister(t, b)
	r, err := step(nil)
	if err != nil || r.Text != "皖政办〔2026〕1号" {
		t.Fatalf("step: %+v, %v", r, err)
	}
	var doc outgoing
	if d, err := env.Store.Get(ctx, docs, "d1"); err != nil || d.Decode(&doc) != nil || doc.Number != r.Text {
		t.Fatalf("the document carries %+v (%v), want %s", doc, err, r.Text)
	}
	if len(env.Audited("officialdoc.register", docs+"/d1")) != 1 || len(env.Audited(docnumber.ActionRegister, docnumber.Collection+"/"+r.ID)) != 1 {
		t.Fatal("the step's two audit entries are not both in the trail")
	}
}

func TestVoidKeepsTheRecordAndTheNumberIsNeverReused(t *testing.T) {
	b, env := book(t)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		if _, err := b.Register(ctx, actor("wang"), prefix, year, subject(fmt.Sprintf("d%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	env.Clock.Advance(time.Hour)
	two := docnumber.Number{Prefix: prefix, Year: year, Seq: 2}
	v := create(t, env, "d2")
	r, err := b.Void(ctx, actor("zhao"), two, "  文件内容有误，撤回重发  ", numbered("d2", "", v))
	if err != nil {
		t.Fatal(err)
	}
	want := docnumber.Voiding{By: "zhao", At: env.Clock.Now().UTC(), Reason: "文件内容有误，撤回重发"}
	stored, err := b.Get(ctx, two)
	if err != nil || stored.State != docnumber.Voided || stored.Voiding == nil || *stored.Voiding != want ||
		stored.RegisteredBy != "wang" || stored.Subject != subject("d2") || r.State != docnumber.Voided {
		t.Fatalf("voided record: %+v (%v), want voiding %+v kept beside its registration", stored, err, want)
	}
	if d, _ := env.Store.Get(ctx, docs, "d2"); d.Version != v+1 {
		t.Fatal("the void's extra write was not committed")
	}
	ev := env.Audited(docnumber.ActionVoid, docnumber.Collection+"/"+stored.ID)
	if len(ev) != 1 || ev[0].Actor != "zhao" || ev[0].Reason != want.Reason {
		t.Fatalf("audit of the void: %+v", ev)
	}

	_, err = b.Void(ctx, actor("zhao"), two, "再次作废")
	if p := problem.As(err); p == nil || p.Code != problem.CodeInvalidState {
		t.Fatalf("voiding twice: %v, want invalid_state", err)
	}
	_, err = b.Void(ctx, actor("zhao"), docnumber.Number{Prefix: prefix, Year: year, Seq: 9}, "未登记")
	if p := problem.As(err); p == nil || p.Code != problem.CodeNotFound {
		t.Fatalf("voiding an unregistered number: %v, want not_found", err)
	}
	_, err = b.Void(ctx, actor("zhao"), docnumber.Number{Prefix: prefix, Year: year, Seq: 1}, " \t")
	wantField(t, err, "reason")
	_, err = b.Void(ctx, actor("zhao"), docnumber.Number{Prefix: "W", Year: year, Seq: 1}, "原因")
	wantField(t, err, "number")

	next, err := b.Register(ctx, actor("wang"), prefix, year, subject("d2"))
	if err != nil || next.Number.Seq != 4 {
		t.Fatalf("after voiding 2: %+v, %v; want number 4", next, err)
	}
	wantRegister(t, b, docnumber.Registered, docnumber.Voided, docnumber.Registered, docnumber.Registered)
	if len(env.Audited(docnumber.ActionVoid, docnumber.Collection+"/"+stored.ID)) != 1 {
		t.Fatal("a refused void was audited as a void")
	}
}

func TestRegisterListsOnePrefixYearInPages(t *testing.T) {
	b, _ := book(t)
	ctx := context.Background()
	// Neighbouring sequences, whose ids sort next to 皖政办/2026/.
	for _, seq := range []struct {
		prefix string
		year   int
		count  int
	}{{"皖政", year, 2}, {prefix, 2025, 2}, {prefix, year, 5}, {prefix, 2027, 1}, {"皖政办函", year, 2}} {
		for i := range seq.count {
			if _, err := b.Register(ctx, actor("wang"), seq.prefix, seq.year, subject(fmt.Sprintf("%s-%d-%d", seq.prefix, seq.year, i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	wantRegister(t, b, repeat(docnumber.Registered, 5)...)
	var got []int64
	for after := int64(0); ; {
		page, err := b.List(ctx, prefix, year, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			got = append(got, r.Number.Seq)
		}
		after = page[len(page)-1].Number.Seq
	}
	if fmt.Sprint(got) != "[1 2 3 4 5]" {
		t.Fatalf("paged register: %v", got)
	}
	if page, err := b.List(ctx, prefix, 2030, 0, 10); err != nil || len(page) != 0 {
		t.Fatalf("a year never used: %+v, %v", page, err)
	}
	if page, err := b.List(ctx, prefix, year, docnumber.MaxSeq, 10); err != nil || len(page) != 0 {
		t.Fatalf("after the last possible number: %+v, %v", page, err)
	}
	_, err := b.List(ctx, "皖", year, 0, 10)
	wantField(t, err, "prefix")
	_, err = b.Get(ctx, docnumber.Number{Prefix: prefix, Year: year, Seq: 6})
	if p := problem.As(err); p == nil || p.Code != problem.CodeNotFound {
		t.Fatalf("Get of an unregistered number: %v", err)
	}
}
