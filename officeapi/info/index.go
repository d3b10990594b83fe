package info

import (
	"context"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/analysis"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/richtext"
)

// Fields of the list index: Summary's, and the text a search matches.
const (
	fDepartment  = "department"
	fKind        = "kind"
	fState       = "state"
	fAudience    = "audience"
	fAuthor      = "author"
	fClass       = "classification"
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

// listMapping indexes an item as its Summary, plus its text.
func listMapping() *index.Mapping {
	return records.MappingOf[Summary]().FullText(fText, analysis.Analyzer, false)
}

// project is the list index's document of an item: its Summary's fields
// and its text.
func project(it *Item) map[string]any {
	m := map[string]any{
		fDepartment: it.Department, fKind: it.Kind, fState: it.State, fAudience: it.Audience,
		fAuthor: it.Author, fClass: it.Classification, fTitle: it.Title, fSummary: it.Summary,
		fText:     it.Title + "\n" + it.Summary + "\n" + richtext.PlainText(it.Body),
		fRevision: float64(it.Revision), fDesignated: it.Portal.Designated, fApproved: it.Portal.Approved,
		fCreatedAt: it.CreatedAt, fUpdatedAt: it.UpdatedAt,
	}
	if it.Portal.Channel != "" {
		m[fChannel] = it.Portal.Channel
	}
	if it.PublishedAt != nil {
		m[fPublishedAt] = *it.PublishedAt
	}
	return m
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
	ID             string               `json:"id"`
	Department     string               `json:"department"`
	Kind           string               `json:"kind"`
	Title          string               `json:"title"`
	Summary        string               `json:"summary"`
	Classification classification.Level `json:"classification"`
	Audience       string               `json:"audience"`
	State          string               `json:"state"`
	Revision       int                  `json:"revision"`
	Author         string               `json:"author"`
	Designated     bool                 `json:"designated"`
	Approved       bool                 `json:"approved"`
	Channel        string               `json:"channel,omitempty"`
	CreatedAt      *time.Time           `json:"createdAt,omitempty"`
	UpdatedAt      *time.Time           `json:"updatedAt,omitempty"`
	PublishedAt    *time.Time           `json:"publishedAt,omitempty"`
}

// Page is one page of a list.
type Page struct {
	Items []Summary `json:"items"`
	Total uint64    `json:"total"`
	Next  string    `json:"next,omitempty"`
}

// query is one page of items p may read that match filters.
func (s *Service) query(ctx context.Context, p *auth.Principal, filters []index.Filter, sort string, size int, cursor string) (Page, error) {
	pg, err := records.ListAs[Summary](ctx, s.items, p, records.Query{Sort: sort, Size: size, Cursor: cursor}, filters...)
	return Page(pg), err
}

// List answers GET /info/items from the index, the reader's rights in the query.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) (Page, error) {
	if err := s.items.Wait(ctx, q.ConsistentWith); err != nil {
		return Page{}, err
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
	return s.query(ctx, p, f, "-"+fUpdatedAt, q.Size, q.Cursor)
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
	if err := s.items.Wait(ctx, consistentWith); err != nil {
		return Desktop{}, err
	}
	d := Desktop{Departments: append([]string{}, p.Departments...)}
	const n = 10
	pub := index.Term(fState, StatePublished)
	dept, err := s.query(ctx, p, []index.Filter{pub, index.Terms(fDepartment, p.Departments...)}, "-"+fPublishedAt, n, "")
	if err != nil {
		return d, err
	}
	d.Department = dept.Items
	office, err := s.query(ctx, p, []index.Filter{pub, index.Terms(fAudience, AudienceOffice, AudiencePortal)}, "-"+fPublishedAt, n, "")
	if err != nil {
		return d, err
	}
	d.Office = office.Items
	d.AwaitingReview = []Summary{}
	if scopes := p.Scopes(PermReview); len(scopes) > 0 {
		f := []index.Filter{index.Term(fState, StateSubmitted)}
		if !p.Can(PermReview, auth.OfficeWide) {
			f = append(f, index.Term(fAudience, AudienceDepartment), index.Terms(fDepartment, scopes...))
		}
		r, err := s.query(ctx, p, f, "-"+fUpdatedAt, n, "")
		if err != nil {
			return d, err
		}
		d.AwaitingReview, d.PendingTotal = r.Items, d.PendingTotal+r.Total
	}
	d.AwaitingPortal = []Summary{}
	if p.Can(PermPublish, auth.OfficeWide) {
		r, err := s.query(ctx, p, []index.Filter{pub, index.Term(fAudience, AudiencePortal),
			index.Term(fDesignated, "true"), index.Term(fApproved, "false"), index.Term(fClass, string(classification.Feimi))}, "-"+fUpdatedAt, n, "")
		if err != nil {
			return d, err
		}
		d.AwaitingPortal, d.PendingTotal = r.Items, d.PendingTotal+r.Total
	}
	drafts, err := s.query(ctx, p, []index.Filter{index.Term(fAuthor, p.UserID), index.Terms(fState, StateDraft, StateRejected)}, "-"+fUpdatedAt, n, "")
	if err != nil {
		return d, err
	}
	d.Drafts, d.PendingTotal = drafts.Items, d.PendingTotal+drafts.Total
	return d, nil
}
