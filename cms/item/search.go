package item

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/search/source"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// SearchDeps are what the portal's search projection reads besides the
// item.
type SearchDeps struct {
	// Store resolves channel visibility (an item in an internal channel,
	// or under one, is internal). Nil: the item's own visibility only.
	Store store.Store
	// Media gives attachment bytes; nil: attachments are not indexed.
	// With a Store too, the files that cannot be read are recorded on the
	// item (ReportCollection).
	Media  source.Media
	Logger *slog.Logger
	// Extract bounds attachment extraction; zero: source.DefaultLimits.
	Extract source.Limits
}

// SearchProjection puts published and withdrawn items into the portal
// search index: a withdrawn item stays findable (it is still readable,
// with a notice), marked as withdrawn; redirected and gone ones are not.
// An item is public there only if it and every channel above it are
// public.
func SearchProjection(d SearchDeps) source.Projection {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	p := &projection{SearchDeps: d, chans: map[string]cachedChannel{}}
	return source.Projection{Index: source.PortalName, Collection: Collection, Project: p.project, Text: p.text}
}

type projection struct {
	SearchDeps
	mu    sync.Mutex
	chans map[string]cachedChannel
}

type cachedChannel struct {
	c     channel.Channel
	found bool
	at    time.Time
}

// channelTTL bounds how stale a cached channel's visibility may be. The
// search process may run without the content service, so it reads the
// channels from the store rather than from a channel.Tree.
const channelTTL = 30 * time.Second

// project is text plus the attachments' text, which it reads from the
// files and records what it could not read.
func (p *projection) project(d store.Doc) (source.Doc, bool) {
	it, doc, ok := p.item(d)
	if !ok {
		return doc, false
	}
	if p.Media != nil && len(it.Attachments) > 0 {
		files := make([]source.File, len(it.Attachments))
		for i, a := range it.Attachments {
			files[i] = source.File{MediaID: a.MediaID, Name: a.Name, Type: a.Type}
		}
		att := source.ReadAttachments(p.Media, files, p.Extract, p.Logger.With("item", d.ID))
		doc.Attachments = att.Files
		if p.Store != nil {
			report(p.Store, p.Logger, it, att.Refused)
		}
	}
	return doc, true
}

// text is the search document of the item without its files' text
// (source.Projection.Text): what project computes before it reads them.
func (p *projection) text(d store.Doc) (source.Doc, bool) {
	_, doc, ok := p.item(d)
	return doc, ok
}

func (p *projection) item(d store.Doc) (Item, source.Doc, bool) {
	var it Item
	if err := d.Decode(&it); err != nil {
		p.Logger.Warn("portal item does not decode; left out of the search index", "id", d.ID, "err", err)
		return it, source.Doc{}, false
	}
	if it.Status != StatusPublished && it.Status != StatusWithdrawn {
		return it, source.Doc{}, false
	}
	vis := source.Public
	if p.visibility(it) != channel.Public {
		vis = source.Internal
	}
	doc := source.Doc{
		Title: it.Title, Summary: it.Summary, Body: it.BodyText, Channel: it.Channel, Type: it.Type,
		Path: it.Path, PublishedAt: it.PublishedAt, Visibility: vis,
		Classification: classification.Feimi, Department: it.Department,
	}
	if it.Status == StatusWithdrawn {
		doc.Status = it.Status
	}
	if pol := it.Policy; pol != nil {
		doc.DocNumber = pol.DocNumber
		doc.Validity = pol.Validity
		doc.IssuedAt = pol.WrittenAt
		if len(pol.Issuers) > 0 {
			doc.Issuer = pol.Issuers[0]
		}
	}
	return it, doc, true
}

// visibility is the item's as readers meet it (channel.ItemVisibility:
// anything not known to be public is internal). Without a store, the
// item's own visibility decides.
func (p *projection) visibility(it Item) string {
	if p.Store == nil {
		if it.Visibility == channel.Public {
			return channel.Public
		}
		return channel.Internal
	}
	return channel.ItemVisibility(it.Visibility, it.Channel, p.channel)
}

func (p *projection) channel(key string) (channel.Channel, bool, error) {
	p.mu.Lock()
	cc, ok := p.chans[key]
	p.mu.Unlock()
	if ok && time.Since(cc.at) < channelTTL {
		return cc.c, cc.found, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err := p.Store.Get(ctx, channel.Collection, key)
	cc = cachedChannel{at: time.Now()}
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return channel.Channel{}, false, err
	default:
		if err := d.Decode(&cc.c); err != nil {
			return channel.Channel{}, false, err
		}
		cc.found = true
	}
	p.mu.Lock()
	p.chans[key] = cc
	p.mu.Unlock()
	return cc.c, cc.found, nil
}
