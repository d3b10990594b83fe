package meeting

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"zhengwu/shared/store"
)

// personLockCollection holds one document per person and day (China
// time), rewritten by every commit that puts the person into a meeting
// on that day: the compare-and-set that serialises such commits as the
// room lock serialises a room's bookings.
//
// Why not less: the attendee check reads the list index, so two bookings
// in different rooms for the same key attendee, checked at the same
// moment, both see the other absent and both commit (the room lock does
// not help: two rooms, two locks). Locking only the key attendees is not
// enough either, as the conflict is one-sided: a meeting where the person
// only sits in the audience is still a conflict for one where they are
// key, so both commits must write the lock. Per day, not per person, so
// that a busy leader's bookings on different days never wait for each
// other; a meeting lasts at most seven days, so at most eight documents a
// person.
const personLockCollection = "meeting_person_locks"

// lockRef is one lock document a commit rewrites at the version its
// check read; another commit of the same lock in between fails the whole
// commit with store.ErrConflict and the check runs again.
type lockRef struct {
	collection, id string
	version        int64
}

// lockWrites are the lock documents m's commit carries.
func (m *Meeting) lockWrites() []store.Write {
	out := make([]store.Write, 0, len(m.locks))
	for _, l := range m.locks {
		data, _ := store.Encode(map[string]any{"lock": l.id, "meeting": m.ID})
		out = append(out, store.Write{Collection: l.collection, ID: l.id, Data: data, ExpectVersion: l.version})
	}
	return out
}

// days are the China-time dates a span [from, to) touches.
func days(from, to time.Time) []string {
	var out []string
	f := from.In(cst)
	for d := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, cst); d.Before(to); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format("2006-01-02"))
	}
	return out
}

// claim reads the locks a commit of m must rewrite — the room's when
// withRoom, and each of people's over m's days — records the versions
// read on m (its commit writes them back), and waits for the list index
// to apply the last commit that wrote any of them, so that the conflict
// check that follows sees every meeting those locks have serialised.
func (s *Service) claim(ctx context.Context, m *Meeting, withRoom bool, people []string) error {
	var refs []lockRef
	if withRoom {
		refs = append(refs, lockRef{collection: lockCollection, id: m.RoomID})
	}
	slices.Sort(people)
	for _, uid := range slices.Compact(people) {
		for _, d := range days(m.StartAt, m.EndAt) {
			refs = append(refs, lockRef{collection: personLockCollection, id: uid + "@" + d})
		}
	}
	var seq int64
	for i, r := range refs {
		doc, err := s.d.Store.Get(ctx, r.collection, r.id)
		switch {
		case err == nil:
			refs[i].version = doc.Version
			seq = max(seq, doc.Seq)
		case errors.Is(err, store.ErrNotFound):
			refs[i].version = 0
		default:
			return err
		}
	}
	m.locks = refs
	if seq == 0 {
		return nil
	}
	return s.meetings.Wait(ctx, fmt.Sprint(seq))
}

// attendingIDs are the people who take part in m (not declined or
// delegated): those whose other meetings can collide with it.
func attendingIDs(as []Attendee) []string {
	var out []string
	for _, a := range as {
		if a.attending() {
			out = append(out, a.UserID)
		}
	}
	return out
}
