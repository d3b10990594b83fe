package index

import (
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Mapped pages of the index's segment files.
//
// Bleve reads a segment on disk through a read-only shared memory map of
// its file. A page of it counts in the process's memory (RSS, PSS) once
// the process has touched it, and stays counted until the mapping goes:
// the page cache keeps the file either way. The kernel maps more than is
// read: each fault maps the neighbouring pages that the page cache holds
// (fault-around, 16 pages; a whole large folio on newer kernels), and an
// index just written is wholly in the page cache. Bulk work (a force
// merge, a reconciliation's walk of every document) leaves such pages
// behind that no search reads again (issue 16 item 7: 78 MB of the portal
// index resident after the 100k load and five searches).
//
// Releasing a range (madvise MADV_DONTNEED) drops it from the process's
// page tables only: the file's pages stay in the page cache, and the next
// read of one maps it again (a minor fault, no disk read). The contents
// cannot change: the files are immutable and mapped read-only.

// fileSegment is a segment read from its file on disk (zapx's Segment:
// opened through a read-only shared map of the file). Both methods are
// required: MADV_DONTNEED on memory that is not a file's map would zero
// it, so a segment held in memory (an unpersisted batch's SegmentBase,
// which has no path) must never match, even if a later zapx gave it a
// Data method.
type fileSegment interface {
	Data() []byte
	Path() string
}

// mappedRanges returns the mapped file of every segment of snap that is on
// disk (in-memory segments of unpersisted batches have none). The ranges
// are valid while snap is open: it holds a reference on each segment,
// whose mapping goes only when the last one is dropped.
func mappedRanges(snap *scorch.IndexSnapshot) [][]byte {
	var out [][]byte
	for _, ss := range snap.Segments() {
		if seg, ok := ss.Segment().(fileSegment); ok && seg.Path() != "" {
			if b := seg.Data(); len(b) > 0 {
				out = append(out, b)
			}
		}
	}
	return out
}

// residency is which pages of a snapshot's mapped segments were present
// in the process's page tables, by the address of the mapping's start;
// nil when the kernel does not say (see presentPages).
type residency map[*byte][]bool

// residentPages reads the residency of the given ranges.
func residentPages(ranges [][]byte) residency {
	r := residency{}
	for _, b := range ranges {
		p, err := presentPages(b)
		if err != nil {
			return nil
		}
		r[&b[0]] = p
	}
	return r
}

// releaseRanges drops the given ranges' pages from the process's page
// tables, or, when before is not nil, only those present now that were
// not present in before (a range absent from before is released whole):
// what the work between the two readings touched. It returns the bytes
// released, as far as the kernel says which pages were present (0 where
// it does not), and the first error of a release.
func releaseRanges(ranges [][]byte, before residency) (int64, error) {
	var released int64
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	for _, b := range ranges {
		now, err := presentPages(b)
		if err != nil {
			if before == nil {
				if err := dropPages(b); err != nil {
					keep(err)
				}
			}
			continue
		}
		was := before[&b[0]]
		page := pageSize()
		for i := 0; i < len(now); {
			if !now[i] || (i < len(was) && was[i]) {
				i++
				continue
			}
			j := i
			for j < len(now) && now[j] && !(j < len(was) && was[j]) {
				j++
			}
			end := min(j*page, len(b))
			if err := dropPages(b[i*page : end]); err != nil {
				keep(err)
			} else {
				released += int64(end - i*page)
			}
			i = j
		}
	}
	return released, first
}

// ReleaseMapped drops every page of the index's segment files from the
// process's page tables (they stay in the page cache; the next search
// that reads one maps it again) and returns the bytes released, as far as
// the kernel says (0 where it does not say which pages were present). A
// no-op where the system has no such release.
func (ix *Index) ReleaseMapped() (int64, error) {
	var released int64
	var rerr error
	err := ix.withSnapshot(func(snap *scorch.IndexSnapshot) {
		released, rerr = releaseRanges(mappedRanges(snap), nil)
	})
	if err == nil {
		err = rerr
	}
	return released, err
}

// MappedResident is the bytes of the index's segment files present in the
// process's page tables (what they add to its RSS), or an error where the
// kernel does not say.
func (ix *Index) MappedResident() (int64, error) {
	var n int64
	var perr error
	err := ix.withSnapshot(func(snap *scorch.IndexSnapshot) {
		for _, b := range mappedRanges(snap) {
			p, err := presentPages(b)
			if err != nil {
				perr = err
				return
			}
			for i, present := range p {
				if present {
					n += int64(min(pageSize(), len(b)-i*pageSize()))
				}
			}
		}
	})
	if err == nil {
		err = perr
	}
	return n, err
}

// withSnapshot calls fn with the index's current snapshot, open (its
// segments mapped) until fn returns.
func (ix *Index) withSnapshot(fn func(*scorch.IndexSnapshot)) error {
	if ix.isClosed() {
		return ErrClosed
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil {
		return ErrClosed // a scorch index closed meanwhile hands out a nil snapshot
	}
	defer r.Close()
	fn(snap)
	return nil
}
