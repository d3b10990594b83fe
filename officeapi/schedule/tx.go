package schedule

import (
	"context"
	"errors"
	"strings"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// weekTx is one week as a change reads it from the store: the week's
// document and every entry of the week, with the versions they were read
// at, so that the commit is a compare-and-set of all it writes.
type weekTx struct {
	week     Week
	version  int64 // 0: the week has no document yet
	entries  []*Entry
	versions map[string]int64
	dirty    map[string]bool
	touched  bool
}

// entry finds an entry of the week.
func (tx *weekTx) entry(id string) *Entry {
	for _, e := range tx.entries {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// mark records that e (nil: the week only) is to be written.
func (tx *weekTx) mark(e *Entry) {
	tx.touched = true
	if e != nil {
		tx.dirty[e.ID] = true
	}
}

// add puts a new entry in the week, to be created.
func (tx *weekTx) add(e *Entry) {
	tx.entries = append(tx.entries, e)
	tx.versions[e.ID] = 0
	tx.mark(e)
}

// readWeek loads a week and its entries (a prefix scan of the store).
func (s *Service) readWeek(ctx context.Context, id string) (*weekTx, error) {
	tx := &weekTx{week: Week{ID: id, State: WeekOpen, Conflicts: []Conflict{}, Changes: []Change{}},
		versions: map[string]int64{}, dirty: map[string]bool{}}
	doc, err := s.d.Store.Get(ctx, WeekCollection, id)
	switch {
	case err == nil:
		if err := doc.Decode(&tx.week); err != nil {
			return nil, err
		}
		tx.version = doc.Version
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	prefix := id + "."
	for d, err := range store.ScanAll(ctx, s.d.Store, Collection, prefix) {
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(d.ID, prefix) {
			break
		}
		e := new(Entry)
		if err := d.Decode(e); err != nil {
			return nil, err
		}
		tx.entries = append(tx.entries, e)
		tx.versions[e.ID] = d.Version
	}
	return tx, nil
}

// inWeek runs change on a fresh read of the week and commits what it
// marked, with one audit entry (target: the week, or the entry change
// names), as a compare-and-set retried on a conflict. A problem change
// returns writes nothing and is recorded as a refusal.
func (s *Service) inWeek(ctx context.Context, a records.Actor, action, weekID string,
	change func(tx *weekTx) (target string, details map[string]any, err error)) (*weekTx, map[string]store.Doc, error) {
	var out *weekTx
	var saved map[string]store.Doc
	err := store.Retry(ctx, func(ctx context.Context) error {
		tx, err := s.readWeek(ctx, weekID)
		if err != nil {
			return err
		}
		target, details, err := change(tx)
		if target == "" {
			target = WeekCollection + "/" + weekID
		}
		if err != nil {
			return s.entries.Refused(ctx, a, action, target, err)
		}
		out, saved = tx, map[string]store.Doc{}
		if !tx.touched {
			return nil
		}
		writes, ids := []store.Write{}, []string{}
		data, err := store.Encode(tx.week)
		if err != nil {
			return err
		}
		writes = append(writes, store.Write{Collection: WeekCollection, ID: weekID, Data: data, ExpectVersion: tx.version})
		ids = append(ids, "")
		for _, e := range tx.entries {
			if !tx.dirty[e.ID] {
				continue
			}
			e.UpdatedAt = s.now()
			data, err := store.Encode(e)
			if err != nil {
				return err
			}
			writes = append(writes, store.Write{Collection: Collection, ID: e.ID, Data: data, ExpectVersion: tx.versions[e.ID]})
			ids = append(ids, e.ID)
		}
		docs, err := s.d.Trail.Commit(ctx, writes, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action,
			Target: target, Outcome: audit.Success, Details: details})
		if err != nil {
			return err
		}
		for i, d := range docs {
			saved[ids[i]] = d
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	s.entries.Notify()
	return out, saved, nil
}

// weekOfEntry is the week an entry id begins with; a malformed id is the
// 404 of a missing entry.
func weekOfEntry(id string) (string, error) {
	w, _, ok := strings.Cut(id, ".")
	if !ok {
		return "", notFound()
	}
	if _, err := ParseWeek(w); err != nil {
		return "", notFound()
	}
	return w, nil
}

func notFound() error { return problem.NotFound("领导活动不存在", "no such leader activity") }

// entryIn is the entry id of the week, if a may read it: the 404 of a
// missing one otherwise.
func entryIn(tx *weekTx, a records.Actor, id string) (*Entry, error) {
	e := tx.entry(id)
	if e == nil || !AccessOf(e).Allows(a.P) {
		return nil, notFound()
	}
	return e, nil
}
