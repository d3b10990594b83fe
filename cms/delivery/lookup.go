package delivery

import (
	"slices"
	"strings"
	"sync"
)

// lookups answer what a detail page asks beyond the item itself: which
// item a path names (every status, so that a redirected or gone item
// resolves) and which items link to an item (reverse links). The list
// view's batches keep them, as they keep the lists; the Bleve list index
// answered both before and held, for them and for the view's tests, ~0.9
// KB an item (91 MB on disk and 56 MB of mapped pages at 100,000 items:
// issue 16 item 7, docs/benchmarks.md "listslim"). Here they cost a map
// entry an item (the path: ~30 bytes) and one per link.
//
// Writers change them under the view's writer lock, readers take the read
// lock: a batch changes a handful of entries, never for long.
type lookups struct {
	mu     sync.RWMutex
	byPath map[string]*entry
	// samePath holds, for a path more than one item has (paths end with
	// the item's id, so it stays empty in practice), the items byPath does
	// not answer: the smallest id answers, as the index's id order did.
	samePath map[string][]*entry
	// linkedFrom holds, by linked id, the entries that link to it and how.
	linkedFrom map[string][]link
	// linksOf is what each linking entry links to (writers only), so that
	// its old links can be taken back when it changes or goes.
	linksOf map[string][]string
}

// link is one typed link to an item: rel is relAmends, relRepeals or
// relInterprets.
type link struct {
	rel  string
	from *entry
}

func newLookups() *lookups {
	return &lookups{byPath: map[string]*entry{}, samePath: map[string][]*entry{},
		linkedFrom: map[string][]link{}, linksOf: map[string][]string{}}
}

// apply takes the gone entries out and puts the added ones in; links are
// the link terms ("rel:id", the fLinks field) of the added entries that
// have any, by id.
func (l *lookups) apply(gone map[*entry]bool, added []*entry, links map[string][]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for e := range gone {
		l.removePath(e)
		for _, term := range l.linksOf[e.id()] {
			rel, to, _ := strings.Cut(term, ":")
			l.linkedFrom[to] = slices.DeleteFunc(l.linkedFrom[to], func(k link) bool { return k.from == e && k.rel == rel })
			if len(l.linkedFrom[to]) == 0 {
				delete(l.linkedFrom, to)
			}
		}
		delete(l.linksOf, e.id())
	}
	for _, e := range added {
		l.addPath(e)
		terms := links[e.id()]
		if len(terms) == 0 {
			continue
		}
		l.linksOf[e.id()] = terms
		for _, term := range terms {
			rel, to, ok := strings.Cut(term, ":")
			if ok {
				l.linkedFrom[to] = append(l.linkedFrom[to], link{rel: rel, from: e})
			}
		}
	}
}

func (l *lookups) addPath(e *entry) {
	p := e.path()
	if p == "" {
		return // the index had no term for an empty path either
	}
	cur, ok := l.byPath[p]
	if !ok {
		l.byPath[p] = e
		return
	}
	if e.id() < cur.id() {
		l.byPath[p] = e
		e = cur
	}
	l.samePath[p] = append(l.samePath[p], e)
}

func (l *lookups) removePath(e *entry) {
	p := e.path()
	if p == "" {
		return
	}
	if l.byPath[p] != e {
		l.samePath[p] = slices.DeleteFunc(l.samePath[p], func(o *entry) bool { return o == e })
		if len(l.samePath[p]) == 0 {
			delete(l.samePath, p)
		}
		return
	}
	others := l.samePath[p]
	if len(others) == 0 {
		delete(l.byPath, p)
		return
	}
	i := 0
	for j, o := range others {
		if o.id() < others[i].id() {
			i = j
		}
	}
	l.byPath[p] = others[i]
	if others = slices.Delete(others, i, i+1); len(others) == 0 {
		delete(l.samePath, p)
	} else {
		l.samePath[p] = others
	}
}

// path is the id of the item at path, if any.
func (l *lookups) path(p string) (string, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, ok := l.byPath[p]
	if !ok {
		return "", false
	}
	return e.id(), true
}

// linkingTo are the entries that link to id, newest first (ties by id),
// at most limit of them (the index's page of reverse-link hits), each
// with the relations it links by, in its link order.
func (l *lookups) linkingTo(id string, limit int) []linking {
	l.mu.RLock()
	var out []linking
	for _, k := range l.linkedFrom[id] {
		i := slices.IndexFunc(out, func(o linking) bool { return o.e == k.from })
		if i < 0 {
			out = append(out, linking{e: k.from})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].rels, k.rel) {
			out[i].rels = append(out[i].rels, k.rel)
		}
	}
	l.mu.RUnlock()
	slices.SortFunc(out, func(a, b linking) int {
		if c := compareStamps(b.e.published, b.e.flags&publishedZero != 0, a.e.published, a.e.flags&publishedZero != 0); c != 0 {
			return c
		}
		return strings.Compare(a.e.id(), b.e.id())
	})
	return out[:min(len(out), limit)]
}

// linking is an entry that links to an item, and how.
type linking struct {
	e    *entry
	rels []string
}
