package info

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/microcosm-cc/bluemonday"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/source"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Actor is who acts, from where.
type Actor struct {
	P  *auth.Principal
	IP string
}

// Service is the department information platforms.
type Service struct {
	store store.Store
	trail *audit.Trail
	now   func() time.Time
	log   *slog.Logger
	dir   string

	mu     sync.Mutex // guards the fields below
	ix     *index.Index
	feed   *feed.Consumer
	tmpDir string
	cancel context.CancelFunc
	done   chan struct{}
}

// New builds the service and registers info_items with the office search
// source. Its list index lives in dir (a temporary directory, removed on
// Close, when dir is ""); Start opens it and keeps it fed from the change
// feed, and until then lists answer 503.
func New(st store.Store, trail *audit.Trail, now func() time.Time, log *slog.Logger, dir string) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	source.Office.Add(Collection, searchProject)
	return &Service{store: st, trail: trail, now: now, log: log, dir: dir}
}

// Start opens the list index and feeds it from the change feed until
// Close (or ctx ends).
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ix != nil {
		return nil
	}
	dir := s.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "zhengwu-office-info-")
		if err != nil {
			return err
		}
		s.tmpDir, dir = tmp, filepath.Join(tmp, "index")
	}
	ix, err := index.Open(dir, listMapping())
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	s.ix = ix
	s.feed = &feed.Consumer{Store: s.store, Index: ix, Collections: []string{Collection}, Project: project, Logger: s.log}
	ctx, cancel := context.WithCancel(ctx)
	s.cancel, s.done = cancel, make(chan struct{})
	go func(c *feed.Consumer) {
		defer close(s.done)
		if err := c.Run(ctx); err != nil {
			s.log.Error("info index consumer stopped", "err", err)
		}
	}(s.feed)
	return nil
}

// started returns the index and its consumer, or a 503 before Start.
func (s *Service) started() (*index.Index, *feed.Consumer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ix == nil {
		return nil, nil, problem.New(503, problem.CodeUnavailable, "信息列表索引尚未启动", "the information index is not running")
	}
	return s.ix, s.feed, nil
}

func (s *Service) notify() {
	if _, c, err := s.started(); err == nil {
		c.Notify()
	}
}

// CatchUp applies the feed up to now (start-up and tests).
func (s *Service) CatchUp(ctx context.Context) error {
	_, c, err := s.started()
	if err != nil {
		return err
	}
	return c.CatchUp(ctx)
}

// Close stops the consumer and closes the index.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ix == nil {
		return nil
	}
	s.cancel()
	<-s.done
	err := s.ix.Close()
	s.ix, s.feed, s.cancel = nil, nil, nil
	if s.tmpDir != "" {
		_ = os.RemoveAll(s.tmpDir)
		s.tmpDir = ""
	}
	return err
}

// ---- validation and sanitising ----

var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li",
		"blockquote", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "hr")
	p.AllowAttrs("href").OnElements("a")
	p.AllowStandardURLs()
	p.RequireNoFollowOnLinks(true)
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[0-9]{1,2}$`)).OnElements("td", "th")
	return p
}()

var tagRe = regexp.MustCompile(`<[^>]*>`)

// Sanitize keeps the allow-listed HTML of rich text.
func Sanitize(s string) string { return policy.Sanitize(s) }

func plainText(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(s, " "))), " ")
}

func validKind(k string) bool {
	return k == KindNotice || k == KindBriefing || k == KindUpdate || k == KindInternal
}

func validState(s string) bool {
	return s == StateDraft || s == StateSubmitted || s == StatePublished || s == StateRejected || s == StateWithdrawn
}

var channelRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Input is the editable part of an item (create and update).
type Input struct {
	Department     string               `json:"department"`
	Kind           string               `json:"kind" validate:"required,oneof=notice briefing update internal"`
	Title          string               `json:"title" validate:"required,max=200"`
	Summary        string               `json:"summary" validate:"max=1000"`
	Body           string               `json:"body" validate:"max=500000"`
	Classification classification.Level `json:"classification" validate:"required,classification"`
	Principals     []string             `json:"principals" validate:"max=500,dive,required,max=64"`
	Audience       string               `json:"audience" validate:"required,oneof=department office portal"`
	Attachments    []Attachment         `json:"attachments" validate:"max=50,dive"`
}

func (in *Input) check(p *auth.Principal) error {
	if strings.TrimSpace(in.Title) == "" {
		return problem.Invalid(problem.Field("title", "标题不能为空", "title is required"))
	}
	if !p.MayRead(in.Classification) {
		return problem.Invalid(problem.Field("classification", "密级不能高于您本人的密级", "classification is above your clearance"))
	}
	return nil
}

func (in *Input) apply(it *Item) {
	it.Kind, it.Title, it.Summary = in.Kind, strings.TrimSpace(in.Title), strings.TrimSpace(in.Summary)
	it.Body = Sanitize(in.Body)
	it.Classification, it.Audience = in.Classification, in.Audience
	it.Principals = []string{}
	for _, u := range in.Principals {
		if !slices.Contains(it.Principals, u) {
			it.Principals = append(it.Principals, u)
		}
	}
	if len(it.Principals) > 0 && !slices.Contains(it.Principals, it.Author) {
		it.Principals = append(it.Principals, it.Author)
	}
	it.Attachments = append([]Attachment{}, in.Attachments...)
}

// ---- reading ----

func notFound() error { return problem.NotFound("信息不存在", "no such item") }

// Get returns the item if p may read it; otherwise 404, whether or not it exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	doc, err := s.store.Get(ctx, Collection, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
		return View{}, notFound()
	}
	if err != nil {
		return View{}, err
	}
	var it Item
	if err := doc.Decode(&it); err != nil {
		return View{}, err
	}
	if !MayRead(p, &it) {
		return View{}, notFound()
	}
	return View{Item: it, Version: doc.Version, Seq: doc.Seq}, nil
}

// ---- writing ----

func (s *Service) audit(ctx context.Context, a Actor, action, id string, err error, details map[string]any) error {
	ev := audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action, Target: Collection + "/" + id,
		Outcome: audit.Success, Details: details}
	if err != nil {
		ev.Outcome = audit.Failure
		if p := problem.As(err); p != nil {
			ev.Reason = p.Code + ": " + p.En
		} else {
			ev.Reason = "error"
		}
	}
	_, aerr := s.trail.Record(ctx, ev)
	return aerr
}

// Create writes a new draft in a department.
func (s *Service) Create(ctx context.Context, a Actor, in Input) (View, error) {
	if in.Department == "" {
		return View{}, problem.Invalid(problem.Field("department", "部门不能为空", "department is required"))
	}
	if !a.P.Can(PermEdit, in.Department) {
		err := problem.Forbidden()
		_ = s.audit(ctx, a, "info.item.create", in.Department, err, nil)
		return View{}, err
	}
	if err := in.check(a.P); err != nil {
		return View{}, err
	}
	now := s.now().UTC()
	it := Item{ID: uuid.NewString(), Department: in.Department, State: StateDraft, Revision: 1,
		Author: a.P.UserID, CreatedAt: now, UpdatedAt: now}
	in.apply(&it)
	doc, err := store.Save(ctx, s.store, Collection, it.ID, it, 0)
	if err != nil {
		return View{}, err
	}
	s.notify()
	if err := s.audit(ctx, a, "info.item.create", it.ID, nil, map[string]any{"department": it.Department, "classification": it.Classification}); err != nil {
		return View{}, err
	}
	return View{Item: it, Version: doc.Version, Seq: doc.Seq}, nil
}

// Update edits an item at the given version (stale: 409). Editing a
// published item bumps its revision and returns it to review.
func (s *Service) Update(ctx context.Context, a Actor, id string, version int64, in Input) (View, error) {
	cur, err := s.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	it := cur.Item
	if !a.P.Can(PermEdit, it.Department) {
		err := problem.Forbidden()
		_ = s.audit(ctx, a, "info.item.update", id, err, nil)
		return View{}, err
	}
	if in.Department != "" && in.Department != it.Department {
		return View{}, problem.Invalid(problem.Field("department", "不能修改所属部门", "department cannot be changed"))
	}
	if err := in.check(a.P); err != nil {
		return View{}, err
	}
	if version != cur.Version {
		return View{}, stale()
	}
	prevClass := it.Classification
	in.apply(&it)
	switch it.State {
	case StatePublished:
		it.Revision++
		it.State = StateSubmitted
	case StateRejected, StateWithdrawn:
		it.State = StateDraft
	}
	it.RejectedReason, it.WithdrawnReason = "", ""
	// A changed item needs a fresh portal approval; a classified or
	// restricted one loses its designation altogether.
	it.Portal.Approved = false
	if it.Classification != classification.Feimi || len(it.Principals) > 0 || it.Audience != AudiencePortal {
		it.Portal.Designated = false
	}
	it.UpdatedAt = s.now().UTC()
	doc, err := store.Save(ctx, s.store, Collection, id, it, version)
	if errors.Is(err, store.ErrConflict) {
		return View{}, stale()
	}
	if err != nil {
		return View{}, err
	}
	s.notify()
	if err := s.audit(ctx, a, "info.item.update", id, nil, map[string]any{"revision": it.Revision,
		"classification": it.Classification, "previousClassification": prevClass}); err != nil {
		return View{}, err
	}
	return View{Item: it, Version: doc.Version, Seq: doc.Seq}, nil
}

func stale() error {
	return problem.Conflict("信息已被他人修改，请刷新后重试", "the item was changed by someone else; reload and retry")
}

var stateNames = map[string]string{StateDraft: "草稿", StateSubmitted: "待审核", StatePublished: "已发布",
	StateRejected: "已退回", StateWithdrawn: "已撤回"}

func wrongState(it *Item, want ...string) error {
	if slices.Contains(want, it.State) {
		return nil
	}
	return problem.New(409, "invalid_state", "当前状态（"+stateNames[it.State]+"）不能执行此操作",
		"not allowed in state "+it.State).With("state", it.State)
}

// transition applies one workflow step as a compare-and-set on the
// current document, checking rights and state inside it; every attempt
// is audited.
func (s *Service) transition(ctx context.Context, a Actor, action, id string, step func(*Item) error, details map[string]any) (View, error) {
	if _, err := s.Get(ctx, a.P, id); err != nil {
		return View{}, err
	}
	it, doc, err := store.Update(ctx, s.store, Collection, id, func(it *Item) error {
		if !MayRead(a.P, it) {
			return notFound()
		}
		if err := step(it); err != nil {
			return err
		}
		it.UpdatedAt = s.now().UTC()
		return nil
	})
	if err != nil {
		if p := problem.As(err); p != nil && p.Status != 404 {
			_ = s.audit(ctx, a, action, id, err, details)
		}
		return View{}, err
	}
	s.notify()
	if details == nil {
		details = map[string]any{}
	}
	details["state"], details["revision"] = it.State, it.Revision
	if err := s.audit(ctx, a, action, id, nil, details); err != nil {
		return View{}, err
	}
	return View{Item: it, Version: doc.Version, Seq: doc.Seq}, nil
}

func mayReview(p *auth.Principal, it *Item) bool {
	if it.Audience == AudienceDepartment {
		return p.Can(PermReview, it.Department)
	}
	return p.Can(PermReview, auth.OfficeWide)
}

// Submit sends a draft or rejected item to review.
func (s *Service) Submit(ctx context.Context, a Actor, id string) (View, error) {
	return s.transition(ctx, a, "info.item.submit", id, func(it *Item) error {
		if !a.P.Can(PermEdit, it.Department) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateDraft, StateRejected); err != nil {
			return err
		}
		it.State, it.RejectedReason = StateSubmitted, ""
		return nil
	}, nil)
}

// Approve publishes a submitted item (department review for department
// items, the office information section for office and portal items) and
// applies the auto-publish rules.
func (s *Service) Approve(ctx context.Context, a Actor, id string) (View, error) {
	rules, err := s.Rules(ctx)
	if err != nil {
		return View{}, err
	}
	details := map[string]any{}
	return s.transition(ctx, a, "info.item.approve", id, func(it *Item) error {
		if !mayReview(a.P, it) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateSubmitted); err != nil {
			return err
		}
		now := s.now().UTC()
		it.State, it.PublishedAt = StatePublished, &now
		delete(details, "rule")
		if it.Audience == AudienceDepartment {
			return nil
		}
		for _, r := range rules {
			if r.Department != it.Department || r.Kind != it.Kind {
				continue
			}
			if it.Classification != classification.Feimi || len(it.Principals) > 0 {
				details["ruleSkipped"] = r.ID
				break
			}
			it.Audience = AudiencePortal
			it.Portal = Portal{Designated: true, Channel: r.Channel, Approved: true, ApprovedBy: "rule:" + r.ID,
				ApprovedAt: &now, ApprovedRevision: it.Revision, EmbargoUntil: it.Portal.EmbargoUntil}
			details["rule"] = r.ID
			break
		}
		return nil
	}, details)
}

// Reject returns a submitted item to its department with a reason.
func (s *Service) Reject(ctx context.Context, a Actor, id, reason string) (View, error) {
	return s.transition(ctx, a, "info.item.reject", id, func(it *Item) error {
		if !mayReview(a.P, it) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateSubmitted); err != nil {
			return err
		}
		it.State, it.RejectedReason = StateRejected, reason
		return nil
	}, map[string]any{"reason": reason})
}

// Withdraw takes a submitted or published item down.
func (s *Service) Withdraw(ctx context.Context, a Actor, id, reason string) (View, error) {
	return s.transition(ctx, a, "info.item.withdraw", id, func(it *Item) error {
		if !a.P.Can(PermEdit, it.Department) && !mayReview(a.P, it) {
			return problem.Forbidden()
		}
		if err := wrongState(it, StateSubmitted, StatePublished); err != nil {
			return err
		}
		it.State, it.WithdrawnReason = StateWithdrawn, reason
		it.Portal.Approved = false
		return nil
	}, map[string]any{"reason": reason})
}

func classifiedRefusal(it *Item) error {
	if it.Classification != classification.Feimi {
		return problem.Invalid(problem.Field("classification",
			"密级为“"+string(it.Classification)+"”的信息不得发往门户网站，只有非密信息可以",
			"only unclassified (非密) items may go to the portal")).With("classification", it.Classification)
	}
	if len(it.Principals) > 0 {
		return problem.Invalid(problem.Field("principals", "限定知悉范围的信息不得发往门户网站",
			"items with a need-to-know list may not go to the portal"))
	}
	if it.Audience != AudiencePortal {
		return problem.Invalid(problem.Field("audience", "只有发布范围为“门户”的信息可以发往门户网站",
			"only items with audience portal may go to the portal"))
	}
	return nil
}

// Designate marks an item for a portal channel (the department's editor).
func (s *Service) Designate(ctx context.Context, a Actor, id, channel string, embargo *time.Time) (View, error) {
	return s.transition(ctx, a, "info.item.designate", id, func(it *Item) error {
		if !a.P.Can(PermEdit, it.Department) {
			return problem.Forbidden()
		}
		if err := classifiedRefusal(it); err != nil {
			return err
		}
		if err := wrongState(it, StateDraft, StateSubmitted, StatePublished); err != nil {
			return err
		}
		it.Portal.Designated, it.Portal.Channel, it.Portal.EmbargoUntil = true, channel, embargo
		it.Portal.Approved = false
		return nil
	}, map[string]any{"channel": channel})
}

// PortalApprove lets the gateway carry the item's current revision.
func (s *Service) PortalApprove(ctx context.Context, a Actor, id string) (View, error) {
	return s.transition(ctx, a, "info.item.portal_approve", id, func(it *Item) error {
		if !a.P.Can(PermPublish, auth.OfficeWide) {
			return problem.Forbidden()
		}
		if err := classifiedRefusal(it); err != nil {
			return err
		}
		if err := wrongState(it, StatePublished); err != nil {
			return err
		}
		if !it.Portal.Designated || it.Portal.Channel == "" {
			return problem.Invalid(problem.Field("portal.designated", "信息尚未指定门户栏目", "the item is not designated for a portal channel"))
		}
		now := s.now().UTC()
		it.Portal.Approved, it.Portal.ApprovedBy, it.Portal.ApprovedAt = true, a.P.UserID, &now
		it.Portal.ApprovedRevision = it.Revision
		return nil
	}, nil)
}

// PortalRevoke withdraws the portal approval.
func (s *Service) PortalRevoke(ctx context.Context, a Actor, id, reason string) (View, error) {
	return s.transition(ctx, a, "info.item.portal_revoke", id, func(it *Item) error {
		if !a.P.Can(PermPublish, auth.OfficeWide) {
			return problem.Forbidden()
		}
		if !it.Portal.Approved {
			return problem.New(409, "invalid_state", "该信息未获门户发布批准", "the item is not portal-approved")
		}
		it.Portal.Approved = false
		return nil
	}, map[string]any{"reason": reason})
}

// ---- auto-publish rules ----

// RuleInput is a new rule.
type RuleInput struct {
	Department string `json:"department" validate:"required,max=64"`
	Kind       string `json:"kind" validate:"required,oneof=notice briefing update internal"`
	Channel    string `json:"channel" validate:"required,max=64"`
}

// Rules lists the auto-publish rules (a small reference set).
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	out := []Rule{}
	after := ""
	for {
		docs, err := s.store.Scan(ctx, RulesCollection, after, 500)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			var r Rule
			if err := d.Decode(&r); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if len(docs) < 500 {
			return out, nil
		}
		after = docs[len(docs)-1].ID
	}
}

// AddRule creates a rule (policy.manage).
func (s *Service) AddRule(ctx context.Context, a Actor, in RuleInput) (Rule, error) {
	if !a.P.Can(PermPolicy, auth.OfficeWide) {
		err := problem.Forbidden()
		_, _ = s.trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "info.rule.create",
			Target: RulesCollection, Outcome: audit.Failure, Reason: "forbidden"})
		return Rule{}, err
	}
	if !channelRe.MatchString(in.Channel) {
		return Rule{}, problem.Invalid(problem.Field("channel", "栏目标识只能由小写字母、数字、-和_组成", "channel must be a lowercase key"))
	}
	r := Rule{ID: uuid.NewString(), Department: in.Department, Kind: in.Kind, Channel: in.Channel,
		CreatedBy: a.P.UserID, CreatedAt: s.now().UTC()}
	if _, err := store.Save(ctx, s.store, RulesCollection, r.ID, r, 0); err != nil {
		return Rule{}, err
	}
	ev := audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "info.rule.create", Target: RulesCollection + "/" + r.ID,
		Outcome: audit.Success, Details: map[string]any{"department": r.Department, "kind": r.Kind, "channel": r.Channel}}
	if _, err := s.trail.Record(ctx, ev); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// DeleteRule removes a rule (policy.manage).
func (s *Service) DeleteRule(ctx context.Context, a Actor, id string) error {
	if !a.P.Can(PermPolicy, auth.OfficeWide) {
		err := problem.Forbidden()
		_, _ = s.trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "info.rule.delete",
			Target: RulesCollection + "/" + id, Outcome: audit.Failure, Reason: "forbidden"})
		return err
	}
	if _, err := s.store.Delete(ctx, RulesCollection, id, store.AnyVersion); err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalid) {
			return problem.NotFound("规则不存在", "no such rule")
		}
		return err
	}
	_, err := s.trail.Record(ctx, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "info.rule.delete",
		Target: RulesCollection + "/" + id, Outcome: audit.Success})
	return err
}

// ValidChannel reports whether s is a well-formed portal channel key.
func ValidChannel(s string) bool { return channelRe.MatchString(s) }
