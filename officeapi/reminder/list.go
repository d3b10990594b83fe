package reminder

import (
	"context"

	"zhengwu/shared/store"
)

// All returns every recorded notice, in id order: for the desktop's
// projection and for tests.
func All(ctx context.Context, s store.Store) ([]Notice, error) {
	return store.LoadAll[Notice](ctx, s, Collection)
}
