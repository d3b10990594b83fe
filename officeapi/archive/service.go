package archive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/analysis"
	"zhengwu/search/feed"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/lease"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Files is where a record's parts are kept: the media store (cmd wires
// cms/media, content-addressed by SHA-256). Put stores bytes under a file
// name and returns the media id; Get returns a stored file's name and
// bytes, read again from storage each time (the fixity check's point).
type Files interface {
	Put(ctx context.Context, a records.Actor, name string, data []byte) (string, error)
	Get(ctx context.Context, id string) (name string, data []byte, err error)
}

// PDF makes the sealed printed form of a document (the seal service's
// output once wired: seal.Seal over layout.RenderWith).
type PDF func(ctx context.Context, a records.Actor, d officialdoc.Document) ([]byte, error)

// Deps is what the archive needs from the process.
type Deps struct {
	records.Deps
	// Docs are the official documents archived; nil only for an intake
	// of old records (zhengwu import --into archive), which archives none.
	Docs  *officialdoc.Service
	Files Files
	// PDF is the sealed PDF; nil: the GB/T 9704 layout in the system's
	// fonts, unsealed.
	PDF PDF
	// Search finds records in the office search index (searchapi's
	// Service; nil: no archive search).
	Search officialdoc.Finder
	// Fonds is the 全宗号 of the 档号 (default Z001).
	Fonds string
	// Leases and Interval run the scheduled fixity check (Run): one
	// process checks, every Interval (default 24 h).
	Leases   *lease.Leases
	Interval time.Duration
}

// Service is the archive. Its list index's Start, Close and Notify are
// the module table's; the collection stays private, so that nothing but
// this package's appends ever writes a record.
type Service struct {
	*feed.ListIndex
	recs     *records.Collection[Record]
	docs     *officialdoc.Service
	files    Files
	find     officialdoc.Finder
	pdf      PDF
	fonds    string
	store    store.Store
	trail    *audit.Trail
	leases   *lease.Leases
	interval time.Duration
	log      *slog.Logger
	zone     *time.Location
}

// New opens the collection and its list index.
func New(d Deps) (*Service, error) {
	if d.Files == nil {
		return nil, errors.New("archive: Files are required")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.PDF == nil {
		fonts := layout.SystemFonts()
		d.PDF = func(_ context.Context, _ records.Actor, doc officialdoc.Document) ([]byte, error) {
			return layout.Render(doc, fonts)
		}
	}
	if d.Fonds == "" {
		d.Fonds = "Z001"
	}
	if d.Interval <= 0 {
		d.Interval = 24 * time.Hour
	}
	zone, err := time.LoadLocation(workcal.Zone)
	if err != nil {
		return nil, err
	}
	c, err := records.Open(records.Config[Record]{Deps: d.Deps, Collection: Collection,
		Noun: records.Noun{Zh: "档案", En: "archive record"}, Access: AccessOf,
		Mapping: records.MappingOf[Summary]().FullText(fText, analysis.Analyzer, false).Numeric(fExpiry).Revise("archive-2"),
		Project: project})
	if err != nil {
		return nil, err
	}
	return &Service{ListIndex: c.ListIndex, recs: c, docs: d.Docs, files: d.Files, find: d.Search, pdf: d.PDF, fonds: d.Fonds,
		store: d.Store, trail: d.Trail, leases: d.Leases, interval: d.Interval, log: d.Log, zone: zone}, nil
}

// MediaRule decides the download of a record's part: its readers, while
// the record lists it (always: records are never changed).
func MediaRule(st store.Store) attachment.Rule {
	return attachment.AccessRule(st, Collection, (*Record).files, AccessOf)
}

// Get returns the record if p may read it; otherwise 404.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.recs.Get(ctx, p, id))
}

// errImmutable is the answer to any attempt to change a record.
func errImmutable() error {
	return problem.New(405, CodeImmutable, "档案归档后不可修改或删除，只能追加撤销、废止、鉴定等记录",
		"an archived record cannot be changed or deleted; only events can be appended")
}

// CodeImmutable is the problem code of an attempt to change a record.
const CodeImmutable = "archive_immutable"

// Refuse records and refuses an attempt to change or delete a record
// (PUT, PATCH, DELETE): there is no such call.
func (s *Service) Refuse(ctx context.Context, a records.Actor, id, how string) error {
	if _, _, err := s.recs.Get(ctx, a.P, id); err != nil {
		return err
	}
	return s.recs.Refused(ctx, a, "archive."+how, Collection+"/"+id, errImmutable())
}

// appendEvent is the only write of a record after it was archived: change
// may append events and update the summary fields; a change to the
// content is a programming error and writes nothing.
func (s *Service) appendEvent(ctx context.Context, a records.Actor, action, id string, change func(*Record) (map[string]any, error)) (View, error) {
	return records.ViewOf(s.recs.Step(ctx, a, action, id, func(r *Record) (map[string]any, error) {
		before := contentDigest(r)
		details, err := change(r)
		if err != nil {
			return nil, err
		}
		if contentDigest(r) != before {
			return nil, fmt.Errorf("archive: %s would change the content of record %s", action, id)
		}
		return details, nil
	}))
}

func (s *Service) now() time.Time { return s.recs.Now() }

// today is the date in the office's zone.
func (s *Service) today() string { return s.now().In(s.zone).Format(time.DateOnly) }
