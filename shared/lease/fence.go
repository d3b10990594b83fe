package lease

import (
	"context"
	"errors"
	"fmt"

	"zhengwu/shared/store"
)

// FenceCollection holds, per lease name, the highest token that has
// written under it.
const FenceCollection = "lease_fences"

// ErrFenced: a holder with a higher token has written since; the writer
// is a stale holder and must stop.
var ErrFenced = errors.New("lease: fenced off by a newer holder")

type fence struct {
	Token int64 `json:"token"`
}

// Fence returns the write that fences a holder's store write with token:
// put it in the same PutAll (or audit commit) as the work. It refuses
// with ErrFenced when a higher token has already written; otherwise the
// write records token expecting the version read, so if a newer holder
// writes in between, the whole PutAll fails with store.ErrConflict and a
// retry calls Fence again and is refused. Holders' writes under one name
// are serialised on this document: one singleton, one writer at a time.
func Fence(ctx context.Context, s store.Store, name string, token int64) (store.Write, error) {
	f, version, err := store.Load[fence](ctx, s, FenceCollection, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Write{}, fmt.Errorf("lease fence %s: %w", name, err)
	}
	if f.Token > token {
		return store.Write{}, ErrFenced
	}
	data, err := store.Encode(fence{Token: token})
	if err != nil {
		return store.Write{}, err
	}
	return store.Write{Collection: FenceCollection, ID: name, Data: data, ExpectVersion: version}, nil
}
