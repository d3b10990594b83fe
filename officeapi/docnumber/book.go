package docnumber

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Collection holds one registration record per number given, under
// RecordID: 皖政办/2026/000012.
const Collection = "docnumber_registrations"

// Audit actions.
const (
	ActionRegister = "docnumber.register"
	ActionVoid     = "docnumber.void"
)

// State is a registered number's state.
type State string

// States. There is no "reserved": a number exists only once committed with
// the document carrying it.
const (
	Registered State = "registered" // 已登记
	Voided     State = "voided"     // 已作废
)

// Subject is the stored document a number was given to.
type Subject struct {
	Collection string `json:"collection"`
	ID         string `json:"id"`
}

// Registration is one line of the register (发文登记簿): the number, what
// carries it, who registered it when, and its voiding if any.
type Registration struct {
	ID           string    `json:"id"`     // RecordID(Number)
	Number       Number    `json:"number"` // its parts
	Text         string    `json:"text"`   // as printed: 皖政办〔2026〕12号
	Subject      Subject   `json:"subject"`
	State        State     `json:"state"`
	RegisteredBy string    `json:"registeredBy"` // user id
	RegisteredAt time.Time `json:"registeredAt"`
	Voiding      *Voiding  `json:"voiding,omitempty"` // set when State is Voided
}

// Voiding is who voided a number, when and why (作废).
type Voiding struct {
	By     string    `json:"by"` // user id
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// MaxReasonRunes bounds a voiding's reason.
const MaxReasonRunes = 500

// Deps is what the register needs from the process.
type Deps struct {
	Store store.Store
	Trail *audit.Trail
	Now   func() time.Time // default time.Now
}

// Book is the register of document numbers (发文登记簿) on a store.
type Book struct {
	store store.Store
	trail *audit.Trail
	now   func() time.Time

	mu     sync.Mutex               // guards queues
	queues map[string]chan struct{} // sequence name → its one-slot queue (Lock)
}

// New returns the register on d's store and trail.
func New(d Deps) (*Book, error) {
	if d.Store == nil || d.Trail == nil {
		return nil, errors.New("docnumber: Store and Trail are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Book{store: d.Store, trail: d.Trail, now: d.Now}, nil
}

// SequenceName is the store sequence (store.Batch.Next) of a prefix's
// numbers in a year: one sequence per 机关代字 per year.
func SequenceName(prefix string, year int) string {
	return "发文字号/" + prefix + "/" + strconv.Itoa(year)
}

// RecordID is the registration record's id: prefix/year/serial, the serial
// zero-padded so that id order (the store's Scan) is number order.
func RecordID(n Number) string {
	return fmt.Sprintf("%s/%d/%06d", n.Prefix, n.Year, n.Seq)
}

func recordTarget(id string) string { return Collection + "/" + id }

// Take gives subject the next number of prefix's sequence for year inside
// the caller's own step: it steps the sequence in b (store.Batch.Next)
// and adds the registration record to b (a create, so even a sequence
// that went wrong could not record one number twice). The caller puts
// the number into its document, saves it in the same batch and returns
// the event with its own from audit.UpdateAll: sequence, record, document
// and audit entries then commit in one PutAll, or none of them does and
// no number is used. b runs again on a conflict, so Take may too.
func (bk *Book) Take(ctx context.Context, b *store.Batch, a records.Actor, prefix string, year int,
	subject Subject) (Registration, audit.Event, error) {
	if err := bk.check(a, prefix, year, subject); err != nil {
		return Registration{}, audit.Event{}, err
	}
	seq, err := b.Next(ctx, SequenceName(prefix, year))
	if err != nil {
		return Registration{}, audit.Event{}, err
	}
	n := Number{Prefix: prefix, Year: year, Seq: seq}
	if seq > MaxSeq {
		return Registration{}, audit.Event{}, problem.Conflict(
			fmt.Sprintf("%s %d 年的发文字号已用尽", prefix, year), "the year's numbers for this issuer code are used up")
	}
	r := Registration{ID: RecordID(n), Number: n, Text: n.String(), Subject: subject, State: Registered,
		RegisteredBy: a.P.UserID, RegisteredAt: bk.now().UTC()}
	data, err := store.Encode(r)
	if err != nil {
		return Registration{}, audit.Event{}, err
	}
	b.Add(store.Write{Collection: Collection, ID: r.ID, Data: data, ExpectVersion: 0})
	ev := audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: ActionRegister, Target: recordTarget(r.ID),
		Outcome: audit.Success, Details: map[string]any{"number": r.Text,
			"subject": subject.Collection + "/" + subject.ID}}
	return r, ev, nil
}

func (bk *Book) check(a records.Actor, prefix string, year int, subject Subject) error {
	if a.P == nil || a.P.UserID == "" {
		return errors.New("docnumber: no actor")
	}
	if err := ValidatePrefix("prefix", prefix); err != nil {
		return err
	}
	if err := validateYear("year", year); err != nil {
		return err
	}
	if store.Validate(subject.Collection, subject.ID, nil) != nil {
		return problem.Invalid(problem.Field("subject", "缺少编号对象", "the numbered document is missing"))
	}
	return nil
}

// Register gives subject the next number of prefix's sequence for year and
// commits, in one write: the sequence's step, the registration record,
// extra (the caller's own writes, with their expected versions: the
// subject's update, say) and the audit entry. No gaps, no duplicates: a
// registration that fails for any reason (a refused argument, a stale
// extra write, a crash) takes no number. A stale extra write is a 409
// problem at once; conflicts with other registrations are retried
// (store.Retry), after the registrations of this process queue for the
// sequence (Lock). For a step that must read and decide, use Take.
func (bk *Book) Register(ctx context.Context, a records.Actor, prefix string, year int, subject Subject,
	extra ...store.Write) (Registration, error) {
	if err := bk.check(a, prefix, year, subject); err != nil {
		return Registration{}, err
	}
	unlock, err := bk.Lock(ctx, prefix, year)
	if err != nil {
		return Registration{}, err
	}
	defer unlock()
	var r Registration
	_, err = audit.UpdateAll(ctx, bk.trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
		if err := bk.current(ctx, extra); err != nil {
			return nil, err
		}
		var ev audit.Event
		var err error
		if r, ev, err = bk.Take(ctx, b, a, prefix, year, subject); err != nil {
			return nil, err
		}
		b.Add(extra...)
		return []audit.Event{ev}, nil
	})
	if err != nil {
		return Registration{}, err
	}
	return r, nil
}

// current checks the caller's extra writes: none may write what only the
// register writes (its records, the sequences, the audit trail), and each
// must still expect its document's stored version. They are fixed, so retrying a stale one would only
// spend MaxAttempts failing: it is the caller's conflict, answered at
// once. (A write that turns stale after this check fails the PutAll and
// is caught here on the retry.)
func (bk *Book) current(ctx context.Context, writes []store.Write) error {
	for _, w := range writes {
		switch w.Collection {
		case Collection, store.SequencesCollection, audit.Collection:
			return fmt.Errorf("docnumber: an extra write to %s/%s: only the register writes there", w.Collection, w.ID)
		}
		if w.ExpectVersion == store.AnyVersion {
			continue
		}
		var stored int64
		d, err := bk.store.Get(ctx, w.Collection, w.ID)
		switch {
		case err == nil:
			stored = d.Version
		case errors.Is(err, store.ErrNotFound):
		default:
			return err
		}
		if stored != w.ExpectVersion {
			return problem.Conflict("文档已被他人修改，请刷新后重试", "the document changed since it was read").
				With("target", w.Collection+"/"+w.ID)
		}
	}
	return nil
}

// Void voids a registered number (作废) with a reason, committing the
// record's change, extra (the caller's own writes) and the audit entry in
// one write. The record stays, voided, by whom, when and why; the number
// is never given again (the sequence only moves forward). An unregistered
// number is a 404, a voided one a 409.
func (bk *Book) Void(ctx context.Context, a records.Actor, n Number, reason string, extra ...store.Write) (Registration, error) {
	var r Registration
	_, err := audit.UpdateAll(ctx, bk.trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
		if err := bk.current(ctx, extra); err != nil {
			return nil, err
		}
		var ev audit.Event
		var err error
		if r, ev, err = bk.VoidIn(ctx, b, a, n, reason); err != nil {
			return nil, err
		}
		b.Add(extra...)
		return []audit.Event{ev}, nil
	})
	if err != nil {
		return Registration{}, err
	}
	return r, nil
}

// VoidIn voids n inside the caller's own step, as Take numbers inside one:
// the record's change goes into b, and the caller returns the event with
// its own from audit.UpdateAll (a 公文 terminated after 登记编号 voids its
// number in the terminating write).
func (bk *Book) VoidIn(ctx context.Context, b *store.Batch, a records.Actor, n Number, reason string) (Registration, audit.Event, error) {
	if a.P == nil || a.P.UserID == "" {
		return Registration{}, audit.Event{}, errors.New("docnumber: no actor")
	}
	if err := n.validate("number"); err != nil {
		return Registration{}, audit.Event{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > MaxReasonRunes {
		return Registration{}, audit.Event{}, problem.Invalid(problem.Field("reason",
			fmt.Sprintf("请填写作废原因（至多 %d 字）", MaxReasonRunes),
			fmt.Sprintf("a reason of at most %d characters is required", MaxReasonRunes)))
	}
	var r Registration
	found, err := b.Load(ctx, Collection, RecordID(n), &r)
	switch {
	case err != nil:
		return Registration{}, audit.Event{}, err
	case !found:
		return Registration{}, audit.Event{}, notRegistered(n)
	case r.State == Voided:
		return Registration{}, audit.Event{}, problem.InvalidState("已作废", string(Voided))
	}
	r.State = Voided
	r.Voiding = &Voiding{By: a.P.UserID, At: bk.now().UTC(), Reason: reason}
	if err := b.Save(Collection, r.ID, r); err != nil {
		return Registration{}, audit.Event{}, err
	}
	ev := audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: ActionVoid, Target: recordTarget(r.ID),
		Outcome: audit.Success, Reason: reason, Details: map[string]any{"number": r.Text,
			"subject": r.Subject.Collection + "/" + r.Subject.ID}}
	return r, ev, nil
}

func notRegistered(n Number) error {
	return problem.NotFound("发文字号 "+n.String()+" 未登记", "number "+n.String()+" is not registered")
}
