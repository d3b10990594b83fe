package identity

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"zhengwu/shared/store"
)

// directory is every account (what Holders reads of it) and its grants in
// memory, kept from the store's change feed, with the answers to the
// queries asked since the last change. It is brought up to date on each
// read rather than by a background loop: a read catches up with every
// write committed before it began (one feed query when nothing changed),
// so Holders never answers from an organisation older than the call,
// whichever process changed it. The zero value loads on first use.
type directory struct {
	// sync serialises catching up; fresh is when the last catch-up began:
	// a read that arrived before it is covered by it and need not read
	// the feed again (64 desktop requests share one feed query).
	sync  sync.Mutex
	fresh time.Time

	mu     sync.Mutex
	loaded bool
	seq    int64 // the feed sequence the directory has applied
	users  map[string]Account
	grants map[string][]Grant
	unitOf map[string]string // department → its top-level unit (UnitsOf)
	memo   map[HolderQuery][]string
}

// holders answers q from the directory, caught up with st first.
func (d *directory) holders(ctx context.Context, st store.Store, q HolderQuery) ([]string, error) {
	if err := d.catchUp(ctx, st); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	h, ok := d.memo[q]
	if !ok {
		users := make([]Account, 0, len(d.users))
		for _, u := range d.users {
			users = append(users, u)
		}
		h = holdersOf(users, d.grants, d.unitOf, q)
		d.memo[q] = h
	}
	return slices.Clone(h), nil
}

// catchUp loads the directory on first use, then applies the feed up to
// the store's last sequence as of now (or is covered by a catch-up that
// began after this call did).
func (d *directory) catchUp(ctx context.Context, st store.Store) error {
	arrived := time.Now()
	d.sync.Lock()
	defer d.sync.Unlock()
	if d.fresh.After(arrived) {
		return nil
	}
	began := time.Now()
	d.mu.Lock()
	loaded := d.loaded
	d.mu.Unlock()
	if !loaded {
		if err := d.load(ctx, st); err != nil {
			return err
		}
	}
	f := &store.Follower{Store: st, Name: "identity directory",
		Checkpoint: func(context.Context) (int64, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			return d.seq, nil
		},
		Apply: func(ctx context.Context, changes []store.Change) error { return d.apply(ctx, st, changes) }}
	if err := f.CatchUp(ctx); err != nil {
		return err
	}
	d.fresh = began
	return nil
}

// load reads every account and grant set. The sequence is taken first:
// a change made during the reads is applied again after, harmlessly.
func (d *directory) load(ctx context.Context, st store.Store) error {
	seq, err := st.LastSeq(ctx)
	if err != nil {
		return err
	}
	users, grants, err := everyone(ctx, st)
	if err != nil {
		return err
	}
	ds, err := store.LoadAll[Department](ctx, st, colDepartments)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.users = make(map[string]Account, len(users))
	for _, u := range users {
		d.users[u.ID] = u.Account
	}
	d.grants, d.unitOf, d.seq, d.loaded = grants, UnitsOf(ds), seq, true
	d.memo = map[HolderQuery][]string{}
	return nil
}

// apply reads the accounts and grant sets the changes name as they are
// now, and moves the directory's sequence past the changes.
func (d *directory) apply(ctx context.Context, st store.Store, changes []store.Change) error {
	type change struct {
		user    *Account
		grants  []Grant
		deleted bool
	}
	var users, grants = map[string]change{}, map[string]change{}
	var unitOf map[string]string // the tree again, when a department changed
	for _, ch := range changes {
		switch ch.Collection {
		case colDepartments:
			if unitOf != nil {
				continue
			}
			ds, err := store.LoadAll[Department](ctx, st, colDepartments)
			if err != nil {
				return err
			}
			unitOf = UnitsOf(ds)
		case colUsers:
			u, _, err := store.Load[User](ctx, st, colUsers, ch.ID)
			if errors.Is(err, store.ErrNotFound) {
				users[ch.ID] = change{deleted: true}
				continue
			} else if err != nil {
				return err
			}
			users[ch.ID] = change{user: &u.Account}
		case colGrants:
			gs, _, err := store.Load[grantSet](ctx, st, colGrants, ch.ID)
			if errors.Is(err, store.ErrNotFound) {
				grants[ch.ID] = change{deleted: true}
				continue
			} else if err != nil {
				return err
			}
			grants[ch.ID] = change{grants: gs.Grants}
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, c := range users {
		if c.deleted {
			delete(d.users, id)
		} else {
			d.users[id] = *c.user
		}
	}
	for id, c := range grants {
		if c.deleted {
			delete(d.grants, id)
		} else {
			d.grants[id] = c.grants
		}
	}
	if unitOf != nil {
		d.unitOf = unitOf
	}
	if len(users)+len(grants) > 0 || unitOf != nil {
		d.memo = map[HolderQuery][]string{}
	}
	d.seq = changes[len(changes)-1].Seq
	return nil
}

// everyone is every account with its grants, by user id.
func (s *Service) everyone(ctx context.Context) ([]User, map[string][]Grant, error) {
	return everyone(ctx, s.store)
}

func everyone(ctx context.Context, st store.Store) ([]User, map[string][]Grant, error) {
	users, err := store.LoadAll[User](ctx, st, colUsers)
	if err != nil {
		return nil, nil, err
	}
	sets, err := store.LoadAll[grantSet](ctx, st, colGrants)
	if err != nil {
		return nil, nil, err
	}
	grants := map[string][]Grant{}
	for _, gs := range sets {
		grants[gs.UserID] = gs.Grants
	}
	return users, grants, nil
}
