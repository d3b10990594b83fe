package source

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// Collections the portal source reads. They are cms/item.Collection and
// cms/channel.Collection; search may not import cms (imports flow cms →
// search), so the JSON contract is restated here (portalItem).
const (
	PortalItems = "portal_items"
	Channels    = "channels"
)

// Item statuses the portal index holds: a withdrawn item stays findable
// (it is still readable, with a notice); redirected and gone ones are not.
var portalStatuses = []string{"published", "withdrawn"}

// portalItem is the part of cms/item.Item the search index uses.
type portalItem struct {
	ID          string    `json:"id"`
	Type        string    `json:"type"`
	Channel     string    `json:"channel"`
	Department  string    `json:"department"`
	Path        string    `json:"path"`
	Visibility  string    `json:"visibility"`
	Title       string    `json:"title"`
	Summary     string    `json:"summary"`
	BodyText    string    `json:"bodyText"`
	Status      string    `json:"status"`
	PublishedAt time.Time `json:"publishedAt"`
	Policy      *struct {
		DocNumber string    `json:"docNumber"`
		Issuers   []string  `json:"issuers"`
		WrittenAt time.Time `json:"writtenAt"`
		Validity  string    `json:"validity"`
	} `json:"policy"`
	Attachments []struct {
		MediaID string `json:"mediaId"`
		Name    string `json:"name"`
		Type    string `json:"type"`
	} `json:"attachments"`
}

type portalChannel struct {
	Parent     string `json:"parent"`
	Visibility string `json:"visibility"`
}

// PortalDeps are what the portal projection reads besides the item.
type PortalDeps struct {
	// Store resolves channel visibility (an item in an internal channel,
	// or under one, is internal). Nil: the item's own visibility only.
	Store store.Store
	// Media gives attachment bytes; nil: attachments are not indexed.
	Media  Media
	Logger *slog.Logger
	// Extract bounds attachment extraction; zero: DefaultLimits.
	Extract Limits
}

// PortalProjection is the portal items' projection into the portal index.
func PortalProjection(d PortalDeps) Projection {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Extract == (Limits{}) {
		d.Extract = DefaultLimits
	}
	p := &portal{PortalDeps: d, chans: map[string]cachedChannel{}}
	return Projection{Index: PortalName, Collection: PortalItems, Project: p.project}
}

type portal struct {
	PortalDeps
	mu    sync.Mutex
	chans map[string]cachedChannel
}

type cachedChannel struct {
	c     portalChannel
	found bool
	at    time.Time
}

// channelTTL bounds how stale a cached channel's visibility may be.
const channelTTL = 30 * time.Second

func (p *portal) project(d store.Doc) (Doc, bool) {
	var it portalItem
	if err := d.Decode(&it); err != nil {
		p.Logger.Warn("portal item does not decode; left out of the search index", "id", d.ID, "err", err)
		return Doc{}, false
	}
	if !contains(portalStatuses, it.Status) {
		return Doc{}, false
	}
	vis := Public
	if it.Visibility != Public || p.channelInternal(it.Channel) {
		// Anything not explicitly public is internal: fail closed.
		vis = Internal
	}
	doc := Doc{
		Title: it.Title, Summary: it.Summary, Body: it.BodyText, Channel: it.Channel, Type: it.Type,
		Path: it.Path, PublishedAt: it.PublishedAt, Visibility: vis,
		Classification: classification.Feimi, Department: it.Department,
	}
	if it.Status == "withdrawn" {
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
	if p.Media != nil && len(it.Attachments) > 0 {
		files := make([]File, len(it.Attachments))
		for i, a := range it.Attachments {
			files[i] = File{MediaID: a.MediaID, Name: a.Name, Type: a.Type}
		}
		doc.AttachmentText = AttachmentText(p.Media, files, p.Extract, p.Logger.With("item", d.ID))
	}
	return doc, true
}

func (p *portal) channelInternal(key string) bool {
	if p.Store == nil {
		return false
	}
	for i := 0; key != "" && i < 32; i++ {
		c, found, err := p.channel(key)
		if err != nil {
			// Cannot tell: fail closed.
			return true
		}
		if !found {
			return false
		}
		if c.Visibility == Internal {
			return true
		}
		key = c.Parent
	}
	return false
}

func (p *portal) channel(key string) (portalChannel, bool, error) {
	p.mu.Lock()
	cc, ok := p.chans[key]
	p.mu.Unlock()
	if ok && time.Since(cc.at) < channelTTL {
		return cc.c, cc.found, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err := p.Store.Get(ctx, Channels, key)
	cc = cachedChannel{at: time.Now()}
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return portalChannel{}, false, err
	default:
		if err := json.Unmarshal(d.Data, &cc.c); err != nil {
			return portalChannel{}, false, err
		}
		cc.found = true
	}
	p.mu.Lock()
	p.chans[key] = cc
	p.mu.Unlock()
	return cc.c, cc.found, nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
