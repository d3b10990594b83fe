// Package source says what the search indexes hold: for each index (portal,
// office), the store collections it projects and how a stored document
// becomes a search document, with the access-control fields the query API
// filters on (visibility, classification, department, need-to-know
// principals).
//
// The portal source projects the published portal items (collection
// portal_items) with the text of their PDF and DOCX attachments. The
// office source starts empty: later issues register office collections
// with Office.Add before the search service is constructed.
package source

import (
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// Names of the indexes (the scope parameter of the search API).
const (
	PortalName = "portal"
	OfficeName = "office"
)

// FieldPath is the reader-facing path of a hit (not part of query.Mapping;
// Mapping adds it).
const FieldPath = "path"

// Visibilities of a search document.
const (
	Public   = "public"   // anyone, signed in or not (portal only)
	Internal = "internal" // signed-in readers
	// Restricted: only the listed Principals, whatever the department.
	Restricted = "restricted"
)

// Doc is what a projection returns: one search document with its
// access-control fields. Classification is a clearance level of package
// auth (非密, 秘密, 机密; "" means 非密); a document with an unknown level
// is never indexed (fail closed).
type Doc struct {
	Title          string
	DocNumber      string
	Summary        string
	Body           string
	AttachmentText string
	Channel        string
	Type           string
	Issuer         string
	Path           string
	PublishedAt    time.Time
	IssuedAt       time.Time
	Validity       string
	// Status is "withdrawn" for a document readers can still open, with a
	// notice, but that its owner withdrew (search results mark it).
	Status string

	Visibility     string
	Classification classification.Level
	// Department owns the document; auth.OfficeWide ("*") means every
	// department may read it (office scope).
	Department string
	// Principals are the user ids on the need-to-know list (知悉范围).
	// Listed users may read the document whatever their department; an
	// empty list adds no one.
	Principals []string
}

// ChinaTime is the zone in which a publication date has its year.
var ChinaTime = time.FixedZone("CST", 8*3600)

// PrincipalTerm is how a user id is indexed in the principals field.
func PrincipalTerm(userID string) string { return "user:" + userID }

// fields turns d into the document the index maps (query.Mapping's names).
func (d Doc) fields() (map[string]any, error) {
	class := d.Classification
	if class == "" {
		class = classification.Feimi
	}
	rank := class.Rank()
	if rank < 0 {
		return nil, fmt.Errorf("unknown classification %q", d.Classification)
	}
	vis := d.Visibility
	switch vis {
	case Public, Internal, Restricted:
	case "":
		vis = Internal
	default:
		return nil, fmt.Errorf("unknown visibility %q", d.Visibility)
	}
	qd := query.Doc{
		Title: d.Title, DocNumber: d.DocNumber, Summary: d.Summary, Body: d.Body,
		AttachmentText: d.AttachmentText, Channel: d.Channel, Type: d.Type, Issuer: d.Issuer,
		Department: d.Department, Validity: d.Validity,
	}
	if !d.PublishedAt.IsZero() {
		qd.Year = d.PublishedAt.In(ChinaTime).Format("2006")
	}
	qd.Prepare()
	m := map[string]any{
		query.FieldTitle:       qd.Title,
		query.FieldTitlePrefix: qd.TitlePrefix,
		query.FieldVisibility:  vis,
		query.FieldClass:       float64(rank),
		query.FieldDepartment:  d.Department,
	}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put(query.FieldDocNumber, qd.DocNumber)
	put(query.FieldSummary, qd.Summary)
	put(query.FieldBody, qd.Body)
	put(query.FieldAttachmentText, qd.AttachmentText)
	put(query.FieldChannel, qd.Channel)
	put(query.FieldType, qd.Type)
	put(query.FieldIssuer, qd.Issuer)
	put(query.FieldYear, qd.Year)
	put(query.FieldValidity, qd.Validity)
	put(FieldPath, d.Path)
	put(query.FieldStatus, d.Status)
	if !d.PublishedAt.IsZero() {
		m[query.FieldPublishedAt] = d.PublishedAt
	}
	if !d.IssuedAt.IsZero() {
		m[query.FieldIssuedAt] = d.IssuedAt
	}
	if len(d.Principals) > 0 {
		ps := make([]string, len(d.Principals))
		for i, p := range d.Principals {
			ps[i] = PrincipalTerm(p)
		}
		m[query.FieldPrincipals] = ps
	}
	return m, nil
}

// Mapping is the mapping of both search indexes: query.Mapping plus the
// path of a hit.
func Mapping() *index.Mapping {
	m := query.Mapping()
	if _, ok := m.KindOf(FieldPath); !ok {
		m.Keyword(FieldPath)
	}
	return m
}

// ProjectFunc turns a stored document of one collection into a search
// document, or ok=false when it does not belong in the index (it is then
// removed from it).
type ProjectFunc func(store.Doc) (Doc, bool)

// Source is one search index's content: its collections and projections.
// Register collections (Add) before the search service is constructed: the
// feed consumer's collections are fixed when it starts.
type Source struct {
	name string
	log  *slog.Logger

	mu    sync.RWMutex
	order []string
	funcs map[string]ProjectFunc
}

// New makes an empty source for the index name.
func New(name string, log *slog.Logger) *Source {
	if log == nil {
		log = slog.Default()
	}
	return &Source{name: name, log: log, funcs: map[string]ProjectFunc{}}
}

// Office is the office index's source; office capabilities register their
// collections here (Office.Add) at start-up.
var Office = New(OfficeName, nil)

// Name is the index name (portal, office).
func (s *Source) Name() string { return s.name }

// Add registers a collection and its projection; adding a collection
// again replaces its projection. Ids must be unique across the collections
// of one source (they are the index's document ids).
func (s *Source) Add(collection string, fn ProjectFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.funcs[collection]; !ok {
		s.order = append(s.order, collection)
	}
	s.funcs[collection] = fn
}

// Collections are the store collections the source projects.
func (s *Source) Collections() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.order)
}

// Project is the feed consumer's projection: the index document of d, or
// ok=false (not in the index).
func (s *Source) Project(d store.Doc) (any, bool) {
	s.mu.RLock()
	fn := s.funcs[d.Collection]
	s.mu.RUnlock()
	if fn == nil {
		return nil, false
	}
	doc, ok := fn(d)
	if !ok {
		return nil, false
	}
	m, err := doc.fields()
	if err != nil {
		s.log.Warn("search document refused; left out of the index", "index", s.name,
			"collection", d.Collection, "id", d.ID, "err", err)
		return nil, false
	}
	return m, true
}

// For returns the source of a scope: a new portal source with d, or
// Office.
func For(scope string, d PortalDeps) (*Source, error) {
	switch scope {
	case PortalName:
		return Portal(d), nil
	case OfficeName:
		return Office, nil
	}
	return nil, fmt.Errorf("source: unknown scope %q (portal or office)", scope)
}
