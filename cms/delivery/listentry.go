package delivery

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// entryOf reads an item's list entry from its index document (the map
// indexDoc makes), so that the lists show what the index holds.
func entryOf(id string, f map[string]any) *entry {
	e := &entry{
		listing:    listingBit(str(f, fListing)),
		channels:   listSymbol(f[fChannels]),
		typ:        stringSymbol(f, fType),
		channel:    stringSymbol(f, fChannel),
		department: stringSymbol(f, fDepartment),
		visibility: stringSymbol(f, fVisibility),
		status:     stringSymbol(f, fStatus),
		validity:   stringSymbol(f, fValidity),
		genre:      stringSymbol(f, fGenre),
		leader:     stringSymbol(f, fLeader),
		issuers:    listSymbol(f[fIssuers]),
	}
	e.text, e.ends = packText(id, str(f, fPath), str(f, fTitleSort), str(f, fSummary), str(f, fCover), str(f, fDocNumber))
	if _, ok := f[fPublishedAt]; ok {
		e.flags |= hasPublished
	}
	if _, ok := f[fUpdatedAt]; ok {
		e.flags |= hasUpdated
	}
	e.published, e.flags = stampOf(timeOf(f[fPublishedAt]), e.flags, publishedZero)
	e.updated, e.flags = stampOf(timeOf(f[fUpdatedAt]), e.flags, updatedZero)
	// A policy is shown once any part of it is not empty (as
	// SummaryPolicy.shown says of a summary).
	if e.part(partDocNumber) != "" || e.validity != 0 || e.genre != 0 || e.issuers != 0 {
		e.flags |= hasPolicy
	}
	return e
}

// The parts of an entry's text, in order.
const (
	partID = iota
	partPath
	partTitle
	partSummary
	partCover
	partDocNumber
	textParts
)

// packText joins an entry's own strings (the parts partID…, in order)
// into one (one allocation, no string header each) and returns where each
// part ends.
func packText(parts ...string) (string, [textParts]uint32) {
	var ends [textParts]uint32
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range parts {
		b.WriteString(p)
		ends[i] = uint32(b.Len())
	}
	return b.String(), ends
}

// part is one of the entry's own strings (partID…).
func (e *entry) part(i int) string {
	start := uint32(0)
	if i > 0 {
		start = e.ends[i-1]
	}
	return e.text[start:e.ends[i]]
}

// id is the entry's item id.
func (e *entry) id() string { return e.part(partID) }

// title is the entry's title (the title order's key).
func (e *entry) title() string { return e.part(partTitle) }

// path is the entry's path (the look-ups' key).
func (e *entry) path() string { return e.part(partPath) }

// stampOf is a time as the view keeps it: its UnixNano (what the cells,
// the range filters and the cursors have always used) and, in flags,
// whether it is the zero time (which UnixNano cannot say, and which
// sorts before every other). A time outside the years 1678–2262, which
// UnixNano cannot hold, would come back as another (the cells, filters
// and cursors never held it either); items are published and updated
// now, by the server's clock.
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

// shownParts is an entry's shown summary with what its pointers point
// at, so that making it is one allocation (or none, from shownPool).
type shownParts struct {
	summary            Summary
	published, updated time.Time
	policy             SummaryPolicy
	leader             SummaryLeader
}

// shownPool keeps the parts of summaries that are encoded and dropped.
var shownPool = sync.Pool{New: func() any { return new(shownParts) }}

// shown fills p with the entry's shown summary (every field a list may
// show; a list copies the ones it selects: field.copy) and returns it.
func (e *entry) shown(p *shownParts) *Summary {
	*p = shownParts{summary: Summary{ID: e.id(), Type: e.typ.str(), Channel: e.channel.str(),
		Department: e.department.str(), Path: e.part(partPath), Visibility: e.visibility.str(),
		Status: e.status.str(), Title: e.part(partTitle), Summary: e.part(partSummary), Cover: e.part(partCover)}}
	s := &p.summary
	if e.flags&hasPublished != 0 {
		p.published = timeAt(e.published, e.flags&publishedZero != 0)
		s.PublishedAt = &p.published
	}
	if e.flags&hasUpdated != 0 {
		p.updated = timeAt(e.updated, e.flags&updatedZero != 0)
		s.UpdatedAt = &p.updated
	}
	if e.flags&hasPolicy != 0 {
		p.policy = SummaryPolicy{DocNumber: e.part(partDocNumber), Validity: e.validity.str(),
			Genre: e.genre.str(), Issuers: e.issuers.list()}
		s.Policy = &p.policy
	}
	if n := e.leader.str(); n != "" {
		p.leader.Name = n
		s.Leader = &p.leader
	}
	return s
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
