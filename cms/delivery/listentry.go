package delivery

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"
	"unique"
)

// entryOf reads an item's list entry from its index document (the map
// indexDoc makes), so that the lists show what the index holds.
func entryOf(id string, f map[string]any) *entry {
	e := &entry{
		id:         id,
		listing:    listingBit(str(f, fListing)),
		channels:   sharedList(f[fChannels]),
		typ:        sharedHandle(f, fType),
		channel:    sharedHandle(f, fChannel),
		department: sharedHandle(f, fDepartment),
		visibility: sharedHandle(f, fVisibility),
		status:     sharedHandle(f, fStatus),
		validity:   sharedHandle(f, fValidity),
		genre:      sharedHandle(f, fGenre),
		leader:     sharedHandle(f, fLeader),
		issuers:    sharedList(f[fIssuers]),
	}
	e.text, e.ends = packText(id, str(f, fPath), str(f, fTitleSort), str(f, fSummary), str(f, fCover), str(f, fDocNumber))
	e.id = e.text[:len(id)]
	if _, ok := f[fPublishedAt]; ok {
		e.flags |= hasPublished
	}
	if _, ok := f[fUpdatedAt]; ok {
		e.flags |= hasUpdated
	}
	e.published, e.flags = stampOf(timeOf(f[fPublishedAt]), e.flags, publishedZero)
	e.updated, e.flags = stampOf(timeOf(f[fUpdatedAt]), e.flags, updatedZero)
	// A policy is shown once any part of it is not empty (as
	// SummaryPolicy.shown says of the summary entries held before).
	if e.part(partDocNumber) != "" || e.validity.Value() != "" || e.genre.Value() != "" || e.issuers != nil {
		e.flags |= hasPolicy
	}
	return e
}

// The parts of an entry's text after its id, in order.
const (
	partPath = iota
	partTitle
	partSummary
	partCover
	partDocNumber
	textParts
)

// packText joins an entry's own strings into one (one allocation, no
// string header each) and returns where each part after the id ends.
func packText(id string, parts ...string) (string, [textParts]uint32) {
	var ends [textParts]uint32
	n := len(id)
	for _, p := range parts {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(id)
	for i, p := range parts {
		b.WriteString(p)
		ends[i] = uint32(b.Len())
	}
	return b.String(), ends
}

// part is one of the entry's own strings (partPath…).
func (e *entry) part(i int) string {
	start := uint32(len(e.id))
	if i > 0 {
		start = e.ends[i-1]
	}
	return e.text[start:e.ends[i]]
}

// title is the entry's title (the title order's key).
func (e *entry) title() string { return e.part(partTitle) }

// path is the entry's path (the look-ups' key).
func (e *entry) path() string { return e.part(partPath) }

// stampOf is a time as the view keeps it: its UnixNano (what the slots,
// the range filters and the cursors have always used) and, in flags,
// whether it is the zero time (which UnixNano cannot say, and which
// sorts before every other).
func stampOf(t time.Time, flags, zeroBit uint8) (int64, uint8) {
	if t.IsZero() {
		flags |= zeroBit
	}
	return t.UnixNano(), flags
}

// timeAt is a kept time back as the time it was read from (UTC).
func timeAt(nanos int64, zero bool) time.Time {
	if zero {
		return time.Time{}
	}
	return time.Unix(0, nanos).UTC()
}

// compareStamps orders two kept times as time.Compare orders the times.
func compareStamps(a int64, aZero bool, b int64, bZero bool) int {
	if aZero != bZero {
		if aZero {
			return -1
		}
		return 1
	}
	if aZero {
		return 0
	}
	return cmp.Compare(a, b)
}

// summary is the entry's shown summary: every field a list may show (a
// list copies the ones it selects: field.copy).
func (e *entry) summary() Summary {
	s := Summary{ID: e.id, Type: e.typ.Value(), Channel: e.channel.Value(), Department: e.department.Value(),
		Path: e.part(partPath), Visibility: e.visibility.Value(), Status: e.status.Value(), Title: e.part(partTitle),
		Summary: e.part(partSummary), Cover: e.part(partCover)}
	if e.flags&hasPublished != 0 {
		t := timeAt(e.published, e.flags&publishedZero != 0)
		s.PublishedAt = &t
	}
	if e.flags&hasUpdated != 0 {
		t := timeAt(e.updated, e.flags&updatedZero != 0)
		s.UpdatedAt = &t
	}
	if e.flags&hasPolicy != 0 {
		s.Policy = &SummaryPolicy{DocNumber: e.part(partDocNumber), Validity: e.validity.Value(),
			Genre: e.genre.Value(), Issuers: e.issuers}
	}
	if n := e.leader.Value(); n != "" {
		s.Leader = &SummaryLeader{Name: n}
	}
	return s
}

// sharedHandle is a string field that many entries hold alike (a type, a
// channel, a department, a leader's name), as the handle of one
// canonical copy: 8 bytes an entry instead of a string header and, for
// each entry decoded from its own JSON, its own copy (issue 16 item 7:
// the view is the largest part of the Go heap at 100k items).
func sharedHandle(f map[string]any, name string) unique.Handle[string] {
	return unique.Make(str(f, name))
}

// sharedLists are the canonical copies of the lists entries share (a
// channel's ancestry, a set of issuers); they are never changed once made.
var sharedLists sync.Map // the list joined by NUL → []string

// sharedList is a list field as a canonical, shared slice.
func sharedList(v any) []string {
	l := strings2(v)
	if len(l) == 0 {
		return l
	}
	key := strings.Join(l, "\x00")
	if c, ok := sharedLists.Load(key); ok {
		return c.([]string)
	}
	l = slices.Clone(l) // the index document's own list stays untouched
	for i := range l {
		l[i] = unique.Make(l[i]).Value()
	}
	c, _ := sharedLists.LoadOrStore(key, l)
	return c.([]string)
}

// shown: a policy is shown once any part of it is not empty.
func (p *SummaryPolicy) shown() bool {
	return p.DocNumber != "" || p.Validity != "" || p.Genre != "" || p.Issuers != nil
}

// listingBits number the fListing terms a list may show, so that an
// entry's is one bit and a list's set of them a mask.
var listingBits = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, t := range listingTerms(listStatuses, true) {
		m[t] = 1 << i
	}
	return m
}()

// listingBit is the bit of a term (0 for one no list shows).
func listingBit(term string) uint8 { return listingBits[term] }

// listingMask is the mask of terms.
func listingMask(terms []string) uint8 {
	var m uint8
	for _, t := range terms {
		m |= listingBit(t)
	}
	return m
}

// timeOf reads a datetime of an index document, in UTC (as lists have
// always shown it, from the index's stored fields).
func timeOf(v any) time.Time {
	t, _ := v.(time.Time)
	return t.UTC()
}

// A list cursor is bound to its sort and carries the last entry's sort
// value and id (opaque to clients: base64 of a small JSON).
type listCursor struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   string `json:"i"`
}

func encodeListCursor(sort, key, id string) string {
	b, _ := json.Marshal(listCursor{Sort: sort, Key: key, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeListCursor reads a cursor for the sort at index order into the
// probe entry the list continues after.
func decodeListCursor(raw string, order int) (*entry, error) {
	var c listCursor
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return nil, invalid("cursor", "游标无效", "malformed cursor")
	}
	o := listOrders[order]
	if c.Sort != o.param {
		return nil, invalid("cursor", "游标属于另一种排序（"+c.Sort+"），不能用于 "+o.param,
			"the cursor was made for sort "+c.Sort+", not "+o.param)
	}
	e, ok := o.probe(c.Key, c.ID)
	if !ok {
		return nil, invalid("cursor", "游标无效", "malformed cursor")
	}
	return e, nil
}
