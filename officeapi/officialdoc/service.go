package officialdoc

import (
	"cmp"
	"context"
	"log/slog"

	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"zhengwu/officeapi/docnumber"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/officeapi/workflow"
	"zhengwu/search/feed"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
	"zhengwu/shared/store"
)

// Deps is what official documents need from the process.
type Deps struct {
	records.Deps
	// Calendar is the working calendar in force (a *workcal.Live follows edits).
	Calendar workcal.Provider
	// Holders answers who holds a role, permission or post (identity's
	// Holders): the organisation behind the flows' assignments.
	Holders func(ctx context.Context, q identity.HolderQuery) ([]string, error)
	// Account loads an account by id (identity's User): whom a transfer
	// (转办) or an added co-signer (加签) names must exist and be cleared.
	Account func(ctx context.Context, id string) (identity.User, error)
	// Departments lists the organisation tree (identity's Departments):
	// the units of the deployment a 发文 is exchanged with (their roots),
	// the departments 批办 may name. nil: a deployment of one unit, with
	// no exchange and no department named at 批办 accepted.
	Departments func(ctx context.Context) ([]identity.Department, error)
	// Notify tells a task's new holder, and the holders of an urged task
	// (notices.go); nil tells no one.
	Notify notify.Sender
}

// Service is official documents. Its list index's Start (after saving the
// default flows), Close and Notify are the module table's; the collection
// stays private, so that every write goes through the rules here.
type Service struct {
	*feed.ListIndex
	docs    *records.Collection[Document]
	flows   *workflow.Instances
	numbers *docnumber.Book
	trail   *audit.Trail
	env     workflow.Env
	now     func() time.Time
	zone    *time.Location
	flowOf  map[string]workflow.Definition // the default flow per direction: what Submit starts
	account func(ctx context.Context, id string) (identity.User, error)
	depts   func(ctx context.Context) ([]identity.Department, error)
	store   store.Store
	tasks   *taskBook // the open tasks by holder (tasks.go)
	notices notify.Sender
	log     *slog.Logger
}

// New opens the collection, its list index, the flow instances and the
// number register.
func New(d Deps) (*Service, error) {
	if d.Calendar == nil || d.Holders == nil || d.Account == nil {
		return nil, errors.New("officialdoc: Calendar, Holders and Account are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	c, err := records.Open(records.Config[Document]{Deps: d.Deps, Collection: Collection,
		Noun: records.Noun{Zh: "公文", En: "official document"}, Access: AccessOf,
		Mapping: records.MappingOf[Document]("body").Revise(accessRevision), Project: project})
	// Files attached before attachment references were written get theirs
	// (attachment.Backfill), so that their downloads find them.
	if err == nil {
		_, err = attachment.Backfill(context.Background(), d.Store, Collection, func(doc store.Doc) (string, string, []string, error) {
			var v Document
			err := doc.Decode(&v)
			return Collection, v.ID, v.files(), err
		})
	}
	if err != nil {
		return nil, err
	}
	numbers, err := docnumber.New(docnumber.Deps{Store: d.Store, Trail: d.Trail, Now: d.Now})
	if err != nil {
		return nil, err
	}
	zone, err := time.LoadLocation(workcal.Zone)
	if err != nil {
		return nil, err
	}
	defs, err := workflow.Defaults()
	if err != nil {
		return nil, err
	}
	env := workflow.Env{Calendar: d.Calendar, Resolve: Resolver(d.Holders)}
	return &Service{ListIndex: c.ListIndex, docs: c, flows: workflow.NewInstances(d.Store, d.Trail, env, d.Now),
		numbers: numbers, trail: d.Trail, env: env, now: d.Now, zone: zone, flowOf: defs, account: d.Account,
		depts: d.Departments, store: d.Store, tasks: &taskBook{store: d.Store}, notices: d.Notify,
		log: cmp.Or(d.Log, slog.Default())}, nil
}

// project is a document's fields in the list index: all but the body.
func project(d *Document) map[string]any {
	var m map[string]any
	data, err := json.Marshal(d)
	if err != nil || json.Unmarshal(data, &m) != nil {
		return nil
	}
	delete(m, "body")
	return m
}

// Start saves the default flows, starts the list index and loads the open
// tasks (tasks.go), so that the first desktop does not wait for them.
func (s *Service) Start(ctx context.Context) error {
	if err := s.install(ctx); err != nil {
		return err
	}
	if err := s.ListIndex.Start(ctx); err != nil {
		return err
	}
	return s.tasks.catchUp(ctx, s)
}

// install saves the default flows the store lacks; a saved version is
// never overwritten, and instances keep the version they started on.
func (s *Service) install(ctx context.Context) error {
	for _, key := range []string{Outgoing, Incoming} {
		def := s.flowOf[key]
		if _, err := s.flows.Definition(ctx, def.Key, def.Version); err == nil {
			continue
		}
		if err := s.flows.SaveDefinition(ctx, def); err != nil && !isConflict(err) {
			return err
		}
	}
	return nil
}

func isConflict(err error) bool {
	p := problem.As(err)
	return p != nil && p.Status == 409
}

// Get returns the document if p may read it; otherwise 404, whether or not
// it exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.docs.Get(ctx, p, id))
}

// Create files a draft in the drafter's department (the one given, or
// their only one), as someone holding doc.draft there.
func (s *Service) Create(ctx context.Context, a records.Actor, in Input) (View, error) {
	dept, err := records.FilingDepartment(a.P, in.Department)
	if err != nil {
		return View{}, err
	}
	if !a.P.Can(auth.PermDocDraft, dept) {
		return View{}, s.docs.Refused(ctx, a, "officialdoc.create", Collection+"/"+dept, problem.Forbidden())
	}
	if !a.P.MayRead(in.Classification) {
		return View{}, problem.Invalid(problem.Field("classification", "密级不能高于本人的涉密等级", "above your clearance"))
	}
	if err := checkInput(in); err != nil {
		return View{}, err
	}
	d := draftOf(a, in, dept, s.docs.Now())
	if d.Unit, err = s.unitOf(ctx, dept); err != nil {
		return View{}, err
	}
	return s.commit(ctx, a, &d, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: "officialdoc.create", Target: Collection + "/" + d.ID,
		Outcome: audit.Success, Details: map[string]any{"department": dept, "docType": d.DocType, "direction": d.Direction,
			"classification": string(d.Classification)}}, 0)
}

// draftOf is the new draft in's fields make, filed in dept by a.
func draftOf(a records.Actor, in Input, dept string, now time.Time) Document {
	d := Document{ID: uuid.NewString(), Direction: in.Direction, DocType: in.DocType, CopyNo: in.CopyNo, Classification: in.Classification,
		SecrecyPeriod: strings.TrimSpace(in.SecrecyPeriod), Urgency: in.Urgency, Issuer: strings.TrimSpace(in.Issuer),
		IssuerCode: strings.TrimSpace(in.IssuerCode), JointIssuers: trimAll(in.JointIssuers), Title: strings.TrimSpace(in.Title), MainTo: trimAll(in.MainTo),
		Body: richtext.Sanitize(in.Body), Attachments: in.Attachments, Signature: strings.TrimSpace(in.Signature),
		WrittenOn: in.WrittenOn, Note: strings.TrimSpace(in.Note), Sealed: in.DocType != "纪要", CopyTo: trimAll(in.CopyTo),
		PrintedBy: strings.TrimSpace(in.PrintedBy), Department: dept, Drafter: a.P.UserID, DrafterName: a.P.Name,
		Knowers: in.Knowers, Cosigners: in.Cosigners, State: StateDraft, CreatedAt: now, UpdatedAt: now}
	if d.MainTo == nil {
		d.MainTo = []string{}
	}
	return d
}

// commit writes a new document (version 0) or a change of one read at
// version, with its attachments' references, the revision of its 正文
// when the body changed (d.Revision counted up by the caller) and the
// audit entry, in one store write.
func (s *Service) commit(ctx context.Context, a records.Actor, d *Document, ev audit.Event, version int64, revised ...bool) (View, error) {
	if version == 0 || len(revised) > 0 && revised[0] {
		d.Revision++
	}
	docs, err := audit.UpdateAll(ctx, s.trail, func(ctx context.Context, b *store.Batch) ([]audit.Event, error) {
		data, err := store.Encode(d)
		if err != nil {
			return nil, err
		}
		if version != 0 { // a change of what the caller read: a later write makes it stale at once, not after retries
			if cur, err := s.store.Get(ctx, Collection, d.ID); err != nil {
				return nil, err
			} else if cur.Version != version {
				return nil, problem.Conflict("公文已被他人修改，请刷新后重试", "the document changed since it was read: reload and try again")
			}
		}
		b.Add(store.Write{Collection: Collection, ID: d.ID, Data: data, ExpectVersion: version})
		if version == 0 || len(revised) > 0 && revised[0] {
			if err := b.Save(RevisionCollection, revisionID(d.ID, d.Revision), Revision{Document: d.ID, N: d.Revision,
				Author: a.P.UserID, AuthorName: a.P.Name, At: d.UpdatedAt, Body: d.Body}); err != nil {
				return nil, err
			}
		}
		b.Add(attachment.Writes(Collection, d.ID, d.files()...)...)
		return []audit.Event{ev}, nil
	})
	if errors.Is(err, store.ErrConflict) {
		err = problem.Conflict("公文已被他人修改，请刷新后重试", "the document was changed meanwhile: reload and try again")
	}
	if err != nil {
		return View{}, err
	}
	s.Notify()
	return records.ViewOf(*d, docs[0], nil)
}

// checkInput holds a draft to the rules of its type and 密级 that the tags
// cannot say.
func checkInput(in Input) error {
	var fields []problem.FieldError
	bad := func(field, zh, en string) { fields = append(fields, problem.Field(field, zh, en)) }
	if strings.TrimSpace(in.Title) == "" {
		bad("title", "请填写标题", "a title is required")
	}
	if in.Classification == "非密" && strings.TrimSpace(in.SecrecyPeriod) != "" {
		bad("secrecyPeriod", "非密公文不标注保密期限", "an unclassified document has no secrecy period")
	}
	if in.Direction == Outgoing {
		if strings.TrimSpace(in.Issuer) == "" {
			bad("issuer", "请填写发文机关", "the issuer is required")
		}
		if err := docnumber.ValidatePrefix("issuerCode", strings.TrimSpace(in.IssuerCode)); err != nil {
			bad("issuerCode", "请填写机关代字（如 皖政办）", "the issuer code (as in 皖政办) is required")
		}
	}
	// 联合行文: each issuer named once, the 主办机关 first.
	seen := map[string]bool{strings.TrimSpace(in.Issuer): true}
	for _, j := range trimAll(in.JointIssuers) {
		if seen[j] {
			bad("jointIssuers", "联合发文机关不能重复（含主办机关）", "each joint issuer is named once, the lead issuer included")
			break
		}
		seen[j] = true
	}
	// 请示 一文一事: one matter, to one 主送机关.
	if in.DocType == "请示" && len(trimAll(in.MainTo)) != 1 {
		bad("mainTo", "请示应当一文一事，只主送一个机关", "a request (请示) is one matter to one principal recipient")
	}
	if len(fields) > 0 {
		return problem.Invalid(fields...)
	}
	return nil
}

func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
