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

// entry is one indexed item as the lists filter, sort and show it.
//
// What a list filters on beyond the slot is read from shown (the type,
// department and title) and its policy (genre, validity, issuers), not
// kept twice: the view holds one entry per item, ~100 bytes a copy
// (issue 16 item 7, docs/benchmarks.md "Heap").
type entry struct {
	id        string
	listing   uint8    // listingBit of the fListing term
	channels  []string // the channel and every channel above it
	published time.Time
	updated   time.Time
	// shown is every field a list may show; a list copies the ones it
	// selects (field.copy).
	shown Summary
	// encoded is shown's JSON, kept once a list's first positions show
	// the entry (entries are immutable, so it never goes stale).
	encoded atomic.Pointer[[]byte]
}

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
	b, err := json.Marshal(&e.shown)
	if err != nil { // a Summary of strings and times always encodes
		panic(err)
	}
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

func byTime(get func(*entry) time.Time, set func(*entry, time.Time), desc bool) (func(a, b *entry) bool, func(*entry) string, func(string, string) (*entry, bool)) {
	less := func(a, b *entry) bool {
		ta, tb := get(a), get(b)
		if !ta.Equal(tb) {
			return ta.After(tb) == desc
		}
		return a.id < b.id
	}
	key := func(e *entry) string { return strconv.FormatInt(get(e).UnixNano(), 10) }
	probe := func(k, id string) (*entry, bool) {
		n, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, false
		}
		e := &entry{id: id}
		set(e, time.Unix(0, n).UTC())
		return e, true
	}
	return less, key, probe
}

func newOrder(param string, less func(a, b *entry) bool, key func(*entry) string, probe func(string, string) (*entry, bool)) listOrder {
	return listOrder{param: param, less: less, key: key, probe: probe}
}

// listOrders are the sorts of ?sort=, the first the default.
var listOrders = func() []listOrder {
	pub := func(e *entry) time.Time { return e.published }
	setPub := func(e *entry, t time.Time) { e.published = t }
	upd := func(e *entry) time.Time { return e.updated }
	setUpd := func(e *entry, t time.Time) { e.updated = t }
	newestLess, newestKey, newestProbe := byTime(pub, setPub, true)
	oldestLess, oldestKey, oldestProbe := byTime(pub, setPub, false)
	updLess, updKey, updProbe := byTime(upd, setUpd, true)
	return []listOrder{
		newOrder("-publishedAt", newestLess, newestKey, newestProbe),
		newOrder("publishedAt", oldestLess, oldestKey, oldestProbe),
		newOrder("title", func(a, b *entry) bool {
			if a.shown.Title != b.shown.Title {
				return a.shown.Title < b.shown.Title
			}
			return a.id < b.id
		}, func(e *entry) string { return e.shown.Title }, func(k, id string) (*entry, bool) { return &entry{id: id, shown: Summary{Title: k}}, true }),
		newOrder("-updatedAt", updLess, updKey, updProbe),
	}
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
// only.
type view struct {
	orders    [][]slot
	byChannel []map[string][]slot
}

// slot is an entry in an order, with what every list filters on inline:
// a walk reads contiguous memory, and follows the pointer only for the
// rarer filters and the hits.
type slot struct {
	e         *entry
	published int64 // e.published, UnixNano
	listing   uint8 // e.listing
}

func slotsOf(es []*entry) []slot {
	out := make([]slot, len(es))
	for i, e := range es {
		out[i] = slot{e: e, published: e.published.UnixNano(), listing: e.listing}
	}
	return out
}

// candidates are the entries a list with filter f walks, in the order's
// order, and the filter left to check on each: a channel's entries, and
// of a publication-date order only the span of the date range (found by
// binary search).
func (v *view) candidates(f *listFilter, order int) ([]slot, *listFilter) {
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
		return sort.Search(len(es), func(i int) bool { return (es[i].published < n) == desc })
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
	look *lookups          // path and reverse-link look-ups of cur's entries
}

func newListView() *listView {
	lv := &listView{byID: map[string]*entry{}, look: newLookups()}
	lv.cur.Store(&view{orders: make([][]slot, len(listOrders)), byChannel: make([]map[string][]slot, len(listOrders))})
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
		latest[e.id] = e
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
		for _, ch := range e.channels {
			touched[ch] = true
		}
	}
	for _, e := range added {
		for _, ch := range e.channels {
			touched[ch] = true
		}
	}
	old := lv.cur.Load()
	next := &view{orders: make([][]slot, len(listOrders)), byChannel: make([]map[string][]slot, len(listOrders))}
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
		sorted := slotsOf(added)
		next.orders[i] = merge(old.orders[i], gone, sorted, o.less)
		chans := make(map[string][]slot, len(old.byChannel[i])+len(touched))
		for ch, es := range old.byChannel[i] {
			if !touched[ch] {
				chans[ch] = es
			}
		}
		for ch := range touched {
			var in []slot
			for _, sl := range sorted {
				if slices.Contains(sl.e.channels, ch) {
					in = append(in, sl)
				}
			}
			if es := merge(old.byChannel[i][ch], gone, in, o.less); len(es) > 0 {
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

// merge returns old without the gone entries, with added (sorted by less)
// merged in. gone holds every entry the batch removes, from any channel, so
// it may be larger than old: it only bounds the result from below.
func merge(old []slot, gone map[*entry]bool, added []slot, less func(a, b *entry) bool) []slot {
	out := make([]slot, 0, max(len(old)-len(gone), 0)+len(added))
	j := 0
	for _, s := range old {
		if len(gone) > 0 && gone[s.e] {
			continue
		}
		for j < len(added) && less(added[j].e, s.e) {
			out = append(out, added[j])
			j++
		}
		out = append(out, s)
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
	// any filter reads the entry beyond its slot.
	lo, hi   int64
	perEntry bool
}

func (f *listFilter) match(s slot) bool {
	if f.listing&s.listing == 0 || s.published < f.lo || s.published >= f.hi {
		return false
	}
	if !f.perEntry {
		return true
	}
	e := s.e
	if (f.channel != "" && !slices.Contains(e.channels, f.channel)) ||
		(f.typ != "" && e.shown.Type != f.typ) ||
		(f.department != "" && e.shown.Department != f.department) {
		return false
	}
	if f.genre == "" && f.issuer == "" && f.validity == "" {
		return true
	}
	p := e.shown.Policy
	if p == nil { // no policy field set: each is empty
		p = &SummaryPolicy{}
	}
	return (f.genre == "" || p.Genre == f.genre) && (f.issuer == "" || slices.Contains(p.Issuers, f.issuer)) &&
		(f.validity == "" || p.Validity == f.validity)
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
			if o.less(after, es[mid].e) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		start = lo
	}
	var p viewPage
	p.entries = make([]*entry, 0, size)
	for _, s := range es[start:] {
		if !f.match(s) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(p.entries) == size {
			last := p.entries[size-1]
			p.next = encodeListCursor(o.param, o.key(last), last.id)
			break
		}
		p.entries = append(p.entries, s.e)
	}
	return p
}

// count is the number of entries matching f.
func (v *view) count(f *listFilter) uint64 {
	var n uint64
	es, f := v.candidates(f, 0)
	for _, s := range es {
		if f.match(s) {
			n++
		}
	}
	return n
}
