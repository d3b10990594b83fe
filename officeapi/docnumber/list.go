package docnumber

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"zhengwu/shared/store"
)

// MaxPage is the most registrations List returns at once.
const MaxPage = 1000

// List is a page of the register (发文登记簿) of prefix for year: its
// numbers after afterSeq (0: from the first), in number order, each with
// its state and subject, at most limit (1 to MaxPage) of them.
//
// The page has no holes: every number of the sequence up to the last
// taken is a registration here, registered or voided. There are no
// reserved-but-unused numbers to list, by construction: a number is
// taken in the same write that records it and the document carrying it
// (Take, Register), so a number either exists with its record or was
// never taken.
//
// It reads the store in id order (RecordID sorts by number) rather than an
// index: a register is one prefix-year's range of ids, which the store's
// ordered Scan answers directly and exactly.
func (bk *Book) List(ctx context.Context, prefix string, year int, afterSeq int64, limit int) ([]Registration, error) {
	if err := ValidatePrefix("prefix", prefix); err != nil {
		return nil, err
	}
	if err := validateYear("year", year); err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), MaxPage)
	from := prefix + "/" + strconv.Itoa(year) + "/"
	after := from
	switch {
	case afterSeq >= MaxSeq:
		return []Registration{}, nil // no number comes after the last there can be
	case afterSeq > 0:
		after = RecordID(Number{Prefix: prefix, Year: year, Seq: afterSeq})
	}
	docs, err := bk.store.Scan(ctx, Collection, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Registration, 0, len(docs))
	for _, d := range docs {
		if !strings.HasPrefix(d.ID, from) {
			break // past the prefix-year: ids of one sequence are contiguous
		}
		var r Registration
		if err := d.Decode(&r); err != nil {
			return nil, fmt.Errorf("docnumber: decode %s: %w", d.ID, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Get returns the registration of n, or a 404 problem.
func (bk *Book) Get(ctx context.Context, n Number) (Registration, error) {
	if err := n.validate("number"); err != nil {
		return Registration{}, err
	}
	r, _, err := store.Load[Registration](ctx, bk.store, Collection, RecordID(n))
	if errors.Is(err, store.ErrNotFound) {
		return Registration{}, notRegistered(n)
	}
	return r, err
}
