package delivery

import (
	"context"
	"encoding/json"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/store"
)

// The portal's lists are answered from a memory view of the items index:
// every indexed item's list fields, kept in the four orders a list may
// ask for. Bleve answered them before, at ~2.5 ms of CPU a list (it reads
// the sort field of every match and decompresses the stored fields of
// each hit), so that a list the cache had not seen served ~775 req/s on
// 100,000 items; walking a sorted slice costs microseconds. The view is
// loaded from the store on start as project makes each item's index
// document, then mirrored batch by batch as the feed consumer applies
// them; with it it keeps the detail's look-ups (lookup.go: by path,
// reverse links), so that the Bleve index holds no field of its own and
// serves as the consumer's checkpoint (issue 16 item 7).
//
// A view is immutable once published: readers load it without a lock,
// and each batch builds the next one (O(n) merges, milliseconds at
// 100,000 items: publications are rare next to reads).

// entry is one indexed item as the lists filter, sort and show it,
// packed (issue 16 item 7: ~90 MB of live heap at 100,000 items before,
// docs/benchmarks.md "viewslim"): its own strings (id, path, title,
// summary, cover, document number) are one string, the values entries
// share are 4-byte symbols, its times are UnixNano, and its
// shown summary is made when a list shows it (summary), not kept.
type entry struct {
	text string // the parts partID… one after another
	ends [textParts]uint32
	// Values many entries share, as symbols.
	typ, channel, department, visibility, status, validity, genre, leader symbol
	channels                                                              symbol // list: the channel and every channel above it
	issuers                                                               symbol // list: the policy's issuers
	published                                                             int64  // UnixNano (stampOf)
	updated                                                               int64  // UnixNano
	cell                                                                  uint32 // the entry's place in its views' cells (set by update)
	listing                                                               uint8  // listingBit of the fListing term
	flags                                                                 uint8  // has*, *Zero
	// encoded is the shown summary's JSON, kept once a list's first
	// positions show the entry (entries are immutable, so it never goes
	// stale).
	encoded atomic.Pointer[[]byte]
}

// entry.flags: which times the index document had, which are the zero
// time, and whether a policy is shown.
const (
	hasPublished uint8 = 1 << iota
	hasUpdated
	publishedZero
	updatedZero
	hasPolicy
)

// keptDepth is how deep in a list (by position, from the first page)
// an entry's JSON is kept on it. Readers ask for the first pages again
// after every publication, which empties the response caches; a crawler
// walking every page of every list would otherwise leave ~1 KB on each
// entry of the view for good (+97 MB of live heap at 100k items,
// docs/benchmarks.md "Heap"). Deeper entries are encoded for their page.
const keptDepth = 100

// json is the entry's shown summary as JSON; keep stores it on the entry
// for the next list.
func (e *entry) json(keep bool) []byte {
	if b := e.encoded.Load(); b != nil {
		return *b
	}
	p := shownPool.Get().(*shownParts)
	b, err := json.Marshal(e.shown(p))
	if err != nil { // a Summary of strings and times always encodes
		panic(err)
	}
	*p = shownParts{} // hold no entry's strings in the pool
	shownPool.Put(p)
	if keep {
		e.encoded.Store(&b)
	}
	return b
}

// listOrder is one of the sorts a list may ask for: entries in that
// order, ties broken by id (as the index broke them).
type listOrder struct {
	param string // ?sort= value
	less  func(a, b *entry) bool
	key   func(e *entry) string // the cursor's value
	probe func(key, id string) (*entry, bool)
}

// byTime is an order by one of the entry's times (at: its UnixNano and
// the flag saying it is the zero time).
func byTime(at func(*entry) (int64, uint8), zeroBit uint8, desc bool) listOrder {
	var o listOrder
	o.less = func(a, b *entry) bool {
		na, fa := at(a)
		nb, fb := at(b)
		if c := compareStamps(na, fa&zeroBit != 0, nb, fb&zeroBit != 0); c != 0 {
			return (c > 0) == desc
		}
		return a.id() < b.id()
	}
	o.key = func(e *entry) string { n, _ := at(e); return strconv.FormatInt(n, 10) }
	o.probe = func(k, id string) (*entry, bool) {
		n, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, false
		}
		// A time read back from a cursor is never the zero time (as
		// time.Unix(0, n) never was).
		e := probeEntry(id, "")
		e.published, e.updated = n, n
		return e, true
	}
	return o
}

// probeEntry is an entry with an id and a title only: where a cursor
// continues (and, in tests, an entry of a list).
func probeEntry(id, title string) *entry {
	e := &entry{}
	e.text, e.ends = packText(id, "", title, "", "", "")
	return e
}

// listOrders are the sorts of ?sort=, the first the default.
var listOrders = func() []listOrder {
	pub := func(e *entry) (int64, uint8) { return e.published, e.flags }
	upd := func(e *entry) (int64, uint8) { return e.updated, e.flags }
	newest, oldest, updated := byTime(pub, publishedZero, true), byTime(pub, publishedZero, false), byTime(upd, updatedZero, true)
	newest.param, oldest.param, updated.param = "-publishedAt", "publishedAt", "-updatedAt"
	title := listOrder{param: "title",
		less: func(a, b *entry) bool {
			if ta, tb := a.title(), b.title(); ta != tb {
				return ta < tb
			}
			return a.id() < b.id()
		},
		key:   func(e *entry) string { return e.title() },
		probe: func(k, id string) (*entry, bool) { return probeEntry(id, k), true },
	}
	return []listOrder{newest, oldest, title, updated}
}()

func orderOf(param string) (int, bool) {
	for i, o := range listOrders {
		if o.param == param {
			return i, true
		}
	}
	return 0, false
}

// view is one published state of the lists: the entries in each order
// of listOrders, all of them and those under each channel (its own items
// and its descendants'), so that a channel's list walks that channel
// only. An order holds 4-byte slots, the places of its entries in cells:
// an item is in four orders, once overall and once per channel of its
// ancestry (a 24-byte pointer and inline fields each before: ~25 MB at
// 100,000 items, docs/benchmarks.md "viewslim").
type view struct {
	cells     []cell
	orders    [][]uint32
	byChannel []map[string][]uint32
}

// cell is an entry with what every list filters on inline, so that a walk
// follows the entry's pointer only for the rarer filters and the hits.
// An entry keeps its cell while it is in the view (entry.cell); a cell
// an entry left is nil until a later batch gives it to another.
type cell struct {
	e         *entry
	published int64 // e.published
	listing   uint8 // e.listing
}

// candidates are the entries a list with filter f walks, in the order's
// order, and the filter left to check on each: a channel's entries, and
// of a publication-date order only the span of the date range (found by
// binary search).
func (v *view) candidates(f *listFilter, order int) ([]uint32, *listFilter) {
	es := v.orders[order]
	rest := *f
	if f.channel != "" {
		es = v.byChannel[order][f.channel]
		rest.channel = ""
	}
	rest.lo, rest.hi = math.MinInt64, math.MaxInt64
	if !f.from.IsZero() {
		rest.lo = f.from.UnixNano()
	}
	if !f.to.IsZero() {
		rest.hi = f.to.UnixNano()
	}
	rest.perEntry = rest.typ != "" || rest.genre != "" || rest.issuer != "" || rest.department != "" || rest.validity != ""
	param := listOrders[order].param
	if (f.from.IsZero() && f.to.IsZero()) || !strings.HasSuffix(param, "publishedAt") {
		return es, &rest
	}
	// boundary(t) is where the entries on the far side of t begin: those
	// published before t in a newest-first order, at or after t in an
	// oldest-first one.
	desc := param[0] == '-'
	boundary := func(t time.Time) int {
		n := t.UnixNano()
		return sort.Search(len(es), func(i int) bool { return (v.cells[es[i]].published < n) == desc })
	}
	lo, hi := 0, len(es)
	from, to := f.from, f.to
	if desc {
		from, to = to, from // newest first: "to" bounds the start
	}
	if !from.IsZero() {
		lo = boundary(from)
	}
	if !to.IsZero() {
		hi = boundary(to)
	}
	return es[lo:max(lo, hi)], &rest
}

// listView is the current view and what builds the next one.
type listView struct {
	cur atomic.Pointer[view]

	mu   sync.Mutex        // serialises writers
	byID map[string]*entry // the entries of cur, by id (writers only)
	free []uint32          // cur's cells no entry holds (writers only)
	look *lookups          // path and reverse-link look-ups of cur's entries
}

func newListView() *listView {
	lv := &listView{byID: map[string]*entry{}, look: newLookups()}
	lv.cur.Store(&view{orders: make([][]uint32, len(listOrders)), byChannel: make([]map[string][]uint32, len(listOrders))})
	return lv
}

// load fills the view from the store's portal items, as project makes
// their index documents (on start, before the consumer runs). The view
// may so start ahead of the index, never behind it; the feed's batches
// then bring the same documents again. (Reading the index's stored
// fields instead took ~30 s for 100,000 items: Bleve pages by id with a
// sort over every document and decompresses each one's stored fields.)
func (lv *listView) load(ctx context.Context, st store.Store, doc func(store.Doc) (map[string]any, bool)) error {
	// Decoding the items' JSON is most of the cost: pages are decoded
	// in parallel while the next one is read.
	type result struct {
		entries []*entry
		links   map[string][]string
	}
	pages := make(chan []store.Doc, runtime.GOMAXPROCS(0))
	results := make(chan result, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for docs := range pages {
				out := result{entries: make([]*entry, 0, len(docs)), links: map[string][]string{}}
				for _, d := range docs {
					if f, ok := doc(d); ok {
						out.entries = append(out.entries, entryOf(d.ID, f))
						setLinks(out.links, d.ID, f)
					}
				}
				results <- out
			}
		})
	}
	var upserts []*entry
	links := map[string][]string{}
	collected := make(chan struct{})
	go func() {
		for r := range results {
			upserts = append(upserts, r.entries...)
			maps.Copy(links, r.links)
		}
		close(collected)
	}()
	var scanErr error
	after := ""
	for {
		docs, err := st.Scan(ctx, item.Collection, after, 1000)
		if err != nil {
			scanErr = err
			break
		}
		pages <- docs
		if len(docs) < 1000 {
			break
		}
		after = docs[len(docs)-1].ID
	}
	close(pages)
	wg.Wait()
	close(results)
	<-collected
	if scanErr != nil {
		return scanErr
	}
	lv.update(upserts, links, nil)
	return nil
}

// mirror applies an index batch to the view (feed.Consumer.Mirror).
// It reports whether the batch changed anything.
func (lv *listView) mirror(b index.Batch) bool {
	if len(b.Upserts) == 0 && len(b.Deletes) == 0 {
		return false
	}
	upserts := make([]*entry, 0, len(b.Upserts))
	links := map[string][]string{}
	for _, u := range b.Upserts {
		if doc, ok := u.Doc.(map[string]any); ok {
			upserts = append(upserts, entryOf(u.ID, doc))
			setLinks(links, u.ID, doc)
		}
	}
	lv.update(upserts, links, b.Deletes)
	return true
}

// setLinks records the link terms of an item's index document (the last
// document of an id wins, as its entry does).
func setLinks(links map[string][]string, id string, f map[string]any) {
	if terms := strings2(f[fLinks]); len(terms) > 0 {
		links[id] = terms
	} else {
		delete(links, id)
	}
}

// update publishes the view with upserts and deletes applied: each order
// keeps its entries but the replaced and deleted ones, merged with the
// new ones sorted. links are the link terms of the upserts that have
// any, by id (lookups).
func (lv *listView) update(upserts []*entry, links map[string][]string, deletes []string) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	gone := map[*entry]bool{}
	for _, id := range deletes {
		if old, ok := lv.byID[id]; ok {
			gone[old] = true
			delete(lv.byID, id)
		}
	}
	// The last upsert of an id wins, as in an index batch.
	latest := make(map[string]*entry, len(upserts))
	for _, e := range upserts {
		latest[e.id()] = e
	}
	added := make([]*entry, 0, len(latest))
	for id, e := range latest {
		if old, ok := lv.byID[id]; ok {
			gone[old] = true
		}
		lv.byID[id] = e
		added = append(added, e)
	}
	// The channels whose lists change: those of every entry that leaves
	// or comes.
	touched := map[string]bool{}
	for e := range gone {
		for _, ch := range e.channels.list() {
			touched[ch] = true
		}
	}
	for _, e := range added {
		for _, ch := range e.channels.list() {
			touched[ch] = true
		}
	}
	old := lv.cur.Load()
	next := &view{cells: lv.nextCells(old.cells, gone, added),
		orders: make([][]uint32, len(listOrders)), byChannel: make([]map[string][]uint32, len(listOrders))}
	for i, o := range listOrders {
		slices.SortFunc(added, func(a, b *entry) int {
			if o.less(a, b) {
				return -1
			}
			if o.less(b, a) {
				return 1
			}
			return 0
		})
		sorted := make([]uint32, len(added))
		for j, e := range added {
			sorted[j] = e.cell
		}
		next.orders[i] = next.merge(old.orders[i], len(gone), sorted, o.less)
		chans := make(map[string][]uint32, len(old.byChannel[i])+len(touched))
		for ch, es := range old.byChannel[i] {
			if !touched[ch] {
				chans[ch] = es
			}
		}
		for ch := range touched {
			var in []uint32
			for _, c := range sorted {
				if slices.Contains(next.cells[c].e.channels.list(), ch) {
					in = append(in, c)
				}
			}
			if es := next.merge(old.byChannel[i][ch], len(gone), in, o.less); len(es) > 0 {
				chans[ch] = es
			}
		}
		next.byChannel[i] = chans
	}
	// The look-ups change with the view (a reader may see them a moment
	// before it: they answer details, never lists).
	lv.look.apply(gone, added, links)
	lv.cur.Store(next)
}

// nextCells is the next view's cells: old's (a copy: readers of old keep
// theirs) with the gone entries' emptied and the added ones placed, in
// cells earlier batches freed or at the end. The added entries are
// placed newest first, so that the default order (and the count, which
// walks it) reads the cells nearly in memory order after a load.
//
// A cell freed here is given out by a later batch only: every list that
// held a gone entry is rebuilt by this one (its channels are touched),
// so no list the next view shares with old names a cell that changed.
func (lv *listView) nextCells(old []cell, gone map[*entry]bool, added []*entry) []cell {
	slices.SortFunc(added, func(a, b *entry) int {
		if listOrders[0].less(a, b) {
			return -1
		}
		if listOrders[0].less(b, a) {
			return 1
		}
		return 0
	})
	reuse := min(len(lv.free), len(added))
	cells := make([]cell, len(old), len(old)+len(added)-reuse)
	copy(cells, old)
	for i, e := range added {
		if i < reuse {
			e.cell = lv.free[len(lv.free)-1-i]
			cells[e.cell] = cell{e: e, published: e.published, listing: e.listing}
			continue
		}
		e.cell = uint32(len(cells))
		cells = append(cells, cell{e: e, published: e.published, listing: e.listing})
	}
	lv.free = lv.free[:len(lv.free)-reuse]
	for e := range gone {
		cells[e.cell] = cell{}
		lv.free = append(lv.free, e.cell)
	}
	return cells
}

// merge returns old without the cells whose entries are gone (emptied in
// v's cells), with added (sorted by less) merged in. gone is how many
// entries the batch removes, from any channel, so it may be larger than
// old's share: it only bounds the result from below.
func (v *view) merge(old []uint32, gone int, added []uint32, less func(a, b *entry) bool) []uint32 {
	out := make([]uint32, 0, max(len(old)-gone, 0)+len(added))
	j := 0
	for _, c := range old {
		e := v.cells[c].e
		if e == nil {
			continue
		}
		for j < len(added) && less(v.cells[added[j]].e, e) {
			out = append(out, added[j])
			j++
		}
		out = append(out, c)
	}
	return append(out, added[j:]...)
}

// listFilter is a list's filters; the zero value of each is "any".
type listFilter struct {
	listing    uint8 // listingBits of the terms a list shows
	channel    string
	typ        string
	genre      string
	issuer     string
	department string
	validity   string
	from, to   time.Time // from ≤ publishedAt < to (a year is such a range)
	// Set by candidates for the walk: the range in UnixNano, and whether
	// any filter reads the entry beyond its cell.
	lo, hi   int64
	perEntry bool
}

func (f *listFilter) match(v *view, c uint32) bool {
	s := &v.cells[c]
	if f.listing&s.listing == 0 || s.published < f.lo || s.published >= f.hi {
		return false
	}
	if !f.perEntry {
		return true
	}
	e := s.e
	if (f.channel != "" && !slices.Contains(e.channels.list(), f.channel)) ||
		(f.typ != "" && e.typ.str() != f.typ) ||
		(f.department != "" && e.department.str() != f.department) {
		return false
	}
	// The policy's parts are empty when it is not shown.
	return (f.genre == "" || e.genre.str() == f.genre) && (f.issuer == "" || slices.Contains(e.issuers.list(), f.issuer)) &&
		(f.validity == "" || e.validity.str() == f.validity)
}

// page is one page of a list from the view: the entries, whether a next
// page exists, and the cursor after the last.
type viewPage struct {
	entries []*entry
	next    string
}

// page walks the order from the start (or just after the cursor's
// entry), skipping offset matches, and takes size of them; one more
// tells whether there is a next page.
func (v *view) page(f *listFilter, order int, after *entry, offset, size int) viewPage {
	o := listOrders[order]
	es, f := v.candidates(f, order)
	start := 0
	if after != nil {
		// The first entry strictly after the cursor's (which may have
		// changed or gone since).
		lo, hi := 0, len(es)
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if o.less(after, v.cells[es[mid]].e) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		start = lo
	}
	var p viewPage
	p.entries = make([]*entry, 0, size)
	for _, c := range es[start:] {
		if !f.match(v, c) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(p.entries) == size {
			last := p.entries[size-1]
			p.next = encodeListCursor(o.param, o.key(last), last.id())
			break
		}
		p.entries = append(p.entries, v.cells[c].e)
	}
	return p
}

// count is the number of entries matching f.
func (v *view) count(f *listFilter) uint64 {
	var n uint64
	es, f := v.candidates(f, 0)
	for _, c := range es {
		if f.match(v, c) {
			n++
		}
	}
	return n
}
