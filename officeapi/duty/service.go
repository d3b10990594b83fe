package duty

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/analysis"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Deps is what duty needs from the process.
type Deps struct {
	records.Deps
	// Directory is the organisation (identity.Service): whom a roster or
	// a swap names must exist and hold what the position needs.
	Directory Directory
}

// Service is duty. Its Start, Close and Notify are the module table's
// (each collection's list index); the collections stay private, so that
// every write goes through the rules here.
type Service struct {
	rosters   *records.Collection[Roster]
	swaps     *records.Collection[Swap]
	logs      *records.Collection[Entry]
	handovers *records.Collection[Handover]
	store     store.Store
	trail     *audit.Trail
	dir       Directory
	zone      *time.Location
}

// New opens the four collections and their list indexes (under
// d.IndexDir); Start feeds them.
func New(d Deps) (*Service, error) {
	if d.Directory == nil {
		return nil, errors.New("duty: Directory is required")
	}
	zone, err := time.LoadLocation(workcal.Zone)
	if err != nil {
		return nil, err
	}
	sub := func(name string) records.Deps {
		c := d.Deps
		c.IndexDir = filepath.Join(d.IndexDir, name)
		return c
	}
	s := &Service{store: d.Store, trail: d.Trail, dir: d.Directory, zone: zone}
	if s.rosters, err = records.Open(records.Config[Roster]{Deps: sub("rosters"), Collection: RosterCollection,
		Noun: records.Noun{Zh: "值班表", En: "duty roster"}, Access: rosterAccess,
		Project: func(r *Roster) map[string]any {
			return map[string]any{"month": r.Month, "state": r.State, "updatedAt": r.UpdatedAt}
		}}); err != nil {
		return nil, err
	}
	if s.swaps, err = records.Open(records.Config[Swap]{Deps: sub("swaps"), Collection: SwapCollection,
		Noun: records.Noun{Zh: "调班申请", En: "duty swap"}, Access: swapAccess}); err != nil {
		return nil, err
	}
	if s.logs, err = records.Open(records.Config[Entry]{Deps: sub("logs"), Collection: LogCollection,
		Noun: records.Noun{Zh: "值班记录", En: "duty log entry"}, Access: entryAccess,
		Mapping: records.MappingOf[Entry](textFields...).
			FullText("title", analysis.Analyzer, true).FullText("content", analysis.Analyzer, true).
			FullText("instruction", analysis.Analyzer, true).FullText("action", analysis.Analyzer, true).
			FullText(fText, analysis.Analyzer, false),
		Project: projectEntry}); err != nil {
		return nil, err
	}
	if s.handovers, err = records.Open(records.Config[Handover]{Deps: sub("handovers"), Collection: HandoverCollection,
		Noun: records.Noun{Zh: "交接班记录", En: "handover"}, Access: handoverAccess,
		Project: func(h *Handover) map[string]any {
			return map[string]any{"date": h.Date, "state": h.State, "from": h.From, "updatedAt": h.UpdatedAt}
		}}); err != nil {
		return nil, err
	}
	return s, nil
}

// indexes are the collections' list indexes, for Start, Close and Notify.
func (s *Service) indexes() []interface {
	Start(context.Context) error
	Close() error
	Notify()
	CatchUp(context.Context) error
} {
	return []interface {
		Start(context.Context) error
		Close() error
		Notify()
		CatchUp(context.Context) error
	}{s.rosters.ListIndex, s.swaps.ListIndex, s.logs.ListIndex, s.handovers.ListIndex}
}

// Start feeds the list indexes from the change feed.
func (s *Service) Start(ctx context.Context) error {
	for _, ix := range s.indexes() {
		if err := ix.Start(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the list indexes.
func (s *Service) Close() error {
	var errs []error
	for _, ix := range s.indexes() {
		errs = append(errs, ix.Close())
	}
	return errors.Join(errs...)
}

// Notify tells the list indexes the store has changed.
func (s *Service) Notify() {
	for _, ix := range s.indexes() {
		ix.Notify()
	}
}

// CatchUp applies the change feed to every list index now.
func (s *Service) CatchUp(ctx context.Context) error {
	for _, ix := range s.indexes() {
		if err := ix.CatchUp(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Wait waits until every list has applied a change-feed sequence
// (desktop.Consistent).
func (s *Service) Wait(ctx context.Context, consistentWith string) error {
	for _, w := range []func(context.Context, string) error{s.rosters.Wait, s.swaps.Wait, s.logs.Wait, s.handovers.Wait} {
		if err := w(ctx, consistentWith); err != nil {
			return err
		}
	}
	return nil
}

// ShiftOf is the duty day an instant belongs to: the local date, less
// one before 08:30.
func (s *Service) ShiftOf(t time.Time) string {
	return t.In(s.zone).Add(-ShiftStart).Format(DateLayout)
}

// Today is the duty day now.
func (s *Service) Today() string { return s.ShiftOf(s.logs.Now()) }

// commit writes several documents with their audit entries as one unit
// (a swap and the roster it changes; a handover and the items it
// carries) and tells the lists.
func (s *Service) commit(ctx context.Context, writes []store.Write, events ...audit.Event) ([]store.Doc, error) {
	docs, err := s.trail.Commit(ctx, writes, events...)
	if err == nil {
		s.Notify()
	}
	return docs, err
}

// write is a document as a store write at the version it was read at.
func write(collection, id string, v any, version int64) (store.Write, error) {
	data, err := store.Encode(v)
	return store.Write{Collection: collection, ID: id, Data: data, ExpectVersion: version}, err
}

// mustHold is a problem naming field unless p holds perm office-wide.
func mustHold(p *auth.Principal, perm auth.Permission, field, zh, en string) error {
	if p == nil || !p.Can(perm, auth.OfficeWide) {
		return problem.Invalid(problem.Field(field, zh, en))
	}
	return nil
}

// month is the month of a duty day (2026-12-06 → 2026-12).
func month(date string) string { return date[:7] }
