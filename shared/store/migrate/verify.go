package migrate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"

	"zhengwu/shared/store"
)

// Sum is a collection's document count and checksum: the sum, modulo
// 2^256, of the SHA-256 of every document in canonical form. A sum does
// not depend on the order the documents are read in, and unlike XOR two
// equal documents do not cancel out.
type Sum struct {
	Count    int64  `json:"count"`
	Checksum string `json:"checksum"`
}

var mod256 = new(big.Int).Lsh(big.NewInt(1), 256)

// Canonical is a document's canonical form, what the checksum hashes:
// collection, id, version, feed sequence, time at millisecond precision
// (what MongoDB keeps) and the data re-encoded with sorted keys and its
// numbers as written, so that two stores holding the same document in
// different byte layouts agree.
func Canonical(d store.Doc) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(d.Data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", d.Collection, d.ID, err)
	}
	data, err := json.Marshal(v) // maps encode with sorted keys
	if err != nil {
		return nil, err
	}
	return json.Marshal([]any{d.Collection, d.ID, d.Version, d.Seq, d.UpdatedAt.UnixMilli(), json.RawMessage(data)})
}

// SumCollection reads a whole collection and sums it.
func SumCollection(ctx context.Context, s store.Store, collection string) (Sum, error) {
	return sumCollection(ctx, s, collection, nil)
}

// sumCollection sums a collection's documents but those skip names.
func sumCollection(ctx context.Context, s store.Store, collection string, skip func(collection, id string) bool) (Sum, error) {
	total := new(big.Int)
	var n int64
	for d, err := range store.ScanAll(ctx, s, collection, "") {
		if err != nil {
			return Sum{}, err
		}
		if skip != nil && skip(d.Collection, d.ID) {
			continue
		}
		c, err := Canonical(d)
		if err != nil {
			return Sum{}, err
		}
		h := sha256.Sum256(c)
		total.Add(total, new(big.Int).SetBytes(h[:]))
		n++
	}
	total.Mod(total, mod256)
	return Sum{Count: n, Checksum: hex.EncodeToString(total.FillBytes(make([]byte, 32)))}, nil
}

// MismatchError: the two stores differ after a copy.
type MismatchError struct {
	Differences []string
}

func (e *MismatchError) Error() string {
	return "migrate: verification failed: " + strings.Join(e.Differences, "; ")
}

// Verify compares two stores: every collection's count and checksum,
// every counter, and the feed position (want, or whatever src holds if
// want is negative). It returns the sums, equal on both sides.
func Verify(ctx context.Context, src, dst Source, want int64) (map[string]Sum, error) {
	return VerifyExcept(ctx, src, dst, want, nil)
}

// VerifyExcept is Verify leaving out the documents skip names (an
// Extra's, which it verifies itself); a collection holding only such
// documents is not reported.
func VerifyExcept(ctx context.Context, src, dst Source, want int64, skip func(collection, id string) bool) (map[string]Sum, error) {
	names := map[string]bool{}
	for _, s := range []Source{src, dst} {
		list, err := s.Collections(ctx)
		if err != nil {
			return nil, err
		}
		for _, n := range list {
			names[n] = true
		}
	}
	var diffs []string
	sums := map[string]Sum{}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		if skip != nil && skip(name, "") {
			continue
		}
		a, err := sumCollection(ctx, src, name, skip)
		if err != nil {
			return nil, err
		}
		b, err := sumCollection(ctx, dst, name, skip)
		if err != nil {
			return nil, err
		}
		if skip != nil && a.Count == 0 && b.Count == 0 {
			continue
		}
		switch {
		case a.Count != b.Count:
			diffs = append(diffs, fmt.Sprintf("%s: %d documents in the source, %d in the target", name, a.Count, b.Count))
		case a.Checksum != b.Checksum:
			diffs = append(diffs, fmt.Sprintf("%s: %d documents each, but their checksums differ", name, a.Count))
		}
		sums[name] = a
	}
	ca, err := src.Counters(ctx)
	if err != nil {
		return nil, err
	}
	cb, err := dst.Counters(ctx)
	if err != nil {
		return nil, err
	}
	if !maps.Equal(ca, cb) {
		diffs = append(diffs, fmt.Sprintf("counters differ: %d in the source, %d in the target", len(ca), len(cb)))
	}
	if want < 0 {
		if want, err = src.LastSeq(ctx); err != nil {
			return nil, err
		}
	}
	got, err := dst.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	if got != want {
		diffs = append(diffs, fmt.Sprintf("the target's feed position is %d, the source's %d", got, want))
	}
	if len(diffs) > 0 {
		return nil, &MismatchError{Differences: diffs}
	}
	return sums, nil
}
