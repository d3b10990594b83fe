package archive

import (
	"context"
	"errors"
	"slices"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/lease"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// LeaseName is the scheduled fixity check's lease: one process checks.
const LeaseName = "archive-fixity"

// system is the scheduled check's principal: it reads every record.
var system = &auth.Principal{UserID: "system", Username: "system", Name: "系统定时任务",
	Clearance: classification.Juemi, Perms: map[string][]string{auth.PermArchiveManage.Key(): {auth.OfficeWide}}}

// Check re-reads every part of a record from storage, recomputes its
// SHA-256 and the content's digest, and appends the result to the record
// (and so to the audit trail). A part whose bytes changed or are gone, or
// a record whose content was changed in the database, fails: Failed names
// them ("record" for the content). The caller must hold archive.manage
// office-wide.
func (s *Service) Check(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.check(ctx, a, id, true)
}

// check is Check; a scheduled one (always false) appends an event only
// when the result differs from the last one recorded, so that a record
// checked daily for decades does not carry thousands of identical events:
// the summary (Fixity, FixityAt) and the audit trail say when it was last
// checked.
func (s *Service) check(ctx context.Context, a records.Actor, id string, always bool) (View, error) {
	if !a.P.Can(auth.PermArchiveManage, auth.OfficeWide) {
		if _, _, err := s.recs.Get(ctx, a.P, id); err != nil {
			return View{}, err
		}
		return View{}, s.recs.Refused(ctx, a, "archive.fixity", Collection+"/"+id, problem.Forbidden())
	}
	r, _, err := s.recs.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	failed, err := s.verify(ctx, &r)
	if err != nil {
		return View{}, err
	}
	outcome := FixityIntact
	if len(failed) > 0 {
		outcome = FixityBroken
		s.log.Warn("archive fixity check failed", "record", id, "archiveNo", r.ArchiveNo, "failed", failed)
	}
	at := s.now()
	return s.appendEvent(ctx, a, "archive.fixity", id, func(r *Record) (map[string]any, error) {
		ev := Event{Kind: EventFixity, At: at, By: a.P.UserID, ByName: a.P.Name, Outcome: outcome, Failed: failed}
		if always || !sameResult(lastFixity(r), ev) {
			r.Events = append(r.Events, ev)
		}
		r.Fixity, r.FixityAt = outcome, at
		return map[string]any{"outcome": outcome, "failed": failed, "archiveNo": r.ArchiveNo}, nil
	})
}

// lastFixity is the record's last fixity event (nil: never checked).
func lastFixity(r *Record) *Event {
	for i := len(r.Events) - 1; i >= 0; i-- {
		if r.Events[i].Kind == EventFixity {
			return &r.Events[i]
		}
	}
	return nil
}

func sameResult(last *Event, ev Event) bool {
	return last != nil && last.Outcome == ev.Outcome && slices.Equal(last.Failed, ev.Failed)
}

// verify returns what of r no longer matches what was archived.
func (s *Service) verify(ctx context.Context, r *Record) ([]string, error) {
	var failed []string
	if contentDigest(r) != r.ContentSHA256 {
		failed = append(failed, "record")
	}
	for _, p := range r.Parts {
		_, data, err := s.files.Get(ctx, p.Media)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil || sum(data) != p.SHA256 || int64(len(data)) != p.Size {
			failed = append(failed, p.Name)
		}
	}
	return failed, nil
}

// Pass checks every record once, as the system; it returns how many it
// checked and how many failed.
func (s *Service) Pass(ctx context.Context) (checked, broken int, err error) {
	a := records.Actor{P: system, IP: "scheduler"}
	for d, err := range store.ScanAll(ctx, s.store, Collection, "") {
		if err != nil {
			return checked, broken, err
		}
		v, err := s.check(ctx, a, d.ID, false)
		if err != nil {
			return checked, broken, err
		}
		checked++
		if v.Document.Fixity == FixityBroken {
			broken++
		}
	}
	return checked, broken, nil
}

// Run archives what was finished without Archive (Sweep) and checks
// every record every Interval, under the lease (one process of several
// runs it), until ctx ends.
func (s *Service) Run(ctx context.Context) error {
	if s.leases == nil {
		return errors.New("archive: Run needs Leases")
	}
	return s.leases.Run(ctx, LeaseName, func(ctx context.Context, _ lease.Lease) error {
		tick := time.NewTicker(s.interval)
		defer tick.Stop()
		for {
			swept, err := s.Sweep(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.Warn("archive sweep failed", "err", err)
			}
			checked, broken, err := s.Pass(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				s.log.Warn("archive fixity pass failed", "err", err)
			case err == nil:
				s.log.Info("archive fixity pass", "archived", swept, "checked", checked, "broken", broken)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	})
}
