package store

import (
	"context"
	"fmt"
	"iter"
	"strings"
)

// scanPage is how many documents ScanAll reads at a time: large enough
// that a reference set comes in a page or two, small enough that a
// rebuild's page stays a few megabytes.
const scanPage = 500

// ScanAll yields every document of a collection with id > afterID, in
// ascending id order, reading the collection a page at a time (Scan).
// A failed read is yielded once, with a zero Doc, and ends the sequence;
// breaking out of the loop stops the reading.
func ScanAll(ctx context.Context, s Store, collection, afterID string) iter.Seq2[Doc, error] {
	return func(yield func(Doc, error) bool) {
		for {
			page, err := s.Scan(ctx, collection, afterID, scanPage)
			if err != nil {
				yield(Doc{}, err)
				return
			}
			for _, d := range page {
				if !yield(d, nil) {
					return
				}
			}
			if len(page) < scanPage {
				return
			}
			afterID = page[len(page)-1].ID
		}
	}
}

// LoadAll decodes every document of a collection into a T, in id order.
// The slice is never nil, so that an empty list encodes as [].
func LoadAll[T any](ctx context.Context, s Store, collection string) ([]T, error) {
	return LoadPrefix[T](ctx, s, collection, "")
}

// LoadPrefix decodes every document of a collection whose id starts with
// prefix (a parent's children, as "doc/0001", "doc/0002"), in id order.
// The slice is never nil.
func LoadPrefix[T any](ctx context.Context, s Store, collection, prefix string) ([]T, error) {
	out := []T{}
	for d, err := range ScanAll(ctx, s, collection, prefix) {
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(d.ID, prefix) {
			break
		}
		var v T
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("decode %s/%s: %w", collection, d.ID, err)
		}
		out = append(out, v)
	}
	return out, nil
}
