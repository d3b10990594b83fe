package content

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"zhengwu/cms/item"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// PreviewURLPrefix is where the delivery side mounts Preview.
const PreviewURLPrefix = "/api/portal/v1/preview/"

// PreviewToken is a short-lived link to a rendering of the working edition.
type PreviewToken struct {
	Token     string    `json:"token"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
}

type previewRecord struct {
	DocID     string    `json:"docId"`
	Edition   int       `json:"edition"`
	CreatedBy string    `json:"createdBy"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// CreatePreview issues a token (random, 256 bits, stored) that renders the
// document's working edition (or the live one when there is none) for
// PreviewTTL, to anyone holding it.
func (s *Service) CreatePreview(ctx context.Context, p *auth.Principal, id string) (PreviewToken, error) {
	r, _, err := s.load(ctx, p, id)
	if err != nil {
		return PreviewToken{}, err
	}
	e := r.Draft
	if e == nil {
		e = r.Pub
	}
	if e == nil {
		return PreviewToken{}, errState("文档没有可预览的版本", "the document has no edition to preview")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return PreviewToken{}, err
	}
	tok := hex.EncodeToString(b[:])
	exp := s.now().UTC().Add(PreviewTTL)
	if _, err := store.Save(ctx, s.store, PreviewsCollection, tok,
		previewRecord{DocID: r.ID, Edition: e.Number, CreatedBy: p.UserID, ExpiresAt: exp}, 0); err != nil {
		return PreviewToken{}, err
	}
	return PreviewToken{Token: tok, URL: PreviewURLPrefix + tok, ExpiresAt: exp}, nil
}

// Preview renders the edition a token points at as a portal item. An
// unknown or expired token is 404 (an expired one is deleted).
func (s *Service) Preview(ctx context.Context, token string) (item.Item, error) {
	gone := problem.NotFound("预览链接无效或已过期", "the preview link is invalid or has expired")
	if len(token) != 64 {
		return item.Item{}, gone
	}
	pr, v, err := store.Load[previewRecord](ctx, s.store, PreviewsCollection, token)
	if errors.Is(err, store.ErrNotFound) {
		return item.Item{}, gone
	}
	if err != nil {
		return item.Item{}, err
	}
	if !s.now().Before(pr.ExpiresAt) {
		_, _ = s.store.Delete(ctx, PreviewsCollection, token, v)
		return item.Item{}, gone
	}
	r, _, err := store.Load[record](ctx, s.store, DocumentsCollection, pr.DocID)
	if errors.Is(err, store.ErrNotFound) {
		return item.Item{}, gone
	}
	if err != nil {
		return item.Item{}, err
	}
	if r.Live == StateGone {
		return item.Item{}, gone
	}
	var e *Edition
	switch {
	case r.Draft != nil && r.Draft.Number == pr.Edition:
		e = r.Draft
	case r.Pub != nil && r.Pub.Number == pr.Edition:
		e = r.Pub
	default:
		stored, _, err := store.Load[Edition](ctx, s.store, EditionsCollection, editionID(r.ID, pr.Edition))
		if err != nil {
			return item.Item{}, gone
		}
		e = &stored
	}
	preview := r
	preview.Live = "" // render as published, whatever the document's state
	preview.Withdrawal, preview.RedirectTo = nil, ""
	it, _ := s.itemOf(preview, e)
	it.Status = item.StatusPublished
	it.NextChangeAt = nil
	return it, nil
}

// PreviewSweepBatch bounds the preview tokens SweepPreviews reads per call.
const PreviewSweepBatch = 200

// SweepPreviews deletes expired preview tokens and returns how many it
// deleted. Each call reads at most PreviewSweepBatch tokens, continuing
// from where the previous call stopped and wrapping around at the end, so
// the work per call is bounded and repeated calls (RunDue runs it) visit
// every token. Tokens are random, so their ids say nothing of their
// expiry: a cursor over the (small: tokens live PreviewTTL) collection is
// what finds them. Deletes are compare-and-set on the version read; a
// token deleted meanwhile (by Preview, or another node's sweep) is
// skipped.
func (s *Service) SweepPreviews(ctx context.Context) (int, error) {
	s.sweepMu.Lock()
	defer s.sweepMu.Unlock()
	docs, err := s.store.Scan(ctx, PreviewsCollection, s.sweepAfter, PreviewSweepBatch)
	if err != nil {
		return 0, err
	}
	if len(docs) < PreviewSweepBatch {
		s.sweepAfter = "" // reached the end: start over next time
	} else {
		s.sweepAfter = docs[len(docs)-1].ID
	}
	now := s.now()
	deleted := 0
	for _, d := range docs {
		var pr previewRecord
		if err := d.Decode(&pr); err != nil {
			s.log.Warn("undecodable preview token", "id", d.ID, "err", err)
			continue
		}
		if now.Before(pr.ExpiresAt) {
			continue
		}
		_, err := s.store.Delete(ctx, PreviewsCollection, d.ID, d.Version)
		switch {
		case err == nil:
			deleted++
		case errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict):
		default:
			return deleted, err
		}
	}
	return deleted, nil
}
