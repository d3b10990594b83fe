package auth

import (
	"context"
	"time"

	"zhengwu/shared/store"
)

// What the external tests (package auth_test, which may import
// shared/testkit: testkit imports this package) need from inside.

// Alice is the principal the package's tests sign in as.
var Alice = alice

// Prune drops the entries whose tokens have expired anyway, as every
// apply does.
func (r *Revocations) Prune() { r.apply() }

// Entries counts the revoked sessions and users held in memory.
func (r *Revocations) Entries() int {
	s := r.set.Load()
	return len(s.sessions) + len(s.users)
}

// UserCutOff is the stored cut-off of a user's revocation.
func UserCutOff(ctx context.Context, st store.Store, userID string) (time.Time, error) {
	d, _, err := store.Load[revocationDoc](ctx, st, RevocationsCollection, "user:"+userID)
	return d.Before, err
}
