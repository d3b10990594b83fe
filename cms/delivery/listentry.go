package delivery

import (
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
		id:        id,
		listing:   listingBit(str(f, fListing)),
		channels:  sharedList(f[fChannels]),
		published: timeOf(f[fPublishedAt]),
		updated:   timeOf(f[fUpdatedAt]),
	}
	s := &e.shown
	s.ID = id
	s.Type, s.Channel, s.Department, s.Path = shared(f, fType), shared(f, fChannel), shared(f, fDepartment), str(f, fPath)
	s.Visibility, s.Status, s.Title = shared(f, fVisibility), shared(f, fStatus), str(f, fTitleSort)
	s.Summary, s.Cover = str(f, fSummary), str(f, fCover)
	if _, ok := f[fPublishedAt]; ok {
		s.PublishedAt = &e.published
	}
	if _, ok := f[fUpdatedAt]; ok {
		s.UpdatedAt = &e.updated
	}
	if p := (SummaryPolicy{DocNumber: str(f, fDocNumber), Validity: shared(f, fValidity), Genre: shared(f, fGenre),
		Issuers: sharedList(f[fIssuers])}); p.shown() {
		s.Policy = &p
	}
	if n := shared(f, fLeader); n != "" {
		s.Leader = &SummaryLeader{Name: n}
	}
	return e
}

// shared is a string field that many entries hold alike (a type, a
// channel, a department, a leader's name), as one canonical copy: each
// entry decoded from its own JSON would otherwise hold its own (issue 16
// item 7: the view is the largest part of the Go heap at 100k items).
func shared(f map[string]any, name string) string {
	v := str(f, name)
	if v == "" {
		return v
	}
	return unique.Make(v).Value()
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
