package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// maxAge caps how long a public item may be cached.
const maxAge = 300

// LinkRef is a linked item, expanded one level.
type LinkRef struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Path      string `json:"path"`
	DocNumber string `json:"docNumber,omitempty"`
	Validity  string `json:"validity,omitempty"`
}

// Links are an item's typed links expanded one level, and the reverse
// links the query side finds (policy files only: only they are link
// targets).
type Links struct {
	Amends        []LinkRef `json:"amends,omitempty"`
	Repeals       []LinkRef `json:"repeals,omitempty"`
	Interprets    []LinkRef `json:"interprets,omitempty"`
	AmendedBy     []LinkRef `json:"amendedBy,omitempty"`
	RepealedBy    []LinkRef `json:"repealedBy,omitempty"`
	InterpretedBy []LinkRef `json:"interpretedBy,omitempty"`
}

type reverseLinks struct {
	AmendedBy, RepealedBy, InterpretedBy []LinkRef
}

// Banner is shown on a repealed policy file.
type Banner struct {
	Text        string   `json:"text"`
	Replacement *LinkRef `json:"replacement,omitempty"`
}

// ItemView is an item as the delivery API shows it: item.Item without
// bodyText, with links expanded and, for a repealed file, a banner.
type ItemView struct {
	item.Item
	// BodyText shadows the item's and is never set: it is for search.
	BodyText *string `json:"bodyText,omitempty" jsonschema:"-"`
	Links    Links   `json:"links"`
	Banner   *Banner `json:"banner,omitempty"`
}

// Answer is an item as the delivery API answers it: the rendered JSON and
// what HTTP caches need. Answers are cached and shared: read-only.
type Answer struct {
	// Body is the JSON of an ItemView; nil for a redirect, and when the
	// reader's copy is current (see Item).
	Body []byte
	// ETag is a strong validator of what the item shows: its id, edition
	// and status.
	ETag string
	// LastModified is when the item last changed for readers (to the
	// second); Modified is the same as an HTTP date, formatted once.
	LastModified time.Time
	Modified     string
	// Internal: readable by signed-in readers only, so cacheable only
	// privately.
	Internal bool
	// NextChange is the item's next scheduled change, which no cache may
	// outlive (MaxAge).
	NextChange *time.Time
	// RedirectTo is set for a redirected item: the id readers are sent to.
	RedirectTo string
}

// Unchanged reports whether the reader already holds the version of an
// item with these validators (a conditional request); nil: it holds none.
type Unchanged func(etag string, lastModified time.Time) bool

// ItemByPath answers an item by its path, like Item: the list view knows
// the path of every item, whatever its status (lookups).
func (s *Service) ItemByPath(ctx context.Context, p *auth.Principal, path string, unchanged Unchanged) (*Answer, error) {
	if path == "" || len(path) > 1024 {
		return nil, notFound()
	}
	id, ok := s.view.look.path(path)
	if !ok {
		return nil, notFound()
	}
	return s.Item(ctx, p, id, unchanged)
}

func detailKey(signedIn bool, id string) string {
	if signedIn {
		return "1" + id
	}
	return "0" + id
}

// Item answers a published or withdrawn item for the reader p (nil:
// anonymous); a redirected one as its RedirectTo, a removed one as 410
// (with the public withdrawal notice of a copy the data gateway took
// back). An internal item is 404 to an anonymous reader (not 403: its
// existence must not leak), like an unknown id.
//
// The answer is kept until the next change to any portal item (cache.go).
// When it has to be made and unchanged says the reader's copy is current,
// the body is neither rendered nor cached: the reader needs none.
func (s *Service) Item(ctx context.Context, p *auth.Principal, id string, unchanged Unchanged) (*Answer, error) {
	signedIn := p != nil
	if id == "" || len(id) > 512 {
		return nil, notFound()
	}
	key := detailKey(signedIn, id)
	if a, ok := s.details.get(key, s.isFresh); ok {
		s.metrics.detailHit.Inc()
		return a, nil
	}
	s.metrics.detailMiss.Inc()
	st := s.stamp()
	doc, err := s.store.Get(ctx, item.Collection, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	var it item.Item
	if err := doc.Decode(&it); err != nil {
		return nil, err
	}
	internal := s.effectiveVisibility(it) == channel.Internal
	if internal && !signedIn {
		return nil, notFound()
	}
	switch it.Status {
	case item.StatusGone:
		return nil, goneProblem(it)
	case item.StatusRedirected:
		return &Answer{Internal: internal, NextChange: it.NextChangeAt, RedirectTo: it.RedirectTo}, nil
	case item.StatusPublished, item.StatusWithdrawn:
	default:
		return nil, notFound()
	}
	lm := lastModified(it)
	a := &Answer{ETag: etagOf(it), LastModified: lm, Modified: lm.Format(http.TimeFormat), Internal: internal,
		NextChange: it.NextChangeAt}
	if unchanged != nil && unchanged(a.ETag, a.LastModified) {
		return a, nil
	}
	v, err := s.Render(ctx, p, it)
	if err != nil {
		return nil, err
	}
	if a.Body, err = json.Marshal(v); err != nil {
		return nil, err
	}
	s.details.put(key, st, a)
	return a, nil
}

// goneProblem is the 410 of a removed item. A copy the data gateway took
// back carries a public withdrawal notice (cms/content writes it, never
// the gateway's internal reason): the answer says it was withdrawn, why
// and when (code withdrawn, member withdrawal), not a bare 410.
func goneProblem(it item.Item) *problem.Error {
	if w := it.Withdrawal; w != nil && w.Reason != "" {
		return problem.New(http.StatusGone, "withdrawn", "该信息已撤回："+w.Reason, "this item has been withdrawn").
			With("withdrawal", w)
	}
	return problem.New(http.StatusGone, "gone", "该内容已删除", "this item has been removed")
}

// etagOf is a strong validator of what the item shows: its id, edition and
// status (a withdrawal keeps the edition and changes the status).
func etagOf(it item.Item) string {
	h := fnv.New64a()
	h.Write([]byte(it.ID))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(it.Edition)))
	h.Write([]byte{0})
	h.Write([]byte(it.Status))
	return `"` + strconv.FormatUint(h.Sum64(), 36) + `"`
}

func lastModified(it item.Item) time.Time {
	t := it.UpdatedAt
	if w := it.Withdrawal; w != nil && w.At.After(t) {
		t = w.At
	}
	if t.IsZero() {
		t = it.PublishedAt
	}
	return t.UTC().Truncate(time.Second)
}

// MaxAge is how many seconds a shared cache may keep a public answer:
// until the item's next scheduled change, at most maxAge.
func (s *Service) MaxAge(a *Answer) int {
	age := maxAge
	if a.NextChange != nil {
		left := int(a.NextChange.Sub(s.now()) / time.Second)
		age = max(0, min(age, left))
	}
	return age
}

// Render is the item as the reader p (nil: anonymous) sees it: its links
// expanded one level (to the items p may see), its reverse links (policy
// files only: only they are link targets) and the banner of a repealed
// file. Item answers with it; a preview renders a draft with it.
func (s *Service) Render(ctx context.Context, p *auth.Principal, it item.Item) (*ItemView, error) {
	signedIn := p != nil
	d := &ItemView{Item: it}
	d.Item.BodyText = ""
	ids := slices.Concat(it.Links.Amends, it.Links.Repeals, it.Links.Interprets)
	if len(ids) > 0 {
		found, err := s.getItems(ctx, ids)
		if err != nil {
			return nil, err
		}
		refs := func(ids []string) []LinkRef {
			var out []LinkRef
			for _, id := range ids {
				if t, ok := found[id]; ok && slices.Contains(linkedStatuses, t.Status) &&
					(signedIn || s.effectiveVisibility(t) == channel.Public) {
					out = append(out, refOf(t))
				}
			}
			return out
		}
		d.Links.Amends, d.Links.Repeals, d.Links.Interprets = refs(it.Links.Amends), refs(it.Links.Repeals), refs(it.Links.Interprets)
	}
	if it.Type == channel.TypePolicy {
		rev, err := s.reverseLinks(ctx, it.ID, signedIn)
		if err != nil {
			return nil, err
		}
		d.Links.AmendedBy, d.Links.RepealedBy, d.Links.InterpretedBy = rev.AmendedBy, rev.RepealedBy, rev.InterpretedBy
	}
	if it.Policy != nil && it.Policy.Validity == item.ValidityRepealed {
		b := &Banner{Text: "本文件已废止。"}
		if len(d.Links.RepealedBy) > 0 {
			r := d.Links.RepealedBy[0]
			b.Replacement = &LinkRef{ID: r.ID, Title: r.Title, Path: r.Path}
			b.Text = "本文件已废止，现行规定见《" + r.Title + "》。"
		}
		d.Banner = b
	}
	return d, nil
}

func refOf(t item.Item) LinkRef {
	r := LinkRef{ID: t.ID, Title: t.Title, Path: t.Path}
	if t.Policy != nil {
		r.DocNumber, r.Validity = t.Policy.DocNumber, t.Policy.Validity
	}
	return r
}

// getItems reads several items by id, concurrently; missing ones are left
// out of the map.
func (s *Service) getItems(ctx context.Context, ids []string) (map[string]item.Item, error) {
	out := make(map[string]item.Item, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	sem := make(chan struct{}, 8)
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			it, _, err := store.Load[item.Item](ctx, s.store, item.Collection, id)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				out[id] = it
			case errors.Is(err, store.ErrNotFound):
			case firstErr == nil:
				firstErr = err
			}
		}()
	}
	wg.Wait()
	return out, firstErr
}

// reverseLinks finds the items that amend, repeal or interpret id (the
// list view's lookups), cached until the next change to a portal item.
// Of the items linking to id, the newest maxSize are taken (the page the
// index answered before), then those the reader may not see are left
// out.
func (s *Service) reverseLinks(_ context.Context, id string, signedIn bool) (reverseLinks, error) {
	st := s.stamp()
	key := detailKey(signedIn, id)
	if rl, ok := s.reverse.get(key, s.isFresh); ok {
		s.metrics.reverseHit.Inc()
		return rl, nil
	}
	s.metrics.reverseMiss.Inc()
	var rl reverseLinks
	seen := listingMask(listingTerms(linkedStatuses, signedIn))
	for _, from := range s.view.look.linkingTo(id, maxSize) {
		e := from.e
		if e.listing&seen == 0 {
			continue
		}
		ref := LinkRef{ID: e.id(), Title: e.title(), Path: e.path()}
		if e.flags&hasPolicy != 0 {
			ref.DocNumber, ref.Validity = e.part(partDocNumber), e.validity.str()
		}
		for _, rel := range from.rels {
			switch rel {
			case relAmends:
				rl.AmendedBy = append(rl.AmendedBy, ref)
			case relRepeals:
				rl.RepealedBy = append(rl.RepealedBy, ref)
			case relInterprets:
				rl.InterpretedBy = append(rl.InterpretedBy, ref)
			}
		}
	}
	s.reverse.put(key, st, rl)
	return rl, nil
}
