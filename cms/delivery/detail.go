package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// maxAge caps how long a public item may be cached.
const maxAge = 300

// linkRef is a linked item, expanded one level.
type linkRef struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Path      string `json:"path"`
	DocNumber string `json:"docNumber,omitempty"`
	Validity  string `json:"validity,omitempty"`
}

type detailLinks struct {
	Amends        []linkRef `json:"amends,omitempty"`
	Repeals       []linkRef `json:"repeals,omitempty"`
	Interprets    []linkRef `json:"interprets,omitempty"`
	AmendedBy     []linkRef `json:"amendedBy,omitempty"`
	RepealedBy    []linkRef `json:"repealedBy,omitempty"`
	InterpretedBy []linkRef `json:"interpretedBy,omitempty"`
}

type reverseLinks struct {
	AmendedBy, RepealedBy, InterpretedBy []linkRef
}

// banner is shown on a repealed policy file.
type banner struct {
	Text        string   `json:"text"`
	Replacement *linkRef `json:"replacement,omitempty"`
}

// detail is an item as the delivery API shows it: item.Item without
// bodyText, with links expanded and, for a repealed file, a banner.
type detail struct {
	item.Item
	// BodyText shadows the item's and is never set: it is for search.
	BodyText *string     `json:"bodyText,omitempty"`
	Links    detailLinks `json:"links"`
	Banner   *banner     `json:"banner,omitempty"`
}

func (s *Service) getItem(c *fiber.Ctx) error {
	return s.serveItem(c, c.Params("id"))
}

// getItemByPath finds the id through the index (every status is indexed
// by path), then serves it exactly like getItem.
func (s *Service) getItemByPath(c *fiber.Ctx) error {
	p, err := url.PathUnescape(c.Params("*"))
	if err != nil || p == "" {
		return notFound()
	}
	res, err := s.index.List(c.UserContext(), index.Query{Filters: []index.Filter{index.Term(fPath, p)}, Size: 1})
	if err != nil {
		return s.indexErr(err)
	}
	if len(res.Hits) == 0 {
		return notFound()
	}
	return s.serveItem(c, res.Hits[0].ID)
}

// cachedItem is a rendered item with its validators.
type cachedItem struct {
	body     []byte
	etag     string
	lastMod  time.Time
	modified string // lastMod in HTTP format
	internal bool
	next     *time.Time // NextChangeAt
}

func (s *Service) serveItem(c *fiber.Ctx, id string) error {
	ctx := c.UserContext()
	signedIn := auth.Caller(c) != nil
	if id == "" || len(id) > 512 {
		return notFound()
	}
	key := cacheKey(signedIn, []byte(id))
	if e, ok := s.details.get(key, s.isFresh); ok {
		s.metrics.detailHit.Inc()
		return s.sendItem(c, e)
	}
	s.metrics.detailMiss.Inc()
	st := s.stamp()
	doc, err := s.store.Get(ctx, item.Collection, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound()
	}
	if err != nil {
		return err
	}
	var it item.Item
	if err := doc.Decode(&it); err != nil {
		return err
	}
	internal := s.effectiveVisibility(it) == channel.Internal
	if internal && !signedIn {
		return notFound() // not 403: its existence must not leak
	}
	switch it.Status {
	case item.StatusGone:
		return goneProblem(it)
	case item.StatusRedirected:
		c.Set(fiber.HeaderCacheControl, s.cacheControl(it.NextChangeAt, internal))
		c.Set(fiber.HeaderLocation, "/api/portal/v1/items/"+url.PathEscape(it.RedirectTo))
		return c.SendStatus(http.StatusMovedPermanently)
	case item.StatusPublished, item.StatusWithdrawn:
	default:
		return notFound()
	}
	lm := lastModified(it)
	e := &cachedItem{etag: etagOf(it), lastMod: lm, modified: lm.Format(http.TimeFormat), internal: internal, next: it.NextChangeAt}
	if notModified(c, e.etag, e.lastMod) {
		// The body is not needed: answer without rendering (or caching) it.
		return s.sendItem(c, e)
	}
	d, err := s.render(ctx, it, signedIn)
	if err != nil {
		return err
	}
	if e.body, err = json.Marshal(d); err != nil {
		return err
	}
	s.details.put(key, st, e)
	return s.sendItem(c, e)
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

// sendItem answers with the item's validators and caching headers, and
// 304 when the client's copy is current.
func (s *Service) sendItem(c *fiber.Ctx, e *cachedItem) error {
	c.Set(fiber.HeaderETag, e.etag)
	c.Set(fiber.HeaderLastModified, e.modified)
	c.Set(fiber.HeaderCacheControl, s.cacheControl(e.next, e.internal))
	if notModified(c, e.etag, e.lastMod) {
		return c.SendStatus(http.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(e.body)
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

// notModified applies RFC 9110's precedence: If-None-Match when present,
// otherwise If-Modified-Since.
func notModified(c *fiber.Ctx, etag string, lastMod time.Time) bool {
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == etag {
				return true
			}
		}
		return false
	}
	if ims := c.Get(fiber.HeaderIfModifiedSince); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !lastMod.After(t)
	}
	return false
}

// cacheControl lets a public item be cached until its next scheduled
// change, at most maxAge seconds; internal items only privately and
// revalidated.
func (s *Service) cacheControl(next *time.Time, internal bool) string {
	if internal {
		return "private, no-cache"
	}
	age := maxAge
	if next != nil {
		left := int(next.Sub(s.now()) / time.Second)
		age = max(0, min(age, left))
	}
	return "public, max-age=" + strconv.Itoa(age)
}

// render expands the item's links one level, finds its reverse links
// (policy files only: only they are link targets) and adds the banner of
// a repealed file.
func (s *Service) render(ctx context.Context, it item.Item, signedIn bool) (*detail, error) {
	d := &detail{Item: it}
	d.Item.BodyText = ""
	ids := slices.Concat(it.Links.Amends, it.Links.Repeals, it.Links.Interprets)
	if len(ids) > 0 {
		found, err := s.getItems(ctx, ids)
		if err != nil {
			return nil, err
		}
		refs := func(ids []string) []linkRef {
			var out []linkRef
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
		b := &banner{Text: "本文件已废止。"}
		if len(d.Links.RepealedBy) > 0 {
			r := d.Links.RepealedBy[0]
			b.Replacement = &linkRef{ID: r.ID, Title: r.Title, Path: r.Path}
			b.Text = "本文件已废止，现行规定见《" + r.Title + "》。"
		}
		d.Banner = b
	}
	return d, nil
}

func refOf(t item.Item) linkRef {
	r := linkRef{ID: t.ID, Title: t.Title, Path: t.Path}
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

// reverseLinks finds the items that amend, repeal or interpret id: one
// term query on the "links" field, cached for the index checkpoint.
func (s *Service) reverseLinks(ctx context.Context, id string, signedIn bool) (reverseLinks, error) {
	st := s.stamp()
	key := cacheKey(signedIn, []byte(id))
	if rl, ok := s.reverse.get(key, s.isFresh); ok {
		s.metrics.reverseHit.Inc()
		return rl, nil
	}
	s.metrics.reverseMiss.Inc()
	// Only the links term is queried; who may see a hit is checked on its
	// stored listing term, which spares Bleve a conjunction with a term
	// that nearly every document carries.
	res, err := s.index.List(ctx, index.Query{
		Filters: []index.Filter{index.Terms(fLinks, relAmends+":"+id, relRepeals+":"+id, relInterprets+":"+id)},
		Sort:    []string{"-" + fPublishedAt},
		Size:    maxSize,
		Fields:  []string{fTitleSort, fPath, fDocNumber, fValidity, fLinks, fListing},
	})
	if err != nil {
		return reverseLinks{}, err
	}
	var rl reverseLinks
	seen := listingTerms(linkedStatuses, signedIn)
	for _, h := range res.Hits {
		str := func(name string) string { v, _ := h.Fields[name].(string); return v }
		if !slices.Contains(seen, str(fListing)) {
			continue
		}
		ref := linkRef{ID: h.ID, Title: str(fTitleSort), Path: str(fPath), DocNumber: str(fDocNumber), Validity: str(fValidity)}
		links := strings2(h.Fields[fLinks])
		if slices.Contains(links, relAmends+":"+id) {
			rl.AmendedBy = append(rl.AmendedBy, ref)
		}
		if slices.Contains(links, relRepeals+":"+id) {
			rl.RepealedBy = append(rl.RepealedBy, ref)
		}
		if slices.Contains(links, relInterprets+":"+id) {
			rl.InterpretedBy = append(rl.InterpretedBy, ref)
		}
	}
	s.reverse.put(key, st, rl)
	return rl, nil
}
