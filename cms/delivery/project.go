package delivery

import (
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/store"
)

// Names of the fields of an item's projected document (indexDoc), which
// the list view reads (entryOf); the index's mapping names none of them
// (newMapping). They are flat (policy.docNumber is "docNumber"), and the
// view puts them back into the item's shape.
const (
	fChannel     = "channel"
	fChannels    = "channels" // the channel and all its ancestors
	fType        = "type"
	fDepartment  = "department"
	fVisibility  = "visibility" // effective: internal if the item or any channel above it is
	fStatus      = "status"
	fGenre       = "genre"
	fIssuers     = "issuers"
	fValidity    = "validity"
	fDocNumber   = "docNumber"
	fTitleSort   = "titleSort" // the title, as lists sort and show it
	fPublishedAt = "publishedAt"
	fUpdatedAt   = "updatedAt"
	fLinks       = "links" // "amends:<id>", "repeals:<id>", "interprets:<id>": the reverse links' look-up (lookups)
	fPath        = "path"
	fSummary     = "summary"
	fCover       = "cover"
	fLeader      = "leader"
	// fListing is which lists show the item and to whom (see listing):
	// one term replaces a status and a visibility filter on every list.
	// (It replaced the field "audience", which listed withdrawn items by
	// default; the new name makes existing indexes rebuild.)
	fListing = "listing"
)

// listing is the fListing term of an item: its effective visibility for
// a published item ("public", "internal": the default lists), prefixed
// with "withdrawn:" for a withdrawn one (lists that ask for withdrawn
// items, ?status=withdrawn), "none" for statuses no list shows
// (redirected, gone).
func listing(status, visibility string) string {
	switch status {
	case item.StatusPublished:
		return visibility
	case item.StatusWithdrawn:
		return withdrawnPrefix + visibility
	}
	return "none"
}

const withdrawnPrefix = "withdrawn:"

// listingTerms are the fListing terms a list of the given statuses shows
// a reader (signed in or not).
func listingTerms(statuses []string, signedIn bool) []string {
	vis := []string{channel.Public}
	if signedIn {
		vis = append(vis, channel.Internal)
	}
	var out []string
	for _, st := range statuses {
		for _, v := range vis {
			out = append(out, listing(st, v))
		}
	}
	return out
}

// Link relations and the reverse names the detail shows.
const (
	relAmends     = "amends"
	relRepeals    = "repeals"
	relInterprets = "interprets"
)

// chinaTime is the zone in which a publication date has its year and day
// (a fixed offset, so that no tz database is needed).
var chinaTime = time.FixedZone("CST", 8*3600)

// newMapping is what the Bleve index holds: none of the item's fields,
// only the reserved ones every index has (id, version, collection). Lists
// walk the in-memory view (ADR 0012), and the view answers the detail's
// look-ups too (lookups: by path, reverse links), so the index is the
// feed consumer's checkpoint, what consistentWith waits for and what
// reconciliation compares with the store. It held the list fields, the
// path and the reverse links' fields before: 91 MB on disk and 56 MB of
// mapped pages at 100k items (issue 16 item 7, docs/benchmarks.md
// "listslim"). The documents project makes are the view's: Bleve ignores
// the fields a mapping does not name.
func newMapping() *index.Mapping {
	return index.NewMapping()
}

// project turns a stored portal item into its index document. Every
// status is indexed, so that a redirected or gone item stays resolvable by
// path; lists show published ones, and withdrawn ones when asked
// (?status=withdrawn); reverse links take both (linkedStatuses).
func (s *Service) project(d store.Doc) (any, bool) {
	s.fresh.changed(d.Seq)
	return s.indexDoc(d)
}

// indexDoc is the index document of a stored portal item (project's, with
// no other effect: the list view's load reads it too).
func (s *Service) indexDoc(d store.Doc) (map[string]any, bool) {
	var it item.Item
	if err := d.Decode(&it); err != nil {
		s.log.Warn("portal item does not decode; left out of the index", "id", d.ID, "err", err)
		return nil, false
	}
	visibility := s.effectiveVisibility(it)
	doc := map[string]any{
		fListing:     listing(it.Status, visibility),
		fChannel:     it.Channel,
		fChannels:    s.ancestry(it.Channel),
		fType:        it.Type,
		fDepartment:  it.Department,
		fVisibility:  visibility,
		fStatus:      it.Status,
		fTitleSort:   it.Title,
		fPublishedAt: it.PublishedAt,
		fUpdatedAt:   it.UpdatedAt,
		fPath:        it.Path,
	}
	if it.Summary != "" {
		doc[fSummary] = it.Summary
	}
	if it.Cover != "" {
		doc[fCover] = it.Cover
	}
	if p := it.Policy; p != nil {
		doc[fDocNumber] = p.DocNumber
		doc[fValidity] = p.Validity
		doc[fGenre] = p.Genre
		if len(p.Issuers) > 0 {
			doc[fIssuers] = p.Issuers
		}
	}
	if it.Leader != nil && it.Leader.Name != "" {
		doc[fLeader] = it.Leader.Name
	}
	var links []string
	for _, l := range []struct {
		rel string
		ids []string
	}{{relAmends, it.Links.Amends}, {relRepeals, it.Links.Repeals}, {relInterprets, it.Links.Interprets}} {
		for _, id := range l.ids {
			links = append(links, l.rel+":"+id)
		}
	}
	if len(links) > 0 {
		doc[fLinks] = links
	}
	return doc, true
}

// ancestry is the channel's key and the keys of all channels above it.
func (s *Service) ancestry(key string) []string {
	out := []string{key}
	for cur := key; ; {
		c, ok := s.channels.Get(cur)
		if !ok || c.Parent == "" || len(out) > 32 {
			return out
		}
		out = append(out, c.Parent)
		cur = c.Parent
	}
}

// effectiveVisibility is the item's visibility as readers meet it (the
// channel tree's one rule: internal unless the item and every channel
// above it are public).
func (s *Service) effectiveVisibility(it item.Item) string {
	if it.Visibility != channel.Public {
		return channel.Internal
	}
	return s.channels.Visibility(it.Channel)
}
