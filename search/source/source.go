// Package source says what the search indexes hold: for each index (portal,
// office), the store collections it projects and how a stored document
// becomes a search document, with the access-control fields the query API
// filters on (a portal document's visibility; an office document's
// readers; the classification of both).
//
// Capabilities contribute Projections built from their own document types
// (cms/item's portal items, officeapi/info's items; search declares no
// capability's shape); the binary hands them all to the search service,
// which makes one Source per index from them. ReadAttachments gives a
// projection the text of its documents' files, file by file.
package source

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"zhengwu/search/feed"
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

// FieldAttachmentNames holds the file name of each attachment whose text
// is in query.FieldAttachmentText, in the same order: the text field holds
// one value per file, so a match's array position names its file (Mapping
// adds it).
const FieldAttachmentNames = "attachmentNames"

// Visibilities of a portal search document.
const (
	Public   = "public"   // anyone, signed in or not
	Internal = "internal" // signed-in readers
)

// Doc is what a projection returns: one search document with its
// access-control fields. A portal document says who reads it by its
// Visibility; an office document by its Readers (the auth.Access of the
// object it indexes, so that search shows exactly what a read by id
// allows). Classification "" means 非密; a document with an unknown level
// is never indexed (fail closed), nor an office document without readers.
type Doc struct {
	Title     string
	DocNumber string
	Summary   string
	Body      string
	// Attachments are the text of the document's files, one per file
	// (ReadAttachments), so that a hit can say which file matched.
	Attachments []FileText
	Channel     string
	Type        string
	Issuer      string
	Path        string
	PublishedAt time.Time
	IssuedAt    time.Time
	Validity    string
	// Status is "withdrawn" for a document readers can still open, with a
	// notice, but that its owner withdrew (search results mark it).
	Status string

	Visibility     string
	Classification classification.Level
	// Department owns the document (a facet, not an access rule).
	Department string
	// Readers are an office document's reader tokens (auth.Access.Readers).
	Readers []string

	// A workflow document's place in its flow (a 公文's): its state, the
	// users holding it now, the user who drafted it (Owner), and the
	// earliest deadline of its open tasks (zero: none). Overdue is asked
	// at query time (due before now), so the index needs no write when a
	// deadline passes.
	State   string
	Holders []string
	Owner   string
	Due     time.Time
}

// ChinaTime is the zone in which a publication date has its year.
var ChinaTime = time.FixedZone("CST", 8*3600)

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
	case Public, Internal:
	case "":
		vis = Internal
	default:
		return nil, fmt.Errorf("unknown visibility %q", d.Visibility)
	}
	qd := query.Doc{
		Title: d.Title, DocNumber: d.DocNumber, Summary: d.Summary, Body: d.Body,
		Channel: d.Channel, Type: d.Type, Issuer: d.Issuer,
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
	if len(qd.DocPrefix) > 0 {
		m[query.FieldDocPrefix] = qd.DocPrefix
	}
	put(query.FieldSummary, qd.Summary)
	put(query.FieldBody, qd.Body)
	if texts, names := attachmentFields(d.Attachments); len(texts) > 0 {
		m[query.FieldAttachmentText] = texts
		m[FieldAttachmentNames] = names
	}
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
	if len(d.Readers) > 0 {
		m[query.FieldReaders] = d.Readers
	}
	put(query.FieldState, d.State)
	put(query.FieldOwner, d.Owner)
	if len(d.Holders) > 0 {
		m[query.FieldHolders] = d.Holders
	}
	if !d.Due.IsZero() {
		m[query.FieldDue] = d.Due
	}
	return m, nil
}

// attachmentFields are the texts and names of files, in the same order
// (files without text left out).
func attachmentFields(files []FileText) (texts, names []string) {
	for _, f := range files {
		if f.Text != "" {
			texts = append(texts, f.Text)
			names = append(names, f.Name)
		}
	}
	return texts, names
}

// ProjectionRevision names the meaning of what the projections put in the
// indexes beyond their fields (index.Mapping.Revise): bump it when a
// capability changes how its projection computes readers or 密级, so that
// every index rebuilds on the next start instead of keeping stale readers
// in its totals and facets. "2": classified 公文 became need-to-know.
// "3": attachment text file by file, with XLSX and plain text read.
// "4": document ids are collection-qualified (Consumer), so that a 公文
// and its archive record, which share an id, are both indexed.
const ProjectionRevision = "4"

// Mapping is the mapping of both search indexes: query.Mapping plus the
// path of a hit and the attachments' names, both shown by hits and never
// sorted or faceted (no doc values: query.Trimmed says why).
func Mapping() *index.Mapping {
	m := query.Mapping().Revise(ProjectionRevision)
	if _, ok := m.KindOf(FieldPath); !ok {
		m.Keyword(FieldPath)
	}
	if _, ok := m.KindOf(FieldAttachmentNames); !ok {
		m.Keyword(FieldAttachmentNames)
	}
	return m.Unsorted(FieldPath, FieldAttachmentNames)
}

// ProjectFunc turns a stored document of one collection into a search
// document, or ok=false when it does not belong in the index (it is then
// removed from it).
type ProjectFunc func(store.Doc) (Doc, bool)

// Projection is what a capability contributes to a search index: one of
// its store collections and how a document of it is indexed. Each
// capability exports its projections (info.SearchProjection,
// item.SearchProjection) and the binary passes them all to the search
// service, so that a capability missing from search is missing from one
// visible list, not from a registration it forgot.
type Projection struct {
	Index      string // PortalName or OfficeName
	Collection string
	Project    ProjectFunc
	// Text is Project without reading the document's files (Attachments
	// left empty), for a projection that reads them: the search API
	// highlights a hit's body from the text Project indexed, recomputed
	// from the store at query time (Source.Text), where extracting a PDF
	// per hit would cost too much. Text must be the code Project runs
	// before it reads the files, so that the text, and with it every
	// offset the index holds, is the same. Nil: Project reads no files
	// and serves for both.
	Text ProjectFunc
}

// Source is one search index's content: its collections and projections,
// fixed when it is made.
type Source struct {
	name  string
	log   *slog.Logger
	order []string
	funcs map[string]ProjectFunc
	texts map[string]ProjectFunc // Projection.Text, else Project
}

// New makes the source of the index name from the projections meant for
// it (others are left out). Two projections of one collection are an
// error: one collection has one meaning. Ids need not be unique across
// the collections: the index keys its documents by collection and id
// (Consumer).
func New(name string, log *slog.Logger, projections ...Projection) (*Source, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Source{name: name, log: log, funcs: map[string]ProjectFunc{}, texts: map[string]ProjectFunc{}}
	for _, p := range projections {
		if p.Index != name {
			continue
		}
		if p.Collection == "" || p.Project == nil {
			return nil, fmt.Errorf("source: a projection into %s without a collection or a function", name)
		}
		if _, dup := s.funcs[p.Collection]; dup {
			return nil, fmt.Errorf("source: collection %s is projected into %s twice", p.Collection, name)
		}
		s.order = append(s.order, p.Collection)
		s.funcs[p.Collection] = p.Project
		s.texts[p.Collection] = p.Project
		if p.Text != nil {
			s.texts[p.Collection] = p.Text
		}
	}
	return s, nil
}

// Name is the index name (portal, office).
func (s *Source) Name() string { return s.name }

// Collections are the store collections the source projects.
func (s *Source) Collections() []string { return slices.Clone(s.order) }

// Consumer is the feed consumer that keeps ix, an index of this source,
// current from st: the one place that says how a search index is fed,
// for the serving process and a rebuild alike. Its document ids are
// collection-qualified (feed.Key), because the collections sharing a
// search index may reuse each other's ids (an archive record has the id
// of its 公文); readers of hits turn them back with Entity.
func (s *Source) Consumer(st store.Store, ix *index.Index) *feed.Consumer {
	return &feed.Consumer{Store: st, Index: ix, Collections: s.Collections(), Project: s.Project,
		Qualified: true, Logger: s.log}
}

// Entity is the store entity a search index's document id names (the
// collection and the store id), ok=false for an id no Consumer made.
func Entity(docID string) (collection, id string, ok bool) { return feed.Entity(docID) }

// Project is the feed consumer's projection: the index document of d, or
// ok=false (not in the index).
func (s *Source) Project(d store.Doc) (any, bool) {
	m, ok := s.project(d, s.funcs[d.Collection])
	if !ok {
		return nil, false
	}
	return m, true
}

// Text is the index document of d as Project makes it, without the
// attachments' text (Projection.Text): the text of its fields as the
// index analysed them, from which a hit's fragments are cut for the
// fields the index keeps no copy of (query.FieldBody). ok=false: d is not
// in the index.
func (s *Source) Text(d store.Doc) (map[string]any, bool) {
	return s.project(d, s.texts[d.Collection])
}

func (s *Source) project(d store.Doc, fn ProjectFunc) (map[string]any, bool) {
	if fn == nil {
		return nil, false
	}
	doc, ok := fn(d)
	if !ok {
		return nil, false
	}
	if s.name == OfficeName && len(doc.Readers) == 0 {
		s.log.Warn("office search document without readers; left out of the index",
			"collection", d.Collection, "id", d.ID)
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
