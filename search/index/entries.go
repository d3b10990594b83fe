package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
)

// Entry is what reconciliation needs to know of an indexed document.
type Entry struct {
	ID         string
	Collection string
	Version    int64
}

// Entries calls fn for every document in the index, in no particular
// order, until fn returns an error. It reads one snapshot of the index,
// so documents applied meanwhile are not seen.
//
// It walks the documents and reads their id, collection and version from
// the columns (doc values), not from the stored fields: reconciliation
// reads every entry every ten minutes, and reading them as search hits
// sorted and paged by id touched every stored page of the index (each
// page a search of the whole index) and left it resident (issue 16 item
// 7). The pages of the index's files the walk mapped are released after
// it (mapped.go).
func (ix *Index) Entries(ctx context.Context, fn func(Entry) error) error {
	if ix.isClosed() {
		return ErrClosed
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return fmt.Errorf("index %s: entries: %w", ix.name, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("index %s: entries: %w", ix.name, err)
	}
	// A scorch index closed meanwhile (a swap retires it while a pass
	// starts) hands out a nil snapshot rather than an error.
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil {
		return ErrClosed
	}
	defer r.Close()
	// The walk reads three columns of every document: it leaves their
	// pages (and, by fault-around, their neighbours) mapped, which no
	// search reads. Release what it mapped, not what searches had.
	ranges := mappedRanges(snap)
	if before := residentPages(ranges); before != nil {
		defer releaseRanges(ranges, before)
	}
	docs, err := r.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("index %s: entries: %w", ix.name, err)
	}
	defer docs.Close()
	columns, err := r.DocValueReader([]string{KeyField, CollectionField, VersionField})
	if err != nil {
		return fmt.Errorf("index %s: entries: %w", ix.name, err)
	}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		doc, err := docs.Next()
		if err != nil {
			return fmt.Errorf("index %s: entries: %w", ix.name, err)
		}
		if doc == nil {
			return nil
		}
		var e Entry
		err = columns.VisitDocValues(doc, func(field string, term []byte) {
			switch field {
			case KeyField:
				e.ID = string(term)
			case CollectionField:
				e.Collection = string(term)
			case VersionField:
				// A number's column holds its prefix-coded terms at every
				// precision; the full one has shift 0.
				pc := numeric.PrefixCoded(term)
				if shift, err := pc.Shift(); err == nil && shift == 0 {
					if i, err := pc.Int64(); err == nil {
						e.Version = int64(numeric.Int64ToFloat64(i))
					}
				}
			}
		})
		if err != nil {
			return fmt.Errorf("index %s: entries: %w", ix.name, err)
		}
		if e.ID == "" {
			continue // the checkpoint and fingerprint are internal values, not documents; nothing else lacks a key
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}
