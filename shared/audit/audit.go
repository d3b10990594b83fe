// Package audit is the append-only, hash-chained audit trail (审计日志):
// every login, failure, lockout, grant, user change and configuration
// change, with who, when, from where, what and the outcome.
//
// Entry n is stored under id %016d(n) and carries the SHA-256 of entry n-1.
// Creating entry n uses the store's create-only put (expected version 0),
// so two writers, even in two processes, can never both write entry n: the
// loser re-reads and appends after it. Verify walks the chain: any edited,
// deleted or inserted entry breaks it.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"zhengwu/shared/store"
)

// Collection holds the entries; nothing but this package writes to it.
const Collection = "audit"

// Outcomes.
const (
	Success = "success"
	Failure = "failure"
)

// Event is what a caller records.
type Event struct {
	Actor   string         `json:"actor"`             // user id, or "system", or the username tried
	ActorIP string         `json:"actorIp,omitempty"` // where from
	Action  string         `json:"action"`            // e.g. "auth.login", "grant.create"
	Target  string         `json:"target,omitempty"`  // what it was done to
	Outcome string         `json:"outcome"`           // Success or Failure
	Reason  string         `json:"reason,omitempty"`  // why it failed, or the rule that decided
	Details map[string]any `json:"details,omitempty"` // extra facts; never secrets
}

// Entry is a stored event in the chain.
type Entry struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Event              // embedded: its fields are the entry's
	PrevHash string    `json:"prevHash"`
	Hash     string    `json:"hash"`
}

// Trail appends to and verifies the audit trail.
type Trail struct {
	store store.Store
	now   func() time.Time

	mu       sync.Mutex // serialises appends within the process
	loaded   bool
	headSeq  int64
	headHash string
}

// New returns a trail on s; now is the clock.
func New(s store.Store, now func() time.Time) *Trail {
	if now == nil {
		now = time.Now
	}
	return &Trail{store: s, now: now}
}

func entryID(seq int64) string { return fmt.Sprintf("%016d", seq) }

// Record appends an event. An audit write that fails is an error the
// caller must not ignore: an action that cannot be audited is refused.
func (t *Trail) Record(ctx context.Context, ev Event) (Entry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.loaded {
		if err := t.loadHead(ctx); err != nil {
			return Entry{}, err
		}
	}
	for {
		e := Entry{Seq: t.headSeq + 1, At: t.now().UTC().Truncate(time.Microsecond), Event: ev, PrevHash: t.headHash}
		e.Hash = hashOf(e)
		data, err := json.Marshal(e)
		if err != nil {
			return Entry{}, err
		}
		_, err = t.store.Put(ctx, Collection, entryID(e.Seq), data, 0)
		if err == nil {
			t.headSeq, t.headHash = e.Seq, e.Hash
			return e, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return Entry{}, fmt.Errorf("audit: append: %w", err)
		}
		// Another process wrote entry Seq first: move past it and retry.
		if err := t.advance(ctx, e.Seq); err != nil {
			return Entry{}, err
		}
	}
}

// RecordAll appends events as consecutive entries in one store write
// (PutAll), for a caller that decides many things in one step (the
// gateway): one transaction instead of one per event. Like Record, an
// error means the events must be treated as unaudited; where PutAll is
// atomic none of them was written.
func (t *Trail) RecordAll(ctx context.Context, events []Event) ([]Entry, error) {
	if len(events) == 0 {
		return nil, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.loaded {
		if err := t.loadHead(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]Entry, 0, len(events))
	for len(events) > 0 {
		tried, writes, err := t.chain(events)
		if err != nil {
			return out, err
		}
		_, err = t.store.PutAll(ctx, writes)
		if err == nil {
			last := tried[len(tried)-1]
			t.headSeq, t.headHash = last.Seq, last.Hash
			return append(out, tried...), nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return out, fmt.Errorf("audit: append: %w", err)
		}
		// Another process appended first, or (PutAll's ordered fallback)
		// a prefix of ours landed before a conflict: move past what is
		// stored and retry with the events not yet in.
		landed, err := t.catchUp(ctx, tried)
		if err != nil {
			return out, err
		}
		out = append(out, tried[:landed]...)
		events = events[landed:]
	}
	return out, nil
}

// chain makes events the entries after the head, and their writes.
func (t *Trail) chain(events []Event) ([]Entry, []store.Write, error) {
	entries := make([]Entry, len(events))
	writes := make([]store.Write, len(events))
	seq, prev := t.headSeq, t.headHash
	at := t.now().UTC().Truncate(time.Microsecond)
	for i, ev := range events {
		seq++
		e := Entry{Seq: seq, At: at, Event: ev, PrevHash: prev}
		e.Hash = hashOf(e)
		data, err := json.Marshal(e)
		if err != nil {
			return nil, nil, err
		}
		entries[i], prev = e, e.Hash
		writes[i] = store.Write{Collection: Collection, ID: entryID(seq), Data: data, ExpectVersion: 0}
	}
	return entries, writes, nil
}

// catchUp moves the head past every stored entry after it and returns how
// many of tried (the entries a refused write attempted) are among them.
func (t *Trail) catchUp(ctx context.Context, tried []Entry) (int, error) {
	landed, start := 0, t.headSeq
	for {
		seq := t.headSeq + 1
		doc, err := t.store.Get(ctx, Collection, entryID(seq))
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			return landed, fmt.Errorf("audit: read entry %d: %w", seq, err)
		}
		var e Entry
		if err := doc.Decode(&e); err != nil {
			return landed, fmt.Errorf("audit: decode entry %d: %w", seq, err)
		}
		if landed < len(tried) && tried[landed].Seq == e.Seq && tried[landed].Hash == e.Hash {
			landed++
		}
		t.headSeq, t.headHash = e.Seq, e.Hash
	}
	if t.headSeq == start {
		// Nothing after the head, yet the write conflicted: retrying
		// would loop.
		return 0, fmt.Errorf("audit: append of entry %d conflicted, but there is no such entry", start+1)
	}
	return landed, nil
}

func (t *Trail) advance(ctx context.Context, seq int64) error {
	doc, err := t.store.Get(ctx, Collection, entryID(seq))
	if err != nil {
		return fmt.Errorf("audit: read entry %d: %w", seq, err)
	}
	var e Entry
	if err := doc.Decode(&e); err != nil {
		return fmt.Errorf("audit: decode entry %d: %w", seq, err)
	}
	t.headSeq, t.headHash = e.Seq, e.Hash
	return nil
}

// loadHead finds the last entry by scanning forward from the start in
// pages. It runs once per process; ids are fixed-width so id order is
// sequence order.
func (t *Trail) loadHead(ctx context.Context) error {
	after := ""
	for {
		page, err := t.store.Scan(ctx, Collection, after, 1000)
		if err != nil {
			return fmt.Errorf("audit: load head: %w", err)
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		var e Entry
		if err := page[len(page)-1].Decode(&e); err != nil {
			return fmt.Errorf("audit: decode entry %s: %w", after, err)
		}
		t.headSeq, t.headHash = e.Seq, e.Hash
	}
	t.loaded = true
	return nil
}

// hashOf is SHA-256 over the entry's canonical JSON without its own hash.
func hashOf(e Entry) string {
	e.Hash = ""
	data, _ := json.Marshal(e)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Report is the outcome of Verify.
type Report struct {
	OK       bool   `json:"ok"`
	Entries  int64  `json:"entries"`
	BrokenAt int64  `json:"brokenAt,omitempty"` // first entry that fails
	Problem  string `json:"problem,omitempty"`
}

// Verify walks the whole chain and reports the first break.
func (t *Trail) Verify(ctx context.Context) (Report, error) {
	var r Report
	prev := ""
	after := ""
	for {
		page, err := t.store.Scan(ctx, Collection, after, 1000)
		if err != nil {
			return r, err
		}
		if len(page) == 0 {
			break
		}
		for _, doc := range page {
			want := r.Entries + 1
			var e Entry
			if err := doc.Decode(&e); err != nil {
				return broken(r, want, "entry is not valid JSON"), nil
			}
			switch {
			case doc.ID != entryID(want) || e.Seq != want:
				return broken(r, want, fmt.Sprintf("entry %d is missing (found %s)", want, doc.ID)), nil
			case doc.Version != 1:
				return broken(r, want, "entry was rewritten after it was appended"), nil
			case e.PrevHash != prev:
				return broken(r, want, "chain link to the previous entry does not match"), nil
			case hashOf(e) != e.Hash:
				return broken(r, want, "entry content does not match its hash"), nil
			}
			prev = e.Hash
			r.Entries = want
		}
		after = page[len(page)-1].ID
	}
	r.OK = true
	return r, nil
}

func broken(r Report, at int64, why string) Report {
	r.BrokenAt, r.Problem = at, why
	return r
}

// List returns up to limit entries after seq, oldest first (for the
// auditor's view).
func (t *Trail) List(ctx context.Context, afterSeq int64, limit int) ([]Entry, error) {
	after := ""
	if afterSeq > 0 {
		after = entryID(afterSeq)
	}
	page, err := t.store.Scan(ctx, Collection, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(page))
	for _, doc := range page {
		var e Entry
		if err := doc.Decode(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
