package content

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Deps are the Service's dependencies.
type Deps struct {
	Store    store.Store
	Trail    *audit.Trail
	Channels *channel.Tree
	Now      func() time.Time // default time.Now
	// IndexDir is the directory of the management index (created if
	// missing; rebuilt from the store if wiped).
	IndexDir string
	Logger   *slog.Logger
	// MediaInfo looks a media id up in the media store (cms/media): ok is
	// false when there is no such media. When set, saving a draft checks
	// that fields.cover (an image) and every fields.attachments[].mediaId
	// exist (400 naming the field otherwise) and fills an attachment's
	// name, size and type from the record where the caller left them
	// empty. nil skips the check.
	MediaInfo func(ctx context.Context, id string) (a item.Attachment, ok bool, err error)
}

// Service is the portal's editorial domain.
type Service struct {
	store    store.Store
	trail    *audit.Trail
	channels *channel.Tree
	now      func() time.Time
	log      *slog.Logger
	ix       *index.Index
	consumer *feed.Consumer
	media    func(ctx context.Context, id string) (item.Attachment, bool, error)

	sweepMu    sync.Mutex
	sweepAfter string // preview sweep cursor (see SweepPreviews)
}

// PreviewTTL is how long a preview token lives.
const PreviewTTL = 30 * time.Minute

// New opens the management index and returns the service. Call Run in a
// goroutine to keep the index fed, and Close when done.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Trail == nil || d.Channels == nil || d.IndexDir == "" {
		return nil, errors.New("content: Store, Trail, Channels and IndexDir are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if err := backfillMediaRefs(context.Background(), d.Store, d.Logger); err != nil {
		return nil, err
	}
	ix, err := index.Open(d.IndexDir, indexMapping())
	if err != nil {
		return nil, fmt.Errorf("content: open index: %w", err)
	}
	s := &Service{store: d.Store, trail: d.Trail, channels: d.Channels, now: d.Now, log: d.Logger, ix: ix, media: d.MediaInfo}
	s.consumer = &feed.Consumer{
		Store:       d.Store,
		Index:       ix,
		Collections: []string{DocumentsCollection},
		Project:     project,
		Logger:      d.Logger,
	}
	return s, nil
}

// Run keeps the management index up to date from the change feed until
// ctx ends.
func (s *Service) Run(ctx context.Context) error { return s.consumer.Run(ctx) }

// CatchUp applies the feed up to the store's current sequence (start-up
// and tests).
func (s *Service) CatchUp(ctx context.Context) error { return s.consumer.CatchUp(ctx) }

// Notify wakes the documents consumer (a write happened); it never blocks.
func (s *Service) Notify() { s.consumer.Notify() }

// Close closes the index; stop Run first.
func (s *Service) Close() error { return s.ix.Close() }

// Index is the management index, for ?consistentWith= waits.
func (s *Service) Index() *index.Index { return s.ix }

// LastSeq is the store's last committed feed sequence: a ?consistentWith=
// beyond it is refused rather than waited for.
func (s *Service) LastSeq(ctx context.Context) (int64, error) { return s.store.LastSeq(ctx) }

// Errors the workflow returns besides validation and store errors.
func errState(zh, en string) *problem.Error {
	return problem.New(409, "invalid_state", zh, en)
}

func notFound() *problem.Error { return problem.NotFound("文档不存在", "document not found") }

// visible reports whether p holds any portal permission in dept.
func visible(p *auth.Principal, dept string) bool {
	return p.Can(PermEdit, dept) || p.Can(PermReview, dept) || p.Can(PermPublish, dept)
}

// visibleDepartments lists the departments p holds a portal permission
// in; all is true for an office-wide grant.
func visibleDepartments(p *auth.Principal) (depts []string, all bool) {
	seen := map[string]bool{}
	for _, perm := range []auth.Permission{PermEdit, PermReview, PermPublish} {
		for _, d := range p.Scopes(perm) {
			if d == auth.OfficeWide {
				return nil, true
			}
			if !seen[d] {
				seen[d] = true
				depts = append(depts, d)
			}
		}
	}
	return depts, false
}

// mayPublish: an office-wide reviewer who may publish.
func mayPublish(p *auth.Principal) bool {
	return p.Can(PermPublish, auth.OfficeWide)
}

// stepNeed says who may take a review step: a department reviewer, an
// office-wide reviewer, or (the last step, which publishes) an office-wide
// reviewer who may also publish.
type stepNeed int

const (
	needDeptReview stepNeed = iota
	needOfficeReview
	needPublisher
)

func needOf(steps []string, i int) stepNeed {
	switch {
	case i == len(steps)-1:
		return needPublisher
	case steps[i] == channel.StepDepartment:
		return needDeptReview
	}
	return needOfficeReview
}

func mayTake(p *auth.Principal, need stepNeed, dept string) bool {
	switch need {
	case needDeptReview:
		return p.Can(PermReview, dept)
	case needOfficeReview:
		return p.Can(PermReview, auth.OfficeWide)
	}
	return p.Can(PermReview, auth.OfficeWide) && p.Can(PermPublish, auth.OfficeWide)
}

// queueTokens are indexed on a document in review: the grants that may
// take its current step. A caller's own tokens (callerTokens) are matched
// against them, so the review queue is one Terms filter.
func queueTokens(need stepNeed, dept string) []string {
	switch need {
	case needDeptReview:
		return []string{"review@" + dept, "review@*"}
	case needOfficeReview:
		return []string{"review@*"}
	}
	return []string{"publish@*"}
}

func callerTokens(p *auth.Principal) []string {
	var out []string
	for _, d := range p.Scopes(PermReview) {
		out = append(out, "review@"+d)
	}
	if p.Can(PermReview, auth.OfficeWide) && p.Can(PermPublish, auth.OfficeWide) {
		out = append(out, "publish@*")
	}
	return out
}

func (s *Service) steps(r *record) []string {
	if c, ok := s.channels.Get(r.Channel); ok {
		return c.Steps()
	}
	return channel.DefaultReviewSteps
}

// load reads a record the caller may see (others are 404, so that ids of
// other departments' documents leak nothing).
func (s *Service) load(ctx context.Context, p *auth.Principal, id string) (record, store.Doc, error) {
	if p == nil {
		return record{}, store.Doc{}, problem.Unauthenticated("missing principal")
	}
	doc, err := s.store.Get(ctx, DocumentsCollection, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return record{}, store.Doc{}, notFound()
	}
	if err != nil {
		return record{}, store.Doc{}, err
	}
	var r record
	if err := doc.Decode(&r); err != nil {
		return record{}, store.Doc{}, fmt.Errorf("decode %s: %w", id, err)
	}
	if !visible(p, r.Department) {
		return record{}, store.Doc{}, notFound()
	}
	return r, doc, nil
}

// change is what a workflow step did, for the writes that follow the
// compare-and-set.
type change struct {
	action   string // audit action, e.g. "portal.document.publish"
	details  map[string]any
	editions []*Edition // editions to (re)write in cms_editions
	item     bool       // portal_items must be rewritten
	// propagate: an edition went live; apply its repeals/amends links to
	// the targets' validity (see legal.go).
	propagate bool
	// before are writes that must land with the document, put ahead of it
	// (an import's create-only mapping, which decides between two first
	// imports of one source before anything else is written).
	before []store.Write
}

// conflict is the 409 of a stale version.
func conflict() *problem.Error {
	return problem.Conflict("文档已被他人修改，请刷新后重试", "the document was changed by someone else; reload and retry")
}

// mutate runs one workflow step: load, check the caller's version, apply
// fn, compare-and-set, then write editions, the portal item and the audit
// entry. version 0 means "the version just read" (the step still cannot
// overwrite a concurrent change).
func (s *Service) mutate(ctx context.Context, p *auth.Principal, id string, version int64,
	fn func(r *record, now time.Time) (change, error)) (View, error) {
	r, doc, err := s.load(ctx, p, id)
	if err != nil {
		return View{}, err
	}
	if version != 0 && version != doc.Version {
		return View{}, conflict()
	}
	now := s.now().UTC()
	ch, err := fn(&r, now)
	if err != nil {
		if pe := problem.As(err); pe != nil && (pe.Status == 403 || pe.Code == "invalid_state") {
			s.audit(ctx, p, ch.action, id, audit.Failure, pe.En, ch.details)
		}
		return View{}, err
	}
	return s.commit(ctx, p.UserID, r, doc.Version, now, ch)
}

// commit writes r with compare-and-set, together with its editions and
// its portal item: one PutAll, so readers never see a document whose item
// or edition history lags behind it, and a crash cannot leave one so.
func (s *Service) commit(ctx context.Context, actor string, r record, expect int64, now time.Time, ch change) (View, error) {
	r.UpdatedAt = now
	r.settle()
	writes := append([]store.Write(nil), ch.before...)
	// The document's compare-and-set comes first after ch.before: where
	// PutAll is ordered writes (mongostore without transactions), a
	// conflict then leaves nothing of this step behind.
	if err := addWrite(&writes, DocumentsCollection, r.ID, r, expect); err != nil {
		return View{}, err
	}
	for i, e := range ch.editions {
		if slices.ContainsFunc(ch.editions[i+1:], func(o *Edition) bool { return o.Number == e.Number }) {
			continue // written again below; PutAll takes one write per document
		}
		if err := addWrite(&writes, EditionsCollection, editionID(r.ID, e.Number), e, store.AnyVersion); err != nil {
			return View{}, err
		}
	}
	if ch.item {
		if it, ok := s.itemOf(r, r.Pub); ok {
			if err := addWrite(&writes, item.Collection, r.ID, it, store.AnyVersion); err != nil {
				return View{}, err
			}
			writes = append(writes, attachment.Writes(item.Collection, r.ID, it.MediaIDs()...)...)
		}
	}
	// Every file an edition shows (cover, attachments, images in the
	// body) is recorded as the document's, in the same write, so that a
	// download follows the document's rule (cms/mediarules.go).
	for _, e := range ch.editions {
		writes = append(writes, attachment.Writes(DocumentsCollection, r.ID, e.Fields.MediaIDs()...)...)
	}
	writes = dedupe(writes)
	var docs []store.Doc
	var err error
	if ch.action != "" {
		// The audit entry commits with the change: no step is stored
		// without its entry, even across a crash.
		docs, err = s.trail.Commit(ctx, writes, audit.Event{Actor: actor, Action: ch.action, Target: r.ID,
			Outcome: audit.Success, Details: ch.details})
	} else {
		docs, err = s.store.PutAll(ctx, writes)
	}
	if errors.Is(err, store.ErrConflict) {
		// The cause stays: store.Retry retries what it wraps.
		p := conflict()
		p.Cause = err
		return View{}, p
	}
	if err != nil {
		return View{}, err
	}
	saved := docs[len(ch.before)]
	if ch.propagate {
		// The source is committed: finish its consequences even if the
		// caller goes away.
		s.propagate(context.WithoutCancel(ctx), r)
	}
	s.consumer.Notify()
	return viewOf(r, saved), nil
}

func viewOf(r record, d store.Doc) View {
	return View{ID: r.ID, Document: r.Document, Draft: r.Draft, Published: r.Pub, Version: d.Version, Seq: d.Seq}
}

// settle derives the document's state and list title from its editions.
func (r *record) settle() {
	switch {
	case r.Draft != nil:
		r.State = r.Draft.State
		r.Title = r.Draft.Fields.Title
	case r.Live != "":
		r.State = r.Live
	default:
		r.State = StateDraft
	}
	if r.Draft == nil && r.Pub != nil {
		r.Title = r.Pub.Fields.Title
	}
	if r.State != StateInReview {
		r.Step, r.StepIndex, r.Queue, r.Barred = "", 0, nil, nil
	}
	if r.State != StateScheduled {
		r.PublishAt = nil
	}
}

func editionID(docID string, n int) string { return fmt.Sprintf("%s/%04d", docID, n) }

func (s *Service) audit(ctx context.Context, p *auth.Principal, action, target, outcome, reason string, details map[string]any) {
	if action == "" {
		return
	}
	s.auditActor(ctx, p.UserID, action, target, outcome, reason, details)
}

func (s *Service) auditActor(ctx context.Context, actor, action, target, outcome, reason string, details map[string]any) {
	if _, err := s.trail.Record(ctx, audit.Event{Actor: actor, Action: action, Target: target,
		Outcome: outcome, Reason: reason, Details: details}); err != nil {
		s.log.Error("audit write failed", "action", action, "target", target, "err", err)
	}
}

// dedupe keeps the first write of each document (PutAll takes one write
// per document; two editions may attach the same file).
func dedupe(writes []store.Write) []store.Write {
	seen := make(map[[2]string]bool, len(writes))
	out := writes[:0]
	for _, w := range writes {
		k := [2]string{w.Collection, w.ID}
		if !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out
}

// addWrite appends v, encoded, as a write of PutAll.
func addWrite(writes *[]store.Write, collection, id string, v any, expect int64) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", collection, id, err)
	}
	*writes = append(*writes, store.Write{Collection: collection, ID: id, Data: data, ExpectVersion: expect})
	return nil
}
