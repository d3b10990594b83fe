package info

import (
	"context"
	"errors"
	"time"

	"zhengwu/search/analysis"
	"zhengwu/search/index"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Fields of the list index.
const (
	fDepartment  = "department"
	fKind        = "kind"
	fState       = "state"
	fAudience    = "audience"
	fAuthor      = "author"
	fClass       = "classification"
	fClassRank   = "classRank"
	fReaders     = "readers"
	fTitle       = "title"
	fSummary     = "summary"
	fText        = "text"
	fRevision    = "revision"
	fDesignated  = "designated"
	fApproved    = "approved"
	fChannel     = "channel"
	fCreatedAt   = "createdAt"
	fUpdatedAt   = "updatedAt"
	fPublishedAt = "publishedAt"
)

func listMapping() *index.Mapping {
	return index.NewMapping().
		Keyword(fDepartment).Keyword(fKind).Keyword(fState).Keyword(fAudience).Keyword(fAuthor).
		Keyword(fClass).Numeric(fClassRank).Keyword(fReaders).Keyword(fChannel).
		Keyword(fTitle).Keyword(fSummary).
		FullText(fText, analysis.Analyzer, false).
		Numeric(fRevision).Bool(fDesignated).Bool(fApproved).
		Datetime(fCreatedAt).Datetime(fUpdatedAt).Datetime(fPublishedAt)
}

// listFields are returned with each listed item.
var listFields = []string{fDepartment, fKind, fState, fAudience, fAuthor, fClass, fTitle, fSummary,
	fRevision, fDesignated, fApproved, fChannel, fCreatedAt, fUpdatedAt, fPublishedAt}

// project is the list index's document of an item.
func project(d store.Doc) (any, bool) {
	var it Item
	if err := d.Decode(&it); err != nil || auth.ClearanceRank(it.Classification) < 0 {
		return nil, false // fail closed: an item of unknown classification is never listed
	}
	m := map[string]any{
		fDepartment: it.Department, fKind: it.Kind, fState: it.State, fAudience: it.Audience,
		fAuthor: it.Author, fClass: it.Classification, fClassRank: float64(auth.ClearanceRank(it.Classification)),
		fReaders: readers(&it), fTitle: it.Title, fSummary: it.Summary,
		fText:     it.Title + "\n" + it.Summary + "\n" + plainText(it.Body),
		fRevision: float64(it.Revision), fDesignated: it.Portal.Designated, fApproved: it.Portal.Approved,
		fCreatedAt: it.CreatedAt, fUpdatedAt: it.UpdatedAt,
	}
	if it.Portal.Channel != "" {
		m[fChannel] = it.Portal.Channel
	}
	if it.PublishedAt != nil {
		m[fPublishedAt] = *it.PublishedAt
	}
	return m, true
}

// searchProject registers published items with the office full-text search.
func searchProject(d store.Doc) (source.Doc, bool) {
	var it Item
	if err := d.Decode(&it); err != nil || it.State != StatePublished {
		return source.Doc{}, false
	}
	sd := source.Doc{
		Title: it.Title, Summary: it.Summary, Body: plainText(it.Body), Type: it.Kind,
		Path: "/office/info/items/" + it.ID, Classification: it.Classification,
		Visibility: source.Internal, Department: auth.OfficeWide,
	}
	if it.PublishedAt != nil {
		sd.PublishedAt = *it.PublishedAt
	}
	if it.Audience == AudienceDepartment {
		sd.Department = it.Department
	}
	if len(it.Principals) > 0 {
		sd.Visibility = source.Restricted
		sd.Principals = append([]string{it.Author}, it.Principals...)
	}
	return sd, true
}

// ListQuery is a list request.
type ListQuery struct {
	Scope      string // "", department, office
	Department string
	Kind       string
	State      string
	Q          string
	Size       int
	Cursor     string
	// ConsistentWith: wait until the index has applied this feed sequence.
	ConsistentWith string
}

// Summary is one listed item (from the index, without the body).
type Summary struct {
	ID             string     `json:"id"`
	Department     string     `json:"department"`
	Kind           string     `json:"kind"`
	Title          string     `json:"title"`
	Summary        string     `json:"summary"`
	Classification string     `json:"classification"`
	Audience       string     `json:"audience"`
	State          string     `json:"state"`
	Revision       int        `json:"revision"`
	Author         string     `json:"author"`
	Designated     bool       `json:"designated"`
	Approved       bool       `json:"approved"`
	Channel        string     `json:"channel,omitempty"`
	CreatedAt      *time.Time `json:"createdAt,omitempty"`
	UpdatedAt      *time.Time `json:"updatedAt,omitempty"`
	PublishedAt    *time.Time `json:"publishedAt,omitempty"`
}

// Page is one page of a list.
type Page struct {
	Items []Summary `json:"items"`
	Total uint64    `json:"total"`
	Next  string    `json:"next,omitempty"`
}

// acl is the reader's rights as index filters: every list carries them.
func acl(p *auth.Principal) []index.Filter {
	rank := auth.ClearanceRank(p.Clearance)
	return []index.Filter{
		index.Terms(fReaders, readerTokens(p)...),
		index.Range(fClassRank, 0, rank+1), // rank -1 (no clearance): matches nothing
	}
}

func (s *Service) list(ctx context.Context, p *auth.Principal, filters []index.Filter, sort string, size int, cursor string) (Page, error) {
	q := index.Query{Filters: append(acl(p), filters...), Sort: []string{sort}, Size: size, After: cursor, Fields: listFields}
	ix, _, err := s.started()
	if err != nil {
		return Page{}, err
	}
	res, err := ix.List(ctx, q)
	if err != nil {
		return Page{}, listErr(err)
	}
	out := Page{Items: make([]Summary, 0, len(res.Hits)), Total: res.Total, Next: res.Next}
	for _, h := range res.Hits {
		out.Items = append(out.Items, summaryOf(h))
	}
	return out, nil
}

func listErr(err error) error {
	var pe *index.ParamError
	switch {
	case errors.As(err, &pe):
		return problem.Invalid(problem.Field(pe.Param, "参数无效："+pe.Reason, "invalid: "+pe.Reason))
	case errors.Is(err, index.ErrWaitTimeout):
		return problem.New(503, problem.CodeUnavailable, "列表尚未更新，请稍后重试", "the list has not caught up yet; retry")
	}
	return err
}

func summaryOf(h index.Hit) Summary {
	str := func(k string) string { v, _ := h.Fields[k].(string); return v }
	tm := func(k string) *time.Time {
		if v, ok := h.Fields[k].(time.Time); ok {
			return &v
		}
		return nil
	}
	rev, _ := h.Fields[fRevision].(float64)
	des, _ := h.Fields[fDesignated].(bool)
	app, _ := h.Fields[fApproved].(bool)
	return Summary{ID: h.ID, Department: str(fDepartment), Kind: str(fKind), Title: str(fTitle), Summary: str(fSummary),
		Classification: str(fClass), Audience: str(fAudience), State: str(fState), Revision: int(rev),
		Author: str(fAuthor), Designated: des, Approved: app, Channel: str(fChannel),
		CreatedAt: tm(fCreatedAt), UpdatedAt: tm(fUpdatedAt), PublishedAt: tm(fPublishedAt)}
}

// List answers GET /info/items from the index, the reader's rights in the query.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	ix, _, err := s.started()
	if err != nil {
		return Page{}, err
	}
	if err := index.ConsistentWith(ctx, ix, q.ConsistentWith, 2*time.Second, s.store.LastSeq); err != nil {
		return Page{}, listErr(err)
	}
	var f []index.Filter
	switch q.Scope {
	case "":
		if q.Department != "" {
			f = append(f, index.Term(fDepartment, q.Department))
		}
	case "department":
		if q.Department != "" {
			f = append(f, index.Term(fDepartment, q.Department))
		} else {
			f = append(f, index.Terms(fDepartment, p.Departments...))
		}
	case "office":
		f = append(f, index.Terms(fAudience, AudienceOffice, AudiencePortal), index.Term(fState, StatePublished))
		if q.Department != "" {
			f = append(f, index.Term(fDepartment, q.Department))
		}
	default:
		return Page{}, problem.Invalid(problem.Field("scope", "取值必须是 department 或 office", "must be department or office"))
	}
	if q.Kind != "" {
		if !validKind(q.Kind) {
			return Page{}, problem.Invalid(problem.Field("kind", "取值必须是 notice、briefing、update 或 internal", "must be notice, briefing, update or internal"))
		}
		f = append(f, index.Term(fKind, q.Kind))
	}
	if q.State != "" {
		if !validState(q.State) {
			return Page{}, problem.Invalid(problem.Field("state", "取值必须是 draft、submitted、published、rejected 或 withdrawn", "must be draft, submitted, published, rejected or withdrawn"))
		}
		f = append(f, index.Term(fState, q.State))
	}
	if q.Q != "" {
		if len([]rune(q.Q)) > 100 {
			return Page{}, problem.Invalid(problem.Field("q", "检索词不能超过 100 个字", "q is at most 100 characters"))
		}
		f = append(f, index.Match(fText, q.Q))
	}
	return s.list(ctx, p, f, "-"+fUpdatedAt, q.Size, q.Cursor)
}

// Desktop is what the signed-in user's desktop shows.
type Desktop struct {
	Departments    []string  `json:"departments"`
	Department     []Summary `json:"department"`     // their department platforms, newest published
	Office         []Summary `json:"office"`         // the office-wide platform, newest published
	AwaitingReview []Summary `json:"awaitingReview"` // submitted items they may approve
	AwaitingPortal []Summary `json:"awaitingPortal"` // designated, published, not yet portal-approved
	Drafts         []Summary `json:"drafts"`         // their own drafts and rejected items
	PendingTotal   uint64    `json:"pendingTotal"`
}

// Desktop gathers the desktop's lists, each from the index.
func (s *Service) Desktop(ctx context.Context, p *auth.Principal, consistentWith string) (Desktop, error) {
	ix, _, err := s.started()
	if err != nil {
		return Desktop{}, err
	}
	if err := index.ConsistentWith(ctx, ix, consistentWith, 2*time.Second, s.store.LastSeq); err != nil {
		return Desktop{}, listErr(err)
	}
	d := Desktop{Departments: append([]string{}, p.Departments...)}
	const n = 10
	pub := index.Term(fState, StatePublished)
	dept, err := s.list(ctx, p, []index.Filter{pub, index.Terms(fDepartment, p.Departments...)}, "-"+fPublishedAt, n, "")
	if err != nil {
		return d, err
	}
	d.Department = dept.Items
	office, err := s.list(ctx, p, []index.Filter{pub, index.Terms(fAudience, AudienceOffice, AudiencePortal)}, "-"+fPublishedAt, n, "")
	if err != nil {
		return d, err
	}
	d.Office = office.Items
	d.AwaitingReview = []Summary{}
	if scopes := p.Perms[PermReview]; len(scopes) > 0 {
		f := []index.Filter{index.Term(fState, StateSubmitted)}
		if !p.Can(PermReview, auth.OfficeWide) {
			f = append(f, index.Term(fAudience, AudienceDepartment), index.Terms(fDepartment, scopes...))
		}
		r, err := s.list(ctx, p, f, "-"+fUpdatedAt, n, "")
		if err != nil {
			return d, err
		}
		d.AwaitingReview, d.PendingTotal = r.Items, d.PendingTotal+r.Total
	}
	d.AwaitingPortal = []Summary{}
	if p.Can(PermPublish, auth.OfficeWide) {
		r, err := s.list(ctx, p, []index.Filter{pub, index.Term(fAudience, AudiencePortal),
			index.Term(fDesignated, "true"), index.Term(fApproved, "false"), index.Term(fClass, auth.Unclassified)}, "-"+fUpdatedAt, n, "")
		if err != nil {
			return d, err
		}
		d.AwaitingPortal, d.PendingTotal = r.Items, d.PendingTotal+r.Total
	}
	drafts, err := s.list(ctx, p, []index.Filter{index.Term(fAuthor, p.UserID), index.Terms(fState, StateDraft, StateRejected)}, "-"+fUpdatedAt, n, "")
	if err != nil {
		return d, err
	}
	d.Drafts, d.PendingTotal = drafts.Items, d.PendingTotal+drafts.Total
	return d, nil
}
