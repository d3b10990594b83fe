package store

// Gap-free numbers (发文字号 and the like).
//
// A number sequence is a stored document, SequencesCollection/<name>,
// {"last": n}. Taking the next number reads it, and the write that
// advances it to n+1 is a compare-and-set in the same PutAll as the
// documents that carry n+1. So:
//
//   - no duplicates: two writers that read the same n both write "n+1"
//     expecting the version they read; one of them fails with ErrConflict
//     and tries again from the new value;
//   - no gaps where PutAll is atomic (SQLite; MongoDB with transactions):
//     the number commits with its documents or not at all, so a refused
//     build, a conflicting document write or a crash uses no number;
//   - never reused: the sequence only moves forward. Voiding (作废) a
//     numbered document is the domain's business and leaves its number
//     used.
//
// Incr's counters are the other kind: fast and atomic, but committed apart
// from any document, so a failed write after an Incr leaves a gap. They
// are for statistics.
//
// On MongoDB without transactions PutAll writes in order, so the sequence
// step is written first, before any document carrying the number: a crash
// or a conflict between the two leaves the number used but carried by no
// document (a gap), never a number that a later writer takes again (a
// duplicate). The other order could give a duplicate: a document written
// with n, then a crash before the sequence moved, and the next writer
// would take n again.

import (
	"context"
	"errors"
	"fmt"
)

// SequencesCollection holds one document per number sequence.
const SequencesCollection = "store_sequences"

type sequence struct {
	Last int64 `json:"last"`
}

// Next takes the next number of the named sequence (1 for a sequence never
// used) and adds the step that advances it to the batch, to be written
// before the batch's other writes (see the top of this file). Name a
// sequence by everything that restarts it, e.g. "发文字号/皖政办/2026" for
// one sequence per prefix per year. Taking two numbers of one sequence in
// one batch is refused (ErrInvalid).
func (b *Batch) Next(ctx context.Context, name string) (int64, error) {
	if err := Validate(SequencesCollection, name, nil); err != nil {
		return 0, err
	}
	if _, read := b.seen[[2]string{SequencesCollection, name}]; read {
		return 0, fmt.Errorf("%w: sequence %q stepped twice in one batch", ErrInvalid, name)
	}
	var seq sequence
	if _, err := b.Load(ctx, SequencesCollection, name, &seq); err != nil {
		return 0, err
	}
	n := seq.Last + 1
	data := fmt.Appendf(nil, `{"last":%d}`, n)
	b.steps = append(b.steps, Write{Collection: SequencesCollection, ID: name, Data: data,
		ExpectVersion: b.seen[[2]string{SequencesCollection, name}]})
	return n, nil
}

// NextNumber takes the next number n of the named sequence and writes it
// together with the documents that carry it: build returns their writes
// (with their own expected versions), and the sequence step and those
// writes go in one PutAll. It returns n and the written documents, in the
// order build gave them. On a conflict (another writer took n, or one of
// build's writes was stale) it starts again with a fresh number, so build
// may run several times and must read what it needs on each call. An error
// from build aborts: nothing is written and no number is used.
//
// Gap-free and duplicate-free as described at the top of number.go; use
// UpdateAll with Batch.Next when the numbered write also updates documents
// read in the same step.
func NextNumber(ctx context.Context, s Store, name string, build func(ctx context.Context, n int64) ([]Write, error)) (int64, []Doc, error) {
	var n int64
	docs, err := UpdateAll(ctx, s, func(ctx context.Context, b *Batch) error {
		var err error
		if n, err = b.Next(ctx, name); err != nil {
			return err
		}
		writes, err := build(ctx, n)
		if err != nil {
			return err
		}
		if len(writes) == 0 {
			return fmt.Errorf("%w: NextNumber: build wrote no document to carry number %d", ErrInvalid, n)
		}
		b.Add(writes...)
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return n, docs, nil
}

// LastNumber is the last number taken from the named sequence (0: none).
func LastNumber(ctx context.Context, s Store, name string) (int64, error) {
	seq, _, err := Load[sequence](ctx, s, SequencesCollection, name)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	return seq.Last, err
}
