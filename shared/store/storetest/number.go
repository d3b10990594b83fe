package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"zhengwu/shared/store"
)

// numbered is a document carrying a number of a sequence, as an outgoing
// document carries its 发文字号.
type numbered struct {
	Number string `json:"number"`
	N      int64  `json:"n"`
	Voided bool   `json:"voided,omitempty"`
}

const numberSeq = "发文字号/皖政办/2026"

// register creates outgoing/<id> carrying the next number of seq.
func register(ctx context.Context, s store.Store, seq, id string) (int64, error) {
	n, docs, err := store.NextNumber(ctx, s, seq, func(_ context.Context, n int64) ([]store.Write, error) {
		return []store.Write{numberedWrite(id, n, 0)}, nil
	})
	if err == nil && (len(docs) != 1 || docs[0].ID != id) {
		return n, fmt.Errorf("NextNumber returned %+v, want the document %s", docs, id)
	}
	return n, err
}

func numberedWrite(id string, n, expect int64) store.Write {
	data := fmt.Appendf(nil, `{"number":"皖政办〔2026〕%d号","n":%d}`, n, n)
	return store.Write{Collection: "outgoing", ID: id, Data: data, ExpectVersion: expect}
}

// wantRegistered registers id in seq (register) and fails the test unless
// it got the number want.
func wantRegistered(t *testing.T, s store.Store, seq, id string, want int64) {
	t.Helper()
	if n, err := register(context.Background(), s, seq, id); err != nil || n != want {
		t.Fatalf("registration of %s in %s: %d, %v; want %d", id, seq, n, err, want)
	}
}

func wantLast(t *testing.T, s store.Store, seq string, want int64) {
	t.Helper()
	if last, err := store.LastNumber(context.Background(), s, seq); err != nil || last != want {
		t.Fatalf("LastNumber(%s) = %d, %v; want %d", seq, last, err, want)
	}
}

// runNumbers is the suite's part on gap-free numbers (store.NextNumber):
// the sequence step commits in the same PutAll as the documents carrying
// the number. Sequential runs the registrations one after another.
func runNumbers(t *testing.T, newStore func(t *testing.T) store.Store, opt Options) {
	ctx := context.Background()
	t.Run("NumbersRegistrationsGetOneToN", func(t *testing.T) {
		s := newStore(t)
		const registrations = 64
		got := make([]int64, registrations)
		errs := make([]error, registrations)
		var wg sync.WaitGroup
		for i := range registrations {
			reg := func() { got[i], errs[i] = register(ctx, s, numberSeq, fmt.Sprintf("doc-%02d", i)) }
			if opt.Sequential {
				reg()
				continue
			}
			wg.Go(func() { reg() })
		}
		wg.Wait()
		seen := map[int64]string{}
		for i, n := range got {
			if errs[i] != nil {
				t.Fatalf("registration %d: %v", i, errs[i])
			}
			id := fmt.Sprintf("doc-%02d", i)
			if other, dup := seen[n]; dup {
				t.Fatalf("number %d given to %s and %s", n, other, id)
			}
			seen[n] = id
			d, err := s.Get(ctx, "outgoing", id)
			var v numbered
			if err != nil || d.Decode(&v) != nil || v.N != n || v.Number != fmt.Sprintf("皖政办〔2026〕%d号", n) {
				t.Fatalf("%s carries %+v (%v), want number %d", id, v, err, n)
			}
		}
		for n := int64(1); n <= registrations; n++ {
			if _, ok := seen[n]; !ok {
				t.Fatalf("number %d never given (a gap); given: %v", n, seen)
			}
		}
		wantLast(t, s, numberSeq, registrations)
	})
	t.Run("NumbersRefusedBuildUsesNoNumber", func(t *testing.T) {
		s := newStore(t)
		wantRegistered(t, s, numberSeq, "a", 1)
		refusal := errors.New("主送机关缺失")
		_, docs, err := store.NextNumber(ctx, s, numberSeq, func(context.Context, int64) ([]store.Write, error) {
			return nil, refusal
		})
		if !errors.Is(err, refusal) || docs != nil {
			t.Fatalf("refused build: %+v, %v; want the build's error", docs, err)
		}
		_, _, err = store.NextNumber(ctx, s, numberSeq, func(context.Context, int64) ([]store.Write, error) {
			return nil, nil // nothing would carry the number
		})
		if !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("build without documents: %v, want ErrInvalid", err)
		}
		wantLast(t, s, numberSeq, 1)
		wantRegistered(t, s, numberSeq, "b", 2) // after the refusals
	})
	t.Run("NumbersConflictingWriteUsesNoNumber", func(t *testing.T) {
		s := newStore(t)
		mustPut(t, s, "outgoing", "draft", `{"title":"关于做好防汛工作的通知"}`)
		// Another writer changes the draft between the registration's read
		// and its write: the write conflicts and is tried again, with the
		// same number.
		attempts := 0
		n, docs, err := store.NextNumber(ctx, s, numberSeq, func(ctx context.Context, n int64) ([]store.Write, error) {
			attempts++
			d, err := s.Get(ctx, "outgoing", "draft")
			if err != nil {
				return nil, err
			}
			if attempts == 1 {
				if _, err := s.Put(ctx, "outgoing", "draft", []byte(`{"title":"改"}`), d.Version); err != nil {
					return nil, err
				}
			}
			return []store.Write{numberedWrite("draft", n, d.Version)}, nil
		})
		if err != nil || n != 1 || attempts != 2 || len(docs) != 1 || docs[0].Version != 3 {
			t.Fatalf("registration beside a concurrent edit: n=%d attempts=%d docs=%+v err=%v; want n=1 after 2 attempts", n, attempts, docs, err)
		}
		wantLast(t, s, numberSeq, 1)
		// A write that can never succeed ends in ErrConflict and uses no
		// number either.
		_, _, err = store.NextNumber(ctx, s, numberSeq, func(_ context.Context, n int64) ([]store.Write, error) {
			return []store.Write{numberedWrite("draft", n, 0)}, nil // create of an existing document
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("persistently conflicting registration: %v, want ErrConflict", err)
		}
		wantLast(t, s, numberSeq, 1)
		wantRegistered(t, s, numberSeq, "next", 2) // after the conflicts
	})
	t.Run("NumbersVoidedNumberIsNotReused", func(t *testing.T) {
		s := newStore(t)
		for i, id := range []string{"a", "b"} {
			wantRegistered(t, s, numberSeq, id, int64(i+1))
		}
		// 作废: the domain marks b void; deleting a numbered document
		// gives its number back no more than voiding does.
		if _, _, err := store.Update(ctx, s, "outgoing", "b", func(v *numbered) error { v.Voided = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Delete(ctx, "outgoing", "a", store.AnyVersion); err != nil {
			t.Fatal(err)
		}
		wantRegistered(t, s, numberSeq, "c", 3) // after voiding 2
	})
	t.Run("NumbersSequencesAreSeparate", func(t *testing.T) {
		s := newStore(t)
		for _, seq := range []string{numberSeq, "发文字号/皖政办/2027", "发文字号/皖政函/2026"} {
			wantRegistered(t, s, seq, "first-of-"+seq, 1)
		}
		wantRegistered(t, s, numberSeq, "second", 2)
	})
}
